package providersidecar

// A runner for proto-spec/vectors/sessions/*.jsonl over this client's framing layer.

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"reflect"
	"strings"
	"testing"
)

// matchPattern reports whether a session pattern matches a decoded value (vectors/README.md, Patterns).
func matchPattern(pattern, value any, present bool) bool {
	if s, ok := pattern.(string); ok && strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		switch s {
		case "<absent>":
			return !present
		case "<any>":
			return present
		case "<string>":
			_, ok = value.(string)
		case "<int>":
			n, isNum := value.(float64)
			ok = isNum && n >= 0 && n == float64(int64(n))
		case "<number>":
			_, ok = value.(float64)
		case "<bool>":
			_, ok = value.(bool)
		case "<object>":
			_, ok = value.(map[string]any)
		case "<array>":
			_, ok = value.([]any)
		}
		return present && ok
	}
	if !present {
		return false
	}
	switch p := pattern.(type) {
	case map[string]any:
		v, ok := value.(map[string]any)
		for key, sub := range p {
			member, has := v[key]
			if !ok || !matchPattern(sub, member, has) {
				return false
			}
		}
		return ok
	case []any:
		v, ok := value.([]any)
		if !ok || len(v) != len(p) {
			return false
		}
		for i := range p {
			if !matchPattern(p[i], v[i], true) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(pattern, value)
}

type sessionLine struct {
	Dir        string   `json:"dir"`
	Msg        any      `json:"msg"`
	Alt        []any    `json:"alt"`
	PayloadHex *string  `json:"payload_hex"`
	WireHex    *string  `json:"wire_hex"`
	Repeat     string   `json:"repeat"`
	Unordered  bool     `json:"unordered"`
	Closed     bool     `json:"closed"`
	Modes      []string `json:"modes"`
	Listener   string   `json:"listener"`
	count      int
}

func (l *sessionLine) patterns() []any {
	if l.Alt != nil {
		return l.Alt
	}
	return []any{l.Msg}
}

func (l *sessionLine) accepts(frame map[string]any) bool {
	for _, p := range l.patterns() {
		if matchPattern(p, frame, true) {
			return true
		}
	}
	return false
}

func (l *sessionLine) satisfied() bool { return l.Repeat == "*" || (l.Repeat == "+" && l.count > 0) }

// sessionRun is one session on one fresh framed connection.
type sessionRun struct {
	t     *testing.T
	conn  net.Conn
	r     *frameReader
	seqs  map[any]float64
	ended map[any]bool
}

func (s *sessionRun) encode(l *sessionLine) []byte {
	var data []byte
	switch {
	case l.WireHex != nil:
		data, _ = hex.DecodeString(*l.WireHex)
	case l.PayloadHex != nil:
		payload, _ := hex.DecodeString(*l.PayloadHex)
		data = encodeFrame(payload)
	default:
		if m, ok := l.Msg.(map[string]any); ok && m["type"] == "complete" { // an id may be reused once finished
			delete(s.ended, m["id"])
			delete(s.seqs, m["id"])
		}
		payload, err := encodeJSON(l.Msg)
		if err != nil {
			s.t.Fatal(err)
		}
		data = encodeFrame(payload)
	}
	return data
}

func (s *sessionRun) recv() map[string]any {
	payload, err := s.r.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		s.t.Fatalf("reading: %v", err)
	}
	var frame map[string]any
	if err := json.Unmarshal(payload, &frame); err != nil {
		s.t.Fatalf("undecodable frame %q", payload)
	}
	id, kind := frame["id"], frame["type"]
	switch {
	case kind == "chunk":
		if s.ended[id] || frame["seq"] != s.seqs[id] {
			s.t.Fatalf("chunk out of order or after the terminal: %v", frame)
		}
		s.seqs[id]++
	case kind == "done" || (kind == "error" && frame["error"].(map[string]any)["code"] != "duplicate_id"):
		s.ended[id] = true
	}
	return frame
}

// await matches one group of s2c lines (vectors/README.md, Steps and Order within a group).
func (s *sessionRun) await(group []*sessionLine) {
	byID, pos, closed := map[any][]*sessionLine{}, map[any]int{}, false
	for _, l := range group {
		if l.Closed {
			closed = true
			continue
		}
		id := l.patterns()[0].(map[string]any)["id"]
		byID[id] = append(byID[id], l)
	}
	pending := func() bool {
		for id, lines := range byID {
			for i, l := range lines {
				if (l.Unordered && l.count == 0) || (!l.Unordered && i >= pos[id] && !l.satisfied()) {
					return true
				}
			}
		}
		return false
	}
	for pending() {
		frame := s.recv()
		if frame == nil {
			s.t.Fatal("the sidecar closed the connection while frames were expected")
		}
		lines, ok := byID[frame["id"]]
		if !ok {
			s.t.Fatalf("unexpected frame %v", frame)
		}
		pos[frame["id"]] = s.match(lines, pos[frame["id"]], frame)
	}
	if closed && s.recv() != nil {
		s.t.Fatal("expected the sidecar to close the connection")
	}
}

func (s *sessionRun) match(lines []*sessionLine, start int, frame map[string]any) int {
	at := start
	for ; at < len(lines); at++ {
		l := lines[at]
		if l.Unordered {
			continue
		}
		if l.accepts(frame) {
			l.count++
			if l.Repeat != "" {
				return at
			}
			return at + 1
		}
		if !l.satisfied() {
			break
		}
	}
	for _, l := range lines {
		if l.Unordered && l.count == 0 && l.accepts(frame) {
			l.count = 1
			return start
		}
	}
	s.t.Fatalf("frame %v matches no expected line", frame)
	return at
}
