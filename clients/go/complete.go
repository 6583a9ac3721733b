package providersidecar

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Complete starts a completion and returns its stream. Cancelling ctx (or calling Close before the
// end) sends cancel to the sidecar and ends the stream with ctx's error.
//
//	stream, err := client.Complete(ctx, &providersidecar.Request{Model: "sim-echo", Messages: msgs})
//	for stream.Next() {
//		fmt.Print(stream.Chunk().Delta.Text)
//	}
//	if err := stream.Err(); err != nil { ... }
//	result := stream.Result()
func (c *Client) Complete(ctx context.Context, req *Request) (*Stream, error) {
	if req == nil || len(req.Messages) == 0 {
		return nil, &Error{Code: CodeBadRequest, Message: "messages: must not be empty"}
	}
	id := c.newID()
	cl, err := c.open(id, req.wire(id))
	if err != nil {
		return nil, err
	}
	s := &Stream{client: c, call: cl, id: id, ctx: ctx, finished: make(chan struct{})}
	if ctx.Done() != nil {
		go s.watch()
	}
	return s, nil
}

// CompleteText sends one user prompt unstreamed and returns the answer's text.
func (c *Client) CompleteText(ctx context.Context, model, prompt string) (string, error) {
	s, err := c.Complete(ctx, &Request{Model: model, Messages: []Message{UserText(prompt)}, NoStream: true})
	if err != nil {
		return "", err
	}
	r, err := s.Wait()
	if err != nil {
		return "", err
	}
	return r.Text(), nil
}

// ErrStreamClosed ends a stream that was closed before its last frame.
var ErrStreamClosed = errors.New("providersidecar: stream closed")

// Stream is one completion's chunks, read with Next/Chunk, then Err and Result. A Stream is meant for
// one goroutine; Close may be called from any.
type Stream struct {
	client   *Client
	call     *call
	id       string
	ctx      context.Context
	chunk    Chunk
	result   *Result
	err      error
	ended    bool
	endOnce  sync.Once
	finished chan struct{}
}

// ID is the request id the stream was sent with.
func (s *Stream) ID() string { return s.id }

// Next waits for the next chunk, reporting false when the stream ended (see Err and Result).
func (s *Stream) Next() bool {
	if s.ended {
		return false
	}
	f, err := s.call.next(s.ctx)
	switch {
	case err != nil:
		if ctxErr := s.ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		s.finish(err, true)
	case f.Type == "chunk":
		s.chunk = Chunk{Seq: f.Seq, Delta: f.Delta}
		return true
	case f.Type == "done":
		s.result = &Result{Provider: f.Provider, Model: f.Model, StopReason: f.StopReason, StopSequence: f.StopSequence, Content: f.Content,
			Usage: f.Usage, Attempts: f.Attempts, TTFTMs: f.TTFTMs, LatencyMs: f.LatencyMs}
		s.finish(nil, false)
	case f.Type == "error" && f.Error != nil:
		s.finish(f.Error.toError(f.ID), false)
	default:
		s.finish(fmt.Errorf("providersidecar: unexpected %q frame in a completion stream", f.Type), true)
	}
	return false
}

// Chunk is the chunk Next just read.
func (s *Stream) Chunk() Chunk { return s.chunk }

// Err is why the stream ended without a result: an *Error from the sidecar, ctx's error, or a
// transport error (ErrClosed). Nil after a done frame.
func (s *Stream) Err() error { return s.err }

// Result is the done frame's content, nil until the stream ended successfully.
func (s *Stream) Result() *Result { return s.result }

// Wait drains the stream and returns its result or error.
func (s *Stream) Wait() (*Result, error) {
	for s.Next() {
	}
	if s.err != nil {
		return nil, s.err
	}
	if s.result == nil {
		return nil, errors.New("providersidecar: the stream ended without a result")
	}
	return s.result, nil
}

// Close cancels the request if it is still running. Safe to call more than once, from any goroutine.
func (s *Stream) Close() error {
	s.endOnce.Do(func() {
		close(s.finished)
		s.client.cancel(s.id)
		s.call.fail(ErrStreamClosed)
	})
	return nil
}

func (s *Stream) finish(err error, cancel bool) {
	s.ended, s.err = true, err
	s.endOnce.Do(func() {
		close(s.finished)
		if cancel {
			s.client.cancel(s.id)
		} else {
			s.client.forget(s.id)
		}
	})
}

// watch sends cancel as soon as ctx is done, even while nobody is calling Next.
func (s *Stream) watch() {
	select {
	case <-s.ctx.Done():
		s.endOnce.Do(func() {
			close(s.finished)
			s.client.cancel(s.id)
		})
	case <-s.finished:
	}
}
