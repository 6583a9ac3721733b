package providersidecar

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var weather = Tool{
	Name:        "get_weather",
	Description: "Current weather for a city",
	InputSchema: map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}},
		"required": []any{"city"}},
}

func dialSidecar(t *testing.T) *Client {
	c, err := Dial(context.Background(), startSidecar(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// A streamed completion yields text chunks in seq order, then a result with usage.
func TestE2EStreamWithUsage(t *testing.T) {
	c := dialSidecar(t)
	if c.Hello().Protocol != 1 || c.Hello().MaxFrame <= 0 {
		t.Fatalf("hello %+v", c.Hello())
	}
	s, err := c.Complete(context.Background(), &Request{Model: "sim/sim-fast", MaxTokens: 200, Messages: []Message{UserText("Hello there")}})
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	seq := 0
	for s.Next() {
		if ch := s.Chunk(); ch.Seq != seq || ch.Delta.Type != "text" {
			t.Fatalf("chunk %+v at %d", ch, seq)
		}
		text.WriteString(s.Chunk().Delta.Text)
		seq++
	}
	r := s.Result()
	if s.Err() != nil || r == nil || r.Text() != text.String() || r.Provider != "sim" || r.StopReason != "end_turn" {
		t.Fatalf("err %v result %+v", s.Err(), r)
	}
	if r.Usage.InputTokens == 0 || r.Usage.OutputTokens == 0 {
		t.Fatalf("usage %+v", r.Usage)
	}
}

// A tool call streams tool_use and tool_input deltas, ends with stop_reason tool_use and parsed input;
// answering it with a tool_result gets a text answer.
func TestE2EToolCallRoundTrip(t *testing.T) {
	c := dialSidecar(t)
	ctx := context.Background()
	req := &Request{Model: "sim-tools", Tools: []Tool{weather}, Messages: []Message{UserText("Weather in Paris?")}}
	s, err := c.Complete(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	var start Delta
	var args strings.Builder
	for s.Next() {
		switch d := s.Chunk().Delta; d.Type {
		case "tool_use":
			start = d
		case "tool_input":
			args.WriteString(d.PartialJSON)
		}
	}
	r, err := s.Wait()
	if err != nil || r.StopReason != "tool_use" || len(r.ToolCalls()) != 1 {
		t.Fatalf("err %v result %+v", err, r)
	}
	call := r.ToolCalls()[0]
	var streamed, final map[string]any
	if call.Name != "get_weather" || call.ID != start.ToolUseID || start.Name != "get_weather" ||
		json.Unmarshal([]byte(args.String()), &streamed) != nil || json.Unmarshal(call.Input, &final) != nil ||
		len(final) != len(streamed) {
		t.Fatalf("call %+v start %+v args %s", call, start, args.String())
	}
	req.Messages = append(req.Messages, r.AssistantMessage(),
		Message{Role: "user", Content: []Block{ToolResult(call.ID, `{"temperature_c": 18}`, false)}})
	s, _ = c.Complete(ctx, req)
	answer, err := s.Wait()
	if err != nil || answer.StopReason != "end_turn" || answer.Text() == "" {
		t.Fatalf("err %v answer %+v", err, answer)
	}
}

// Upstream and routing failures arrive as *Error matching their sentinels; the connection stays usable.
func TestE2ETypedErrors(t *testing.T) {
	c := dialSidecar(t)
	ctx := context.Background()
	if _, err := c.CompleteText(ctx, "sim-fail-400", "x"); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("sim-fail-400: %v", err)
	}
	if _, err := c.CompleteText(ctx, "nope/nope", "x"); !errors.Is(err, ErrUnknownModel) {
		t.Fatalf("unknown model: %v", err)
	}
	if text, err := c.CompleteText(ctx, "sim-fast", "still usable"); err != nil || text == "" {
		t.Fatalf("%q %v", text, err)
	}
}

// Cancelling the context mid-stream ends the stream with context.Canceled; other requests go on.
func TestE2ECancelMidStream(t *testing.T) {
	c := dialSidecar(t)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := c.Complete(ctx, &Request{Model: "sim-pace-200", Messages: []Message{UserText("a long story")}})
	if err != nil {
		t.Fatal(err)
	}
	if !s.Next() {
		t.Fatal(s.Err())
	}
	cancel()
	for s.Next() {
	}
	if !errors.Is(s.Err(), context.Canceled) || s.Result() != nil {
		t.Fatalf("err %v", s.Err())
	}
	hang, _ := c.Complete(context.Background(), &Request{Model: "sim-hang", Messages: []Message{UserText("x")}})
	hang.Close()
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Many goroutines share one client; every stream gets its own result.
func TestE2EConcurrentStreams(t *testing.T) {
	c := dialSidecar(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			prompt := "request " + string(rune('a'+i))
			s, err := c.Complete(context.Background(), &Request{Model: "sim-fast", Messages: []Message{UserText(prompt)}})
			if err == nil {
				var r *Result
				if r, err = s.Wait(); err == nil && !strings.Contains(r.Text(), prompt) {
					err = errors.New("answer to another request: " + r.Text())
				}
			}
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Status(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Usage(context.Background(), UsageQuery{GroupBy: "model"}); err != nil {
		t.Fatal(err)
	}
}

// examples/go_agent, as a developer would run it, streams a tool call and prints usage.
func TestE2EGoAgentExample(t *testing.T) {
	sock := startSidecar(t)
	bin := filepath.Join(t.TempDir(), "go_agent")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Join("..", "..", "examples", "go_agent")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the example: %v\n%s", err, out)
	}
	var stdout, stderr strings.Builder
	run := exec.Command(bin, "-model", "sim-tools")
	run.Env = append(os.Environ(), "PROVIDER_SIDECAR_SOCKET="+sock)
	run.Stdout, run.Stderr = &stdout, &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "[calling get_weather]") ||
		!strings.Contains(stderr.String(), "[turn 1: sim/sim-tools") || !strings.Contains(stderr.String(), "[turn 2: sim/sim-tools") {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
}
