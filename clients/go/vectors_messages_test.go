package providersidecar

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// buildFromVector builds a valid.json message through the client's own request builders.
func buildFromVector(t *testing.T, msg map[string]any) map[string]any {
	id, _ := msg["id"].(string)
	switch msg["type"] {
	case "hello":
		client, _ := msg["client"].(string)
		return helloMessage(id, client)
	case "usage":
		return UsageQuery{GroupBy: stringField(msg, "group_by"), Agent: stringField(msg, "agent")}.wire(id)
	case "complete":
		data, _ := json.Marshal(msg)
		var fields struct {
			Agent, Model, System string
			Messages             []Message
			MaxTokens            float64 `json:"max_tokens"`
			Temperature          *float64
			TopP                 *float64 `json:"top_p"`
			Stop                 []string
			Tools                []Tool
			ToolChoice           any `json:"tool_choice"`
			Stream               *bool
			Cache                bool
			Metadata             map[string]any
			Thinking             *struct {
				Type         string
				BudgetTokens int `json:"budget_tokens"`
			}
			Effort string
		}
		if err := json.Unmarshal(data, &fields); err != nil {
			t.Fatal(err)
		}
		req := Request{Agent: fields.Agent, Model: fields.Model, System: fields.System, Messages: fields.Messages,
			MaxTokens: int(fields.MaxTokens), Temperature: fields.Temperature, TopP: fields.TopP, Stop: fields.Stop,
			Tools: fields.Tools, ToolChoice: fields.ToolChoice, NoStream: fields.Stream != nil && !*fields.Stream,
			Cache: fields.Cache, Metadata: fields.Metadata, Effort: fields.Effort}
		if fields.Thinking != nil {
			req.Thinking = &ThinkingConfig{Type: fields.Thinking.Type, BudgetTokens: fields.Thinking.BudgetTokens}
		}
		return req.wire(id)
	}
	return simpleMessage(msg["type"].(string), id)
}

func stringField(m map[string]any, key string) string { s, _ := m[key].(string); return s }

// normalizeMessage is the normalized form of an accepted client message (vectors/README.md).
func normalizeMessage(m map[string]any) map[string]any {
	out := map[string]any{"type": m["type"], "id": m["id"]}
	switch m["type"] {
	case "hello":
		out["protocol"], out["client"] = m["protocol"], m["client"]
	case "complete":
		for _, k := range []string{"agent", "model", "system", "max_tokens", "temperature", "top_p", "tool_choice", "metadata", "effort"} {
			out[k] = m[k]
		}
		out["thinking"] = nil
		if th, ok := m["thinking"].(map[string]any); ok {
			norm := map[string]any{"type": th["type"]}
			if th["type"] == "enabled" {
				norm["budget_tokens"] = th["budget_tokens"]
			}
			out["thinking"] = norm
		}
		out["stop"], out["tools"], out["stream"], out["cache"] = orEmpty(m["stop"]), []any{}, m["stream"] != false, m["cache"] == true
		if tools, ok := m["tools"].([]any); ok {
			var list []any
			for _, raw := range tools {
				tool := raw.(map[string]any)
				schema := tool["input_schema"]
				if schema == nil {
					schema = map[string]any{"type": "object"}
				}
				list = append(list, map[string]any{"name": tool["name"], "description": tool["description"], "input_schema": schema})
			}
			out["tools"] = list
		}
		var messages []any
		for _, raw := range m["messages"].([]any) {
			msg := raw.(map[string]any)
			messages = append(messages, map[string]any{"role": msg["role"], "content": normalizeContent(msg["content"])})
		}
		out["messages"] = messages
	}
	return out
}

func orEmpty(v any) any {
	if v == nil {
		return []any{}
	}
	return v
}

func normalizeContent(c any) []any {
	if s, ok := c.(string); ok {
		return []any{map[string]any{"type": "text", "text": s}}
	}
	var out []any
	for _, raw := range c.([]any) {
		b := raw.(map[string]any)
		switch b["type"] {
		case "tool_use":
			input := b["input"]
			if input == nil {
				input = map[string]any{}
			}
			b = map[string]any{"type": "tool_use", "id": b["id"], "name": b["name"], "input": input}
		case "tool_result":
			b = map[string]any{"type": "tool_result", "tool_use_id": b["tool_use_id"],
				"content": normalizeContent(b["content"]), "is_error": b["is_error"] == true}
		}
		out = append(out, b)
	}
	return out
}

