package providersidecar

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"
)

// DefaultMaxFrame is the largest request the sidecar accepts until its hello announces its own max_frame
// (8 MiB).
const DefaultMaxFrame = 8 << 20

// unbounded is the limit for frames the sidecar sends: none but the header's. Its frames are not bounded
// by max_frame (a done frame carries the whole answer).
const unbounded = math.MaxUint32

// serverTypes are the message types a sidecar sends in protocol v1; clients ignore any other type.
var serverTypes = map[string]bool{"hello": true, "chunk": true, "done": true, "error": true, "usage": true,
	"status": true, "pong": true}

// DefaultSocketPath is where the sidecar listens unless told otherwise: $PROVIDER_SIDECAR_SOCKET, else
// $XDG_RUNTIME_DIR/provider-sidecar/sidecar.sock, else /tmp/provider-sidecar-<uid>/sidecar.sock.
func DefaultSocketPath() string {
	if p := os.Getenv("PROVIDER_SIDECAR_SOCKET"); p != "" {
		return p
	}
	// The XDG spec says relative values must be ignored.
	if dir := os.Getenv("XDG_RUNTIME_DIR"); strings.HasPrefix(dir, "/") {
		return filepath.Join(dir, "provider-sidecar", "sidecar.sock")
	}
	return fmt.Sprintf("/tmp/provider-sidecar-%d/sidecar.sock", os.Getuid())
}

// startHint tells a user who cannot connect what to do.
const startHint = "is the sidecar running? start it with `provider-sidecar serve` or set PROVIDER_SIDECAR_SOCKET"

// DialError reports a failed connection to the sidecar's socket. It unwraps to the system error
// (fs.ErrNotExist, syscall.ECONNREFUSED, ...) and matches ErrNoSidecar with errors.Is.
type DialError struct {
	Path string
	Err  error
}

func (e *DialError) Error() string {
	why := e.Err.Error()
	switch {
	case errors.Is(e.Err, syscall.ENOENT) || errors.Is(e.Err, syscall.ENOTDIR):
		why = "no socket there"
	case errors.Is(e.Err, syscall.ECONNREFUSED):
		why = "connection refused (a stale socket: nobody is listening)"
	case errors.Is(e.Err, syscall.EACCES):
		return fmt.Sprintf("cannot connect to the sidecar at %s: permission denied (check the socket's mode and group)", e.Path)
	}
	return fmt.Sprintf("cannot connect to the sidecar at %s: %s (%s)", e.Path, why, startHint)
}

func (e *DialError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNoSidecar) true for every dial failure.
func (e *DialError) Is(target error) bool { return target == ErrNoSidecar }

// frameReader cuts the byte stream into frame payloads: a u32 big-endian length N, 1 <= N <= max, then N
// bytes of JSON.
type frameReader struct {
	r   *bufio.Reader
	max int
}

func (f *frameReader) next() ([]byte, error) {
	var header [4]byte
	if _, err := io.ReadFull(f.r, header[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(header[:])
	if n == 0 {
		return nil, &Error{Code: CodeBadRequest, Message: "empty frame (length 0)"}
	}
	if int64(n) > int64(f.max) {
		return nil, &Error{Code: CodeFrameTooLarge, Message: fmt.Sprintf("frame of %d bytes exceeds max_frame %d", n, f.max)}
	}
	if n <= 64<<10 {
		payload := make([]byte, n)
		if _, err := io.ReadFull(f.r, payload); err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		return payload, nil
	}
	// A large frame is buffered as it arrives, so a bad header cannot make us allocate 4 GiB up front.
	var body bytes.Buffer
	if _, err := io.CopyN(&body, f.r, int64(n)); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return body.Bytes(), nil
}

// encodeFrame wraps a payload for the wire.
func encodeFrame(payload []byte) []byte {
	out := make([]byte, 4+len(payload))
	binary.BigEndian.PutUint32(out, uint32(len(payload)))
	copy(out[4:], payload)
	return out
}

// inFrame is every message the sidecar sends, decoded into one struct; fields absent from a message
// type stay zero.
type inFrame struct {
	Type string  `json:"type"`
	ID   *string `json:"id"`
	// chunk
	Seq   int   `json:"seq"`
	Delta Delta `json:"delta"`
	// error
	Error *wireError `json:"error"`
	// usage, status
	Report map[string]any `json:"report"`
	// done
	Provider     string     `json:"provider"`
	Model        string     `json:"model"`
	StopReason   StopReason `json:"stop_reason"`
	StopSequence string     `json:"stop_sequence"`
	Content      []Block    `json:"content"`
	Usage        Usage      `json:"usage"`
	Attempts     []Attempt  `json:"attempts"`
	TTFTMs       *int       `json:"ttft_ms"`
	LatencyMs    int        `json:"latency_ms"`
	// hello
	Protocol int        `json:"protocol"`
	Server   ServerInfo `json:"server"`
	Agent    *string    `json:"agent"`
	Models   []string   `json:"models"`
	MaxFrame int        `json:"max_frame"`
}

// decodeFrame parses one payload; anything but a UTF-8 JSON object is a bad_request *Error.
func decodeFrame(payload []byte) (*inFrame, error) {
	if !utf8.Valid(payload) {
		return nil, &Error{Code: CodeBadRequest, Message: "message is not valid UTF-8"}
	}
	var f inFrame
	err := json.Unmarshal(payload, &f)
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		return nil, &Error{Code: CodeBadRequest, Message: "message is not valid JSON"}
	case len(bytes.TrimLeft(payload, " \t\r\n")) == 0 || bytes.TrimLeft(payload, " \t\r\n")[0] != '{':
		return nil, &Error{Code: CodeBadRequest, Message: "message must be a JSON object"}
	case err != nil && !serverTypes[f.Type]:
		return &inFrame{Type: f.Type}, nil // a type from a newer version: ignored whatever its fields
	case err != nil:
		return nil, &Error{Code: CodeBadRequest, Message: "malformed message: " + err.Error()}
	}
	return &f, nil
}
