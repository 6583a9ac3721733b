package providersidecar

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
)

// ClientName is sent in hello.
const ClientName = "provider-sidecar-go/0.1.0"

// Client is one connection to the sidecar. It is safe for concurrent use: requests from many goroutines
// are multiplexed over the connection, and one reader goroutine routes the replies by request id.
type Client struct {
	conn     net.Conn
	hello    Hello
	maxFrame int
	ids      atomic.Uint64
	wmu      sync.Mutex // serializes writes
	mu       sync.Mutex // guards pending and err
	pending  map[string]*call
	err      error // set once the connection is gone
}

// Dial connects to the sidecar at path (DefaultSocketPath when empty) and exchanges hello. A failure to
// connect is a *DialError whose message says how to start the sidecar.
func Dial(ctx context.Context, path string) (*Client, error) {
	if path == "" {
		path = DefaultSocketPath()
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		if op, ok := err.(*net.OpError); ok {
			err = op.Err
		}
		return nil, &DialError{Path: path, Err: err}
	}
	c := &Client{conn: conn, maxFrame: DefaultMaxFrame, pending: map[string]*call{}}
	go c.readLoop(&frameReader{r: bufio.NewReaderSize(conn, 64<<10), max: unbounded})
	reply, err := c.roundTrip(ctx, helloMessage(c.newID(), ClientName))
	if err == nil && reply.Protocol != 1 {
		err = fmt.Errorf("providersidecar: the sidecar speaks protocol %d, this client speaks 1", reply.Protocol)
	}
	if err != nil {
		c.Close()
		return nil, err
	}
	c.hello = Hello{Protocol: reply.Protocol, Server: reply.Server, Models: reply.Models, MaxFrame: reply.MaxFrame}
	if reply.Agent != nil {
		c.hello.Agent = *reply.Agent
	}
	if reply.MaxFrame > 0 {
		c.mu.Lock()
		c.maxFrame = reply.MaxFrame
		c.mu.Unlock()
	}
	return c, nil
}

// Hello is the sidecar's hello reply.
func (c *Client) Hello() Hello { return c.hello }

// Close closes the connection; requests in flight fail with ErrClosed.
func (c *Client) Close() error {
	c.fail(ErrClosed)
	return c.conn.Close()
}

// Ping checks that the sidecar answers.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.roundTrip(ctx, simpleMessage("ping", c.newID()))
	return err
}

// Status returns the sidecar's status report (providers, breakers, connections).
func (c *Client) Status(ctx context.Context) (map[string]any, error) {
	reply, err := c.roundTrip(ctx, simpleMessage("status", c.newID()))
	if err != nil {
		return nil, err
	}
	return reply.Report, nil
}

// Usage returns the ledger's usage report.
func (c *Client) Usage(ctx context.Context, q UsageQuery) (map[string]any, error) {
	reply, err := c.roundTrip(ctx, q.wire(c.newID()))
	if err != nil {
		return nil, err
	}
	return reply.Report, nil
}

func (c *Client) newID() string { return "go-" + strconv.FormatUint(c.ids.Add(1), 10) }

// roundTrip sends a message and waits for its single reply; an error frame becomes an *Error.
func (c *Client) roundTrip(ctx context.Context, msg map[string]any) (*inFrame, error) {
	id, _ := msg["id"].(string)
	cl, err := c.open(id, msg)
	if err != nil {
		return nil, err
	}
	defer c.forget(id)
	f, err := cl.next(ctx)
	if err != nil {
		return nil, err
	}
	if f.Type == "error" && f.Error != nil {
		return nil, f.Error.toError(f.ID)
	}
	return f, nil
}

// open registers a pending request, then sends it.
func (c *Client) open(id string, msg map[string]any) (*call, error) {
	payload, err := encodeJSON(msg)
	if err != nil {
		return nil, err
	}
	cl := newCall()
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return nil, c.err
	}
	if len(payload) > c.maxFrame {
		c.mu.Unlock()
		return nil, &Error{Code: CodeFrameTooLarge, RequestID: id,
			Message: fmt.Sprintf("request of %d bytes exceeds the sidecar's max_frame %d", len(payload), c.maxFrame)}
	}
	c.pending[id] = cl
	c.mu.Unlock()
	if err := c.write(payload); err != nil {
		c.forget(id)
		return nil, err
	}
	return cl, nil
}

func (c *Client) write(payload []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.conn.Write(encodeFrame(payload)); err != nil {
		c.fail(fmt.Errorf("%w: %v", ErrClosed, err))
		return c.closedErr()
	}
	return nil
}

// cancel forgets a request and asks the sidecar to stop it; its remaining frames are dropped.
func (c *Client) cancel(id string) {
	if c.forget(id) {
		payload, _ := encodeJSON(simpleMessage("cancel", id))
		_ = c.write(payload)
	}
}

// forget removes a pending request, reporting whether it was still pending.
func (c *Client) forget(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.pending[id]
	delete(c.pending, id)
	return ok
}

func (c *Client) closedErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// fail ends the client: every pending request and every later one gets err.
func (c *Client) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	for _, cl := range c.pending {
		cl.fail(err)
	}
	c.pending = map[string]*call{}
}

// readLoop is the one reader: it routes each frame to its pending request until the connection ends.
func (c *Client) readLoop(r *frameReader) {
	for {
		payload, err := r.next()
		var f *inFrame
		if err == nil {
			f, err = decodeFrame(payload)
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				err = fmt.Errorf("%w: %v", ErrClosed, err)
			}
			c.fail(err)
			c.conn.Close()
			return
		}
		if !serverTypes[f.Type] || (f.Type == "error" && f.Error != nil && f.Error.Code == CodeDuplicateID) {
			continue // unknown types are ignored; duplicate_id ends nothing (PROTOCOL.md §3, §10)
		}
		if f.ID == nil {
			if f.Type == "error" && f.Error != nil {
				// The sidecar could not read an id from something we sent; it closes the connection next.
				c.fail(f.Error.toError(nil))
			}
			continue
		}
		c.mu.Lock()
		cl := c.pending[*f.ID]
		c.mu.Unlock()
		if cl != nil {
			cl.push(f)
		}
	}
}