// The client builds every valid.json request so that it decodes to the vector's normalized form.
func TestVectorsClientBuildsValidMessages(t *testing.T) {
	var file struct {
		Vectors []struct {
			Name    string
			Message map[string]any
			Decoded map[string]any
		}
	}
	loadVectors(t, "messages/valid.json", &file)
	for _, v := range file.Vectors {
		wire, err := encodeJSON(buildFromVector(t, v.Message))
		if err != nil {
			t.Fatal(err)
		}
		var decoded map[string]any
		if err := json.Unmarshal(wire, &decoded); err != nil {
			t.Fatal(err)
		}
		got := normalizeJSON(t, normalizeMessage(decoded))
		if !reflect.DeepEqual(got, normalizeJSON(t, v.Decoded)) {
			t.Errorf("%s:\n got %v\nwant %v", v.Name, got, v.Decoded)
		}
	}
}

// backToWire decodes a sidecar message into the client's typed values and rebuilds the wire object.
func backToWire(f *inFrame) map[string]any {
	m := map[string]any{"type": f.Type, "id": f.ID}
	switch f.Type {
	case "chunk":
		d := f.Delta
		delta := map[string]any{"type": d.Type}
		switch d.Type {
		case "text", "thinking":
			delta["text"] = d.Text
		case "signature":
			delta["signature"] = d.Signature
		case "redacted_thinking":
			delta["data"] = d.Data
		case "tool_use":
			delta["index"], delta["tool_use_id"], delta["name"] = d.Index, d.ToolUseID, d.Name
		case "tool_input":
			delta["index"], delta["partial_json"] = d.Index, d.PartialJSON
		}
		m["seq"], m["delta"] = f.Seq, delta
	case "done":
		r := Result{Provider: f.Provider, Model: f.Model, StopReason: f.StopReason, StopSequence: f.StopSequence,
			Content: f.Content, Usage: f.Usage, Attempts: f.Attempts, TTFTMs: f.TTFTMs, LatencyMs: f.LatencyMs}
		var content, attempts []any
		for _, b := range r.Content {
			content = append(content, b.wire())
		}
		for _, a := range r.Attempts {
			entry := map[string]any{"provider": a.Provider, "model": a.Model, "duration_ms": a.DurationMs}
			if a.Error != "" {
				entry["error"] = a.Error
			}
			attempts = append(attempts, entry)
		}
		u := r.Usage
		m["provider"], m["model"], m["stop_reason"], m["content"], m["attempts"] = r.Provider, r.Model, r.StopReason, content, attempts
		usage := map[string]any{"input_tokens": u.InputTokens, "output_tokens": u.OutputTokens, "cache_read_tokens": u.CacheReadTokens,
			"cache_write_tokens": u.CacheWriteTokens, "cost_usd": u.CostUSD, "reported": u.Reported}
		if u.CacheWrite1hTokens != 0 {
			usage["cache_write_1h_tokens"] = u.CacheWrite1hTokens
		}
		if u.ReasoningTokens != nil {
			usage["reasoning_tokens"] = *u.ReasoningTokens
		}
		if u.WebSearchRequests != 0 {
			usage["web_search_requests"] = u.WebSearchRequests
		}
		if u.ServiceTier != "" {
			usage["service_tier"] = u.ServiceTier
		}
		m["usage"] = usage
		m["ttft_ms"], m["latency_ms"] = r.TTFTMs, r.LatencyMs
		if r.StopSequence != "" {
			m["stop_sequence"] = r.StopSequence
		}
	case "error":
		e := f.Error.toError(f.ID)
		body := map[string]any{"code": e.Code, "message": e.Message, "retryable": e.Retryable}
		if e.Partial {
			body["partial"] = true
		}
		if e.RetryAfter > 0 {
			body["retry_after_ms"] = e.RetryAfter.Milliseconds()
		}
		m["error"] = body
	case "hello":
		h := Hello{Protocol: f.Protocol, Server: f.Server, Models: f.Models, MaxFrame: f.MaxFrame}
		m["protocol"], m["server"], m["models"], m["max_frame"] = h.Protocol, map[string]any{"name": h.Server.Name, "version": h.Server.Version}, h.Models, h.MaxFrame
		m["agent"] = f.Agent
	case "usage", "status":
		m["report"] = f.Report
	}
	return m
}

