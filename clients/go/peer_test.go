package providersidecar

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// scriptedPeer stands in for the sidecar on a real Unix socket in tests of the client's own logic
// (routing, cancel, failures); the end-to-end tests run the real binary. Behaviour is chosen by model,
// as the simulated provider does: echo streams two chunks then done; hold streams one chunk and waits
// for cancel; fail answers rate_limited; pair holds requests until two arrived, then interleaves them;
// noisy mixes in an unknown message type and a duplicate_id refusal; big answers with a 9 MiB done
// frame; drop closes the connection after one chunk.
type scriptedPeer struct {
	path     string
	ln       net.Listener
	mu       sync.Mutex
	cond     *sync.Cond
	received []map[string]any
	held     []string
	conns    []net.Conn
}

func newScriptedPeer(t *testing.T) *scriptedPeer {
	dir, err := os.MkdirTemp("/tmp", "psgo-")
	if err != nil {
		t.Fatal(err)
	}
	p := &scriptedPeer{path: filepath.Join(dir, "peer.sock")}
	p.cond = sync.NewCond(&p.mu)
	if p.ln, err = net.Listen("unix", p.path); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.ln.Close()
		p.mu.Lock()
		for _, c := range p.conns {
			c.Close()
		}
		p.mu.Unlock()
		os.RemoveAll(dir)
	})
	go p.accept()
	return p
}

func (p *scriptedPeer) accept() {
	for {
		conn, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns = append(p.conns, conn)
		p.mu.Unlock()
		go p.serve(conn)
	}
}

func (p *scriptedPeer) serve(conn net.Conn) {
	r := &frameReader{r: bufio.NewReader(conn), max: DefaultMaxFrame}
	var wmu sync.Mutex
	send := func(m map[string]any) {
		payload, _ := encodeJSON(m)
		wmu.Lock()
		conn.Write(encodeFrame(payload))
		wmu.Unlock()
	}
	for {
		payload, err := r.next()
		if err != nil {
			return
		}
		var msg map[string]any
		if json.Unmarshal(payload, &msg) != nil {
			return
		}
		p.mu.Lock()
		p.received = append(p.received, msg)
		p.cond.Broadcast()
		p.mu.Unlock()
		p.handle(msg, send, conn)
	}
}

func (p *scriptedPeer) handle(msg map[string]any, send func(map[string]any), conn net.Conn) {
	id := msg["id"]
	chunk := func(rid any, seq int, text string) map[string]any {
		return map[string]any{"type": "chunk", "id": rid, "seq": seq, "delta": map[string]any{"type": "text", "text": text}}
	}
	switch msg["type"] {
	case "hello":
		send(map[string]any{"type": "hello", "id": id, "protocol": 1, "server": map[string]any{"name": "scripted", "version": "0"},
			"agent": nil, "models": []any{"sim-echo"}, "max_frame": 8388608})
	case "ping":
		send(map[string]any{"type": "pong", "id": id})
	case "status", "usage":
		send(map[string]any{"type": msg["type"], "id": id, "report": map[string]any{"agent": msg["agent"]}})
	case "cancel":
		send(errorFrame(id, "cancelled"))
	case "complete":
		switch msg["model"] {
		case "echo":
			send(chunk(id, 0, "hi"))
			send(chunk(id, 1, " there"))
			send(doneFrame(id, "hi there"))
		case "hold":
			send(chunk(id, 0, "..."))
		case "fail":
			f := errorFrame(id, "rate_limited")
			f["error"].(map[string]any)["retry_after_ms"] = 250
			send(f)
		case "noisy": // what a newer or stricter sidecar may also send: none of it ends the stream
			send(chunk(id, 0, "a"))
			send(map[string]any{"type": "progress", "id": id, "note": "a notification type from a future version"})
			send(errorFrame(id, "duplicate_id"))
			send(chunk(id, 1, "b"))
			send(doneFrame(id, "ab"))
		case "big": // the sidecar's frames are not bounded by max_frame
			send(doneFrame(id, strings.Repeat("x", 9<<20)))
		case "drop":
			send(chunk(id, 0, "x"))
			conn.Close()
		case "pair":
			p.mu.Lock()
			p.held = append(p.held, id.(string))
			held := append([]string(nil), p.held...)
			p.mu.Unlock()
			if len(held) == 2 {
				for seq := 0; seq < 2; seq++ {
					for _, rid := range held {
						send(chunk(rid, seq, rid))
					}
				}
				send(doneFrame(held[1], "b"))
				send(doneFrame(held[0], "a"))
			}
		}
	}
}

func errorFrame(id any, code string) map[string]any {
	return map[string]any{"type": "error", "id": id, "error": map[string]any{"code": code, "message": code, "retryable": code == "rate_limited"}}
}

func doneFrame(id any, text string) map[string]any {
	return map[string]any{"type": "done", "id": id, "provider": "sim", "model": "sim-echo", "stop_reason": "end_turn",
		"content": []any{map[string]any{"type": "text", "text": text}},
		"usage": map[string]any{"input_tokens": 3, "output_tokens": 2, "cache_read_tokens": 0, "cache_write_tokens": 0,
			"cost_usd": nil, "reported": true},
		"attempts": []any{map[string]any{"provider": "sim", "model": "sim-echo", "duration_ms": 1}}, "ttft_ms": 1, "latency_ms": 2}
}

// waitFor blocks until a received message matches; a missing message hangs the test (go test's own
// timeout reports it) rather than racing a deadline.
func (p *scriptedPeer) waitFor(match func(map[string]any) bool) map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		for _, m := range p.received {
			if match(m) {
				return m
			}
		}
		p.cond.Wait()
	}
}
