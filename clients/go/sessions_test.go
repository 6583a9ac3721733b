package providersidecar

// Conformance against the real sidecar: every session of proto-spec/vectors/sessions (framed mode, the
// mode clients speak) and every refusal of messages/invalid.json, over this client's framing layer.

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runSession(t *testing.T, path string, sockets map[string]string) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []*sessionLine
	for _, text := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		l := &sessionLine{}
		if err := json.Unmarshal([]byte(text), l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	meta := lines[0]
	if !contains(meta.Modes, "framed") {
		t.Skip("line-mode only session")
	}
	conn, err := net.Dial("unix", sockets[meta.Listener])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second)) // turns a hung run into a failure; not a speed check
	s := &sessionRun{t: t, conn: conn, r: &frameReader{r: bufio.NewReader(conn), max: DefaultMaxFrame},
		seqs: map[any]float64{}, ended: map[any]bool{}}
	for i := 1; i < len(lines); {
		var batch []byte // one write, so that the sidecar reads the run together (duplicate_id relies on it)
		for ; i < len(lines) && lines[i].Dir == "c2s"; i++ {
			batch = append(batch, s.encode(lines[i])...)
		}
		if _, err := conn.Write(batch); err != nil {
			t.Fatal(err)
		}
		var group []*sessionLine
		for ; i < len(lines) && lines[i].Dir == "s2c"; i++ {
			group = append(group, lines[i])
		}
		s.await(group)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Every framed session of the conformance vectors passes against the real sidecar.
func TestVectorsSessions(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(vectorsDir(), "sessions", "*.jsonl"))
	if len(paths) == 0 {
		t.Fatal("no session vectors")
	}
	sockets := startSidecarWithListeners(t)
	for _, path := range paths {
		path := path
		t.Run(strings.TrimSuffix(filepath.Base(path), ".jsonl"), func(t *testing.T) { runSession(t, path, sockets) })
	}
}

// The sidecar refuses every messages/invalid.json payload with the listed code, id and field path, and
// the connection stays usable; the client reads each refusal as a typed *Error.
func TestVectorsInvalidMessages(t *testing.T) {
	var file struct {
		Vectors []struct {
			Name       string
			Message    any
			PayloadHex *string `json:"payload_hex"`
			Error      struct {
				Code Code
				ID   *string
				Path *string
			}
		}
	}
	loadVectors(t, "messages/invalid.json", &file)
	sock := startSidecar(t)
	for _, v := range file.Vectors {
		payload, err := encodeJSON(v.Message)
		if v.PayloadHex != nil {
			payload, err = hex.DecodeString(*v.PayloadHex)
		}
		if err != nil {
			t.Fatal(err)
		}
		conn, err := net.Dial("unix", sock)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(60 * time.Second))
		ping, _ := encodeJSON(simpleMessage("ping", "after"))
		conn.Write(append(encodeFrame(payload), encodeFrame(ping)...))
		r := &frameReader{r: bufio.NewReader(conn), max: DefaultMaxFrame}
		var frames []*inFrame
		for len(frames) < 2 {
			p, err := r.next()
			if err != nil {
				t.Fatalf("%s: %v", v.Name, err)
			}
			f, err := decodeFrame(p)
			if err != nil {
				t.Fatalf("%s: %v", v.Name, err)
			}
			frames = append(frames, f)
		}
		conn.Close()
		if frames[0].Type != "error" || frames[1].Type != "pong" {
			t.Errorf("%s: got %s then %s", v.Name, frames[0].Type, frames[1].Type)
			continue
		}
		e := frames[0].Error.toError(frames[0].ID)
		sameID := (v.Error.ID == nil && frames[0].ID == nil) || (v.Error.ID != nil && frames[0].ID != nil && *v.Error.ID == *frames[0].ID)
		if e.Code != v.Error.Code || !sameID || (v.Error.Path != nil && !strings.HasPrefix(e.Message, *v.Error.Path+":")) {
			t.Errorf("%s: got %+v", v.Name, e)
		}
	}
}
