package providersidecar

import (
	"context"
	"sync"
)

// call is one pending request's inbox. Unbounded, so a slow consumer of one stream never stalls the
// reader goroutine and with it every other request on the connection.
type call struct {
	mu     sync.Mutex
	frames []*inFrame
	err    error
	notify chan struct{} // capacity 1: "something changed"
}

func newCall() *call { return &call{notify: make(chan struct{}, 1)} }

func (c *call) push(f *inFrame) {
	c.mu.Lock()
	c.frames = append(c.frames, f)
	c.mu.Unlock()
	c.wake()
}

func (c *call) fail(err error) {
	c.mu.Lock()
	if c.err == nil {
		c.err = err
	}
	c.mu.Unlock()
	c.wake()
}

func (c *call) wake() {
	select {
	case c.notify <- struct{}{}:
	default:
	}
}

// next returns the next frame, the connection's error once the frames are drained, or ctx's error.
func (c *call) next(ctx context.Context) (*inFrame, error) {
	for {
		c.mu.Lock()
		if len(c.frames) > 0 {
			f := c.frames[0]
			c.frames[0] = nil
			c.frames = c.frames[1:]
			c.mu.Unlock()
			return f, nil
		}
		err := c.err
		c.mu.Unlock()
		if err != nil {
			return nil, err
		}
		select {
		case <-c.notify:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}
