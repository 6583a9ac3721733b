package providersidecar

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func dialPeer(t *testing.T) (*scriptedPeer, *Client) {
	p := newScriptedPeer(t)
	c, err := Dial(context.Background(), p.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return p, c
}

func texts(t *testing.T, s *Stream) []string {
	var out []string
	for s.Next() {
		out = append(out, s.Chunk().Delta.Text)
	}
	return out
}

// Hello is exchanged on Dial; a stream yields its chunks, then the done frame's result.
func TestStreamThenResult(t *testing.T) {
	p, c := dialPeer(t)
	if c.Hello().Server.Name != "scripted" {
		t.Fatalf("hello: %+v", c.Hello())
	}
	s, err := c.Complete(context.Background(), &Request{Model: "echo", MaxTokens: 5, Messages: []Message{UserText("hello")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := texts(t, s); len(got) != 2 || got[0] != "hi" || got[1] != " there" {
		t.Fatalf("chunks %q", got)
	}
	if s.Err() != nil || s.Result().Text() != "hi there" || s.Result().Usage.OutputTokens != 2 {
		t.Fatalf("err %v result %+v", s.Err(), s.Result())
	}
	sent := p.waitFor(func(m map[string]any) bool { return m["type"] == "complete" })
	if sent["max_tokens"] != 5.0 || sent["stream"] != true || sent["system"] != nil {
		t.Fatalf("sent %v", sent)
	}
	if sent["thinking"] != nil || sent["effort"] != nil {
		t.Fatalf("reasoning fields sent unasked: %v", sent)
	}
}

// Thinking and Effort go on the wire as the protocol spells them.
func TestReasoningFields(t *testing.T) {
	p, c := dialPeer(t)
	req := &Request{Model: "echo", Messages: []Message{UserText("hello")}, Effort: "minimal",
		Thinking: &ThinkingConfig{Type: "enabled", BudgetTokens: 2048}}
	s, err := c.Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	texts(t, s)
	sent := p.waitFor(func(m map[string]any) bool { return m["type"] == "complete" })
	thinking, _ := sent["thinking"].(map[string]any)
	if sent["effort"] != "minimal" || thinking["type"] != "enabled" || thinking["budget_tokens"] != 2048.0 {
		t.Fatalf("sent %v", sent)
	}
}

// Frames of two interleaved requests reach their own streams, whatever order they are read in.
func TestInterleavedRequestsAreRoutedByID(t *testing.T) {
	_, c := dialPeer(t)
	ctx := context.Background()
	a, _ := c.Complete(ctx, &Request{Model: "pair", Messages: []Message{UserText("a")}})
	b, _ := c.Complete(ctx, &Request{Model: "pair", Messages: []Message{UserText("b")}})
	for _, s := range []*Stream{b, a} {
		got := texts(t, s)
		if len(got) != 2 || got[0] != s.ID() || got[1] != s.ID() {
			t.Fatalf("%s got %q", s.ID(), got)
		}
	}
	if a.Result().Text() != "a" || b.Result().Text() != "b" {
		t.Fatal("results swapped")
	}
}

// One client serves concurrent goroutines.
func TestConcurrentGoroutines(t *testing.T) {
	_, c := dialPeer(t)
	var wg sync.WaitGroup
	results := make(chan string, 2)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := c.Complete(context.Background(), &Request{Model: "pair", Messages: []Message{UserText("x")}})
			if err != nil {
				t.Error(err)
				return
			}
			r, err := s.Wait()
			if err != nil {
				t.Error(err)
				return
			}
			results <- r.Text()
		}()
	}
	wg.Wait()
	close(results)
	seen := map[string]bool{}
	for r := range results {
		seen[r] = true
	}
	if !seen["a"] || !seen["b"] {
		t.Fatalf("results %v", seen)
	}
}

// An error frame is an *Error matching its sentinel, with the retry hint; the connection stays usable.
func TestErrorFrameMatchesSentinel(t *testing.T) {
	_, c := dialPeer(t)
	s, _ := c.Complete(context.Background(), &Request{Model: "fail", Messages: []Message{UserText("x")}})
	_, err := s.Wait()
	var e *Error
	if !errors.Is(err, ErrRateLimited) || !errors.As(err, &e) || !e.Retryable || e.RetryAfter != 250*time.Millisecond {
		t.Fatalf("err %#v", err)
	}
	if errors.Is(err, ErrOverloaded) || !IsUpstream(err) {
		t.Fatal("wrong family")
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Cancelling the context sends cancel for the request and ends the stream with the context's error.
func TestContextCancelSendsCancel(t *testing.T) {
	p, c := dialPeer(t)
	ctx, cancel := context.WithCancel(context.Background())
	s, _ := c.Complete(ctx, &Request{Model: "hold", Messages: []Message{UserText("x")}})
	if !s.Next() {
		t.Fatal(s.Err())
	}
	cancel()
	p.waitFor(func(m map[string]any) bool { return m["type"] == "cancel" && m["id"] == s.ID() })
	if s.Next() || !errors.Is(s.Err(), context.Canceled) {
		t.Fatalf("err %v", s.Err())
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Close on a stream blocked in Next, from another goroutine, sends cancel and unblocks it.
func TestCloseUnblocksNext(t *testing.T) {
	p, c := dialPeer(t)
	s, _ := c.Complete(context.Background(), &Request{Model: "hold", Messages: []Message{UserText("x")}})
	s.Next()
	done := make(chan bool)
	go func() { done <- s.Next() }()
	s.Close()
	if <-done || !errors.Is(s.Err(), ErrStreamClosed) {
		t.Fatalf("err %v", s.Err())
	}
	p.waitFor(func(m map[string]any) bool { return m["type"] == "cancel" && m["id"] == s.ID() })
}

// Losing the connection fails the pending stream and later requests with ErrClosed.
func TestConnectionLossFailsPending(t *testing.T) {
	_, c := dialPeer(t)
	s, _ := c.Complete(context.Background(), &Request{Model: "drop", Messages: []Message{UserText("x")}})
	if _, err := s.Wait(); !errors.Is(err, ErrClosed) {
		t.Fatalf("err %v", err)
	}
	if err := c.Ping(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("ping err %v", err)
	}
}

// Status and Usage return the report; usage query fields travel in the message.
func TestStatusAndUsage(t *testing.T) {
	_, c := dialPeer(t)
	if _, err := c.Status(context.Background()); err != nil {
		t.Fatal(err)
	}
	r, err := c.Usage(context.Background(), UsageQuery{Agent: "coder", Since: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)})
	if err != nil || r["agent"] != "coder" {
		t.Fatalf("usage %v %v", r, err)
	}
}

// A request larger than the sidecar's max_frame is refused locally, and the client stays usable.
func TestOversizedRequestIsRefusedBeforeSending(t *testing.T) {
	p, c := dialPeer(t)
	c.mu.Lock()
	c.maxFrame = 200 // as if the sidecar's hello had announced it
	c.mu.Unlock()
	_, err := c.Complete(context.Background(), &Request{Model: "echo", Messages: []Message{UserText(strings.Repeat("x", 500))}})
	if !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("err %v", err)
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.received {
		if m["type"] == "complete" {
			t.Fatal("the oversized request was sent")
		}
	}
}

// Unknown message types and a duplicate_id refusal do not end a stream; frames over max_frame are read.
func TestIgnoresUnknownTypesAndReadsBigFrames(t *testing.T) {
	_, c := dialPeer(t)
	s, _ := c.Complete(context.Background(), &Request{Model: "noisy", Messages: []Message{UserText("x")}})
	if got := texts(t, s); len(got) != 2 || s.Err() != nil || s.Result().Text() != "ab" {
		t.Fatalf("chunks %q err %v", got, s.Err())
	}
	text, err := c.CompleteText(context.Background(), "big", "x")
	if err != nil || len(text) != 9<<20 {
		t.Fatalf("%d bytes, err %v", len(text), err)
	}
}
