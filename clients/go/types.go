package providersidecar

import (
	"encoding/json"
)

// Block is one content block: Type "text" (Text), "tool_use" (ID, Name, Input), "tool_result"
// (ToolUseID, Content, IsError), "image" (MediaType, Data as base64), "thinking" (Thinking, and the
// upstream's Signature, empty when it does not sign) or "redacted_thinking" (opaque Data). Send thinking
// blocks back unchanged in the next assistant message (AssistantMessage does): Anthropic requires the signed
// ones in a tool-use loop with thinking on.
//
// A tool_use block of a done frame is Incomplete when its arguments were cut off by max_tokens or are
// not a JSON object: Input is then JSON null and PartialJSON holds the raw argument text. Do not run it.
type Block struct {
	Type        string          `json:"type"`
	Text        string          `json:"text,omitempty"`
	ID          string          `json:"id,omitempty"`
	Name        string          `json:"name,omitempty"`
	Input       json.RawMessage `json:"input,omitempty"`
	PartialJSON string          `json:"partial_json,omitempty"`
	Incomplete  bool            `json:"incomplete,omitempty"`
	ToolUseID   string          `json:"tool_use_id,omitempty"`
	Content     []Block         `json:"content,omitempty"`
	IsError     bool            `json:"is_error,omitempty"`
	MediaType   string          `json:"media_type,omitempty"`
	Data        string          `json:"data,omitempty"`
	Thinking    string          `json:"thinking,omitempty"`
	Signature   string          `json:"signature,omitempty"`
}

// Text is a text block.
func Text(s string) Block { return Block{Type: "text", Text: s} }

// ToolResult answers the tool call toolUseID with text content.
func ToolResult(toolUseID, content string, isError bool) Block {
	return Block{Type: "tool_result", ToolUseID: toolUseID, Content: []Block{Text(content)}, IsError: isError}
}

// UnmarshalJSON accepts a tool_result's content given as a plain string.
func (b *Block) UnmarshalJSON(data []byte) error {
	type plain Block
	var raw struct {
		plain
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*b = Block(raw.plain)
	b.Content = nil
	var s string
	if len(raw.Content) > 0 && json.Unmarshal(raw.Content, &s) == nil {
		b.Content = []Block{Text(s)}
	} else if len(raw.Content) > 0 && string(raw.Content) != "null" {
		return json.Unmarshal(raw.Content, &b.Content)
	}
	return nil
}

func (b Block) wire() map[string]any {
	m := map[string]any{"type": b.Type}
	switch b.Type {
	case "text":
		m["text"] = b.Text
	case "tool_use":
		m["id"], m["name"] = b.ID, b.Name
		m["input"] = map[string]any{}
		if len(b.Input) > 0 {
			m["input"] = b.Input
		}
		if b.Incomplete {
			m["partial_json"], m["incomplete"] = b.PartialJSON, true
		}
	case "tool_result":
		m["tool_use_id"] = b.ToolUseID
		content := make([]any, len(b.Content))
		for i, c := range b.Content {
			content[i] = c.wire()
		}
		m["content"] = content
		if b.IsError {
			m["is_error"] = true
		}
	case "image":
		m["media_type"], m["data"] = b.MediaType, b.Data
	case "thinking":
		m["thinking"] = b.Thinking
		if b.Signature != "" {
			m["signature"] = b.Signature
		}
	case "redacted_thinking":
		m["data"] = b.Data
	}
	return m
}

// Message is one turn of the conversation; Role is "user" or "assistant". In JSON, Content may also
// be a plain string (one text block), as on the wire.
type Message struct {
	Role    string  `json:"role"`
	Content []Block `json:"content"`
}

// UnmarshalJSON accepts content given as a plain string.
func (m *Message) UnmarshalJSON(data []byte) error {
	var raw struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	m.Role, m.Content = raw.Role, nil
	var s string
	if json.Unmarshal(raw.Content, &s) == nil {
		m.Content = []Block{Text(s)}
		return nil
	}
	return json.Unmarshal(raw.Content, &m.Content)
}

// UserText is a user turn holding one text block.
func UserText(s string) Message { return Message{Role: "user", Content: []Block{Text(s)}} }

// Tool is a tool the model may call; InputSchema is a JSON Schema (a map, a struct or json.RawMessage).
type Tool struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	InputSchema any    `json:"input_schema,omitempty"`
}

