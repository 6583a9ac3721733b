module providersidecar

go 1.19
