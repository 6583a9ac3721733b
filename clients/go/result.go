package providersidecar

import "strings"

// Usage holds token counts normalized across providers; InputTokens excludes cached input. When
// Reported is false the upstream gave no counts: they are unknown, not zero.
//
// CacheWrite1hTokens and ReasoningTokens are parts of CacheWriteTokens and OutputTokens, not further
// classes: the cache writes with a 1-hour TTL (the rest are 5-minute writes), and the output tokens spent
// reasoning (nil when the upstream did not report them). WebSearchRequests counts server-side web searches
// (requests, not tokens); ServiceTier is the tier that served the request, empty when not reported.
type Usage struct {
	InputTokens        int      `json:"input_tokens"`
	OutputTokens       int      `json:"output_tokens"`
	CacheReadTokens    int      `json:"cache_read_tokens"`
	CacheWriteTokens   int      `json:"cache_write_tokens"`
	CacheWrite1hTokens int      `json:"cache_write_1h_tokens"`
	ReasoningTokens    *int     `json:"reasoning_tokens"`
	WebSearchRequests  int      `json:"web_search_requests"`
	ServiceTier        string   `json:"service_tier"`
	CostUSD            *float64 `json:"cost_usd"`
	Reported           bool     `json:"reported"`
}

// Attempt is one try of one (provider, model) candidate; Error is empty when it succeeded.
type Attempt struct {
	Provider   string `json:"provider"`
	Model      string `json:"model"`
	Error      Code   `json:"error"`
	DurationMs int    `json:"duration_ms"`
}

// StopReason is why the model stopped (done.stop_reason). The constants are the values PROTOCOL.md lists;
// an upstream's own reason arrives under its own name (or "unknown"), so treat a value not listed here
// like StopEndTurn.
type StopReason string

const (
	StopEndTurn                    StopReason = "end_turn"
	StopMaxTokens                  StopReason = "max_tokens"
	StopSequence                   StopReason = "stop_sequence" // Result.StopSequence says which, when the upstream did
	StopToolUse                    StopReason = "tool_use"
	StopContentFilter              StopReason = "content_filter"
	StopRefusal                    StopReason = "refusal"    // the refusal's text, if any, is in the content as text
	StopPauseTurn                  StopReason = "pause_turn" // send the answer back as is to continue the turn
	StopCompaction                 StopReason = "compaction"
	StopModelContextWindowExceeded StopReason = "model_context_window_exceeded"
)

// Result is what the done frame reports about a finished completion.
type Result struct {
	Provider   string
	Model      string
	StopReason StopReason
	// StopSequence is the request's stop sequence that ended the answer; empty unless StopReason is
	// StopSequence and the upstream said which.
	StopSequence string
	Content      []Block
	Usage        Usage
	Attempts     []Attempt
	TTFTMs       *int
	LatencyMs    int
}

// Text is the concatenated text blocks of the answer.
func (r *Result) Text() string {
	var b strings.Builder
	for _, c := range r.Content {
		if c.Type == "text" {
			b.WriteString(c.Text)
		}
	}
	return b.String()
}

// ToolCalls are the answer's tool_use blocks; check Incomplete (or StopReason) before running one.
func (r *Result) ToolCalls() []Block {
	var calls []Block
	for _, c := range r.Content {
		if c.Type == "tool_use" {
			calls = append(calls, c)
		}
	}
	return calls
}

// Thinking are the answer's thinking and redacted_thinking blocks, in order.
func (r *Result) Thinking() []Block {
	var blocks []Block
	for _, c := range r.Content {
		if c.Type == "thinking" || c.Type == "redacted_thinking" {
			blocks = append(blocks, c)
		}
	}
	return blocks
}

// AssistantMessage is the answer as a turn to append to the conversation.
func (r *Result) AssistantMessage() Message { return Message{Role: "assistant", Content: r.Content} }

// ServerInfo names the sidecar build.
type ServerInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Hello is the sidecar's hello reply: its build, the agent bound to this socket (empty when unbound),
// the models it serves, and the largest frame it accepts.
type Hello struct {
	Protocol int
	Server   ServerInfo
	Agent    string
	Models   []string
	MaxFrame int
}