// Every sidecar message shape decodes into the client's types without losing a field.
func TestVectorsClientDecodesServerMessages(t *testing.T) {
	var file struct {
		Vectors []struct {
			Name    string
			Message map[string]any
		}
	}
	loadVectors(t, "messages/server.json", &file)
	for _, v := range file.Vectors {
		payload, err := encodeJSON(v.Message)
		if err != nil {
			t.Fatal(err)
		}
		f, err := decodeFrame(payload)
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if got := normalizeJSON(t, backToWire(f)); !reflect.DeepEqual(got, normalizeJSON(t, v.Message)) {
			t.Errorf("%s:\n got %v\nwant %v", v.Name, got, v.Message)
		}
	}
}

// A tool call cut off by max_tokens decodes as incomplete, its Input JSON null; a complete one has neither field.
func TestVectorsIncompleteToolCall(t *testing.T) {
	var file struct {
		Vectors []struct {
			Name    string
			Message json.RawMessage
		}
	}
	loadVectors(t, "messages/server.json", &file)
	for _, v := range file.Vectors {
		if v.Name != "done_tool_use_truncated" {
			continue
		}
		var done struct{ Content []Block }
		if err := json.Unmarshal(v.Message, &done); err != nil {
			t.Fatal(err)
		}
		r := Result{Content: done.Content}
		calls := r.ToolCalls()
		if len(calls) != 2 || calls[0].Incomplete || string(calls[0].Input) != "{}" {
			t.Fatalf("complete call: %+v", calls)
		}
		cut := calls[1]
		if !cut.Incomplete || string(cut.Input) != "null" || cut.PartialJSON != `{"path": "notes.txt", "text": "Dear` {
			t.Fatalf("incomplete call: %+v", cut)
		}
		return
	}
	t.Fatal("no done_tool_use_truncated vector")
}

// The StopReason constants are the values done.json documents; any other string decodes as itself, and
// stop_sequence says which sequence matched.
func TestVectorsStopReasons(t *testing.T) {
	known := []StopReason{StopEndTurn, StopMaxTokens, StopSequence, StopToolUse, StopContentFilter, StopRefusal,
		StopPauseTurn, StopCompaction, StopModelContextWindowExceeded}
	raw, err := os.ReadFile(filepath.Join(vectorsDir(), "..", "schema", "done.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties struct {
			StopReason struct{ Examples []StopReason } `json:"stop_reason"`
		}
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(schema.Properties.StopReason.Examples, known) {
		t.Errorf("done.json documents %v, the constants are %v", schema.Properties.StopReason.Examples, known)
	}
	var file struct {
		Vectors []struct {
			Name    string
			Message json.RawMessage
		}
	}
	loadVectors(t, "messages/server.json", &file)
	want := map[string][2]string{
		"done_stop_sequence":       {"stop_sequence", "\n\nEND"},
		"done_unknown_stop_reason": {"insufficient_system_resource", ""},
		"done_text":                {"end_turn", ""},
	}
	for _, v := range file.Vectors {
		expected, ok := want[v.Name]
		if !ok {
			continue
		}
		f, err := decodeFrame(v.Message)
		if err != nil {
			t.Fatal(err)
		}
		if got := [2]string{string(f.StopReason), f.StopSequence}; got != expected {
			t.Errorf("%s: got %q, want %q", v.Name, got, expected)
		}
		delete(want, v.Name)
	}
	if len(want) != 0 {
		t.Errorf("missing vectors %v", want)
	}
}

// Thinking blocks decode with their signature and data, and go back unchanged in the assistant message.
func TestVectorsThinkingBlocks(t *testing.T) {
	var file struct {
		Vectors []struct {
			Name    string
			Message struct{ Content []Block }
		}
	}
	loadVectors(t, "messages/server.json", &file)
	for _, v := range file.Vectors {
		if v.Name != "done_thinking" {
			continue
		}
		r := Result{Content: v.Message.Content}
		want := []Block{
			{Type: "thinking", Thinking: "Need the clock.", Signature: "EqQBCkgIARABGAI="},
			{Type: "redacted_thinking", Data: "EmwKAhgBEgy3va3pzix/LafPsn4="},
		}
		if got := r.Thinking(); !reflect.DeepEqual(got, want) {
			t.Errorf("thinking blocks: got %+v, want %+v", got, want)
		}
		if got := r.AssistantMessage().Content[0].wire(); !reflect.DeepEqual(got, map[string]any{
			"type": "thinking", "thinking": "Need the clock.", "signature": "EqQBCkgIARABGAI="}) {
			t.Errorf("sent back as %v", got)
		}
		return
	}
	t.Fatal("no done_thinking vector")
}
