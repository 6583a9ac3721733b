package providersidecar

import "time"

// UsageQuery filters and groups a usage report. Zero fields are left out: all time, every agent,
// provider and model, grouped by agent. Since is inclusive, Until exclusive.
type UsageQuery struct {
	Since, Until           time.Time
	Agent, Provider, Model string
	GroupBy                string // agent, provider, model or day
}

func (q UsageQuery) wire(id string) map[string]any {
	msg := simpleMessage("usage", id)
	for key, value := range map[string]string{"agent": q.Agent, "provider": q.Provider, "model": q.Model, "group_by": q.GroupBy} {
		if value != "" {
			msg[key] = value
		}
	}
	for key, t := range map[string]time.Time{"since": q.Since, "until": q.Until} {
		if !t.IsZero() {
			msg[key] = t.UTC().Format("2006-01-02T15:04:05.999Z07:00")
		}
	}
	return msg
}

// helloMessage opens a connection; an empty id or client name is left out.
func helloMessage(id, client string) map[string]any {
	msg := map[string]any{"type": "hello", "protocol": 1}
	if id != "" {
		msg["id"] = id
	}
	if client != "" {
		msg["client"] = client
	}
	return msg
}

// simpleMessage is a request with no fields but its type and id (ping, status, cancel's target).
func simpleMessage(kind, id string) map[string]any { return map[string]any{"type": kind, "id": id} }