// Request is a completion request. Zero fields are left out; the sidecar then applies its defaults.
type Request struct {
	Agent       string
	Model       string // provider/model, an alias, or a bare model name; empty: the agent's chain
	System      string
	Messages    []Message
	MaxTokens   int
	Temperature *float64
	TopP        *float64
	Stop        []string
	Tools       []Tool
	ToolChoice  any  // "auto", "any", "none", or map[string]any{"type": "tool", "name": ...}
	NoStream    bool // ask for the whole answer in the done frame, with no chunks
	Cache       bool // ask for prompt caching even where the provider does not enable it by default
	Metadata    map[string]any
	Thinking    *ThinkingConfig // nil: the model's default
	Effort      string          // "minimal", "low", "medium" or "high"; empty: the model's default
}

// ThinkingConfig is the request's thinking mode: Type "enabled" with BudgetTokens (at least 1024), "adaptive"
// or "disabled". Each provider kind maps it to its own field (PROTOCOL.md, Reasoning).
type ThinkingConfig struct {
	Type         string
	BudgetTokens int // "enabled" only
}

func (t *ThinkingConfig) wire() map[string]any {
	m := map[string]any{"type": t.Type}
	if t.BudgetTokens > 0 {
		m["budget_tokens"] = t.BudgetTokens
	}
	return m
}

func (r *Request) wire(id string) map[string]any {
	messages := make([]any, len(r.Messages))
	for i, m := range r.Messages {
		blocks := make([]any, len(m.Content))
		for j, b := range m.Content {
			blocks[j] = b.wire()
		}
		messages[i] = map[string]any{"role": m.Role, "content": blocks}
	}
	m := map[string]any{"type": "complete", "id": id, "messages": messages, "stream": !r.NoStream}
	set := func(key string, ok bool, v any) {
		if ok {
			m[key] = v
		}
	}
	set("agent", r.Agent != "", r.Agent)
	set("model", r.Model != "", r.Model)
	set("system", r.System != "", r.System)
	set("max_tokens", r.MaxTokens > 0, r.MaxTokens)
	set("temperature", r.Temperature != nil, deref(r.Temperature))
	set("top_p", r.TopP != nil, deref(r.TopP))
	set("stop", len(r.Stop) > 0, r.Stop)
	set("tool_choice", r.ToolChoice != nil, r.ToolChoice)
	set("cache", r.Cache, true)
	set("metadata", r.Metadata != nil, r.Metadata)
	set("effort", r.Effort != "", r.Effort)
	if r.Thinking != nil {
		m["thinking"] = r.Thinking.wire()
	}
	if len(r.Tools) > 0 {
		tools := make([]any, len(r.Tools))
		for i, t := range r.Tools {
			tool := map[string]any{"name": t.Name, "input_schema": t.InputSchema}
			if t.InputSchema == nil {
				tool["input_schema"] = map[string]any{"type": "object"}
			}
			if t.Description != "" {
				tool["description"] = t.Description
			}
			tools[i] = tool
		}
		m["tools"] = tools
	}
	return m
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// Delta is the incremental piece of a chunk: Type "text" (Text), "tool_use" (a call starts at content
// position Index: ToolUseID, Name), "tool_input" (a fragment of its JSON arguments: PartialJSON),
// "thinking" (more reasoning: Text), "signature" (closes the thinking block: Signature) or
// "redacted_thinking" (a whole block: Data).
type Delta struct {
	Type        string `json:"type"`
	Text        string `json:"text"`
	Index       int    `json:"index"`
	ToolUseID   string `json:"tool_use_id"`
	Name        string `json:"name"`
	PartialJSON string `json:"partial_json"`
	Signature   string `json:"signature"`
	Data        string `json:"data"`
}

// Chunk is one streamed piece of an answer; Seq counts 0, 1, 2 ... per request.
type Chunk struct {
	Seq   int
	Delta Delta
}
