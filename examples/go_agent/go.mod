module goagent

go 1.19

require providersidecar v0.0.0

replace providersidecar => ../../clients/go
