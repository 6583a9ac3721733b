package providersidecar

// The shared conformance vectors (proto-spec/vectors) that apply to a client: framing/framed.json
// (decoding under every split, encoding), messages/valid.json (the requests this client builds),
// messages/server.json (every sidecar message decoded into the client's types and back) and errors.json.
// framing/lines.json does not apply (clients always speak framed mode); messages/invalid.json and
// sessions/ run against the real sidecar in sessions_test.go.

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
)

func vectorsDir() string {
	if d := os.Getenv("PROVIDER_SIDECAR_VECTORS"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "proto-spec", "vectors")
}

func loadVectors(t *testing.T, name string, into any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorsDir(), name))
	if err != nil {
		t.Fatalf("conformance vectors: %v", err)
	}
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// normalizeJSON round-trips a value through encoding/json so that numbers and maps compare alike.
func normalizeJSON(t *testing.T, v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

type framedVector struct {
	Name     string           `json:"name"`
	MaxFrame int              `json:"max_frame"`
	InputHex string           `json:"input_hex"`
	Expect   []map[string]any `json:"expect"`
	EOF      *string          `json:"eof"`
	Splits   [][]int          `json:"splits"`
}

// pieces is a reader that delivers its input in the given pieces, one per Read.
type pieces struct{ parts [][]byte }

func (p *pieces) Read(b []byte) (int, error) {
	for len(p.parts) > 0 && len(p.parts[0]) == 0 {
		p.parts = p.parts[1:]
	}
	if len(p.parts) == 0 {
		return 0, io.EOF
	}
	n := copy(b, p.parts[0])
	p.parts[0] = p.parts[0][n:]
	return n, nil
}

func decodeWithCuts(data []byte, cuts []int, max int) ([]map[string]any, any) {
	sort.Ints(cuts)
	var parts [][]byte
	prev := 0
	for _, c := range append(cuts, len(data)) {
		parts = append(parts, data[prev:c])
		prev = c
	}
	r := &frameReader{r: bufio.NewReaderSize(&pieces{parts: parts}, 16), max: max}
	var out []map[string]any
	for {
		payload, err := r.next()
		var e *Error
		switch {
		case err == nil:
			out = append(out, map[string]any{"payload_hex": hex.EncodeToString(payload)})
		case errors.As(err, &e):
			fatal := e.Code == CodeFrameTooLarge
			out = append(out, map[string]any{"error": string(e.Code), "fatal": fatal})
			if fatal {
				return out, nil
			}
		case err == io.EOF:
			return out, "clean"
		default:
			return out, "truncated"
		}
	}
}

// Framed decoding gives the vector's payloads, errors and end-of-stream verdict however input is split.
func TestVectorsFramedDecoding(t *testing.T) {
	var file struct{ Vectors []framedVector }
	loadVectors(t, "framing/framed.json", &file)
	for _, v := range file.Vectors {
		data, _ := hex.DecodeString(v.InputHex)
		var want []map[string]any
		for _, e := range v.Expect {
			if p, ok := e["payload_hex"]; ok {
				e = map[string]any{"payload_hex": p}
			}
			want = append(want, e)
		}
		var wantEOF any
		if v.EOF != nil {
			wantEOF = *v.EOF
		}
		splittings := append([][]int{{}}, v.Splits...)
		every := []int{}
		for i := 1; i < len(data); i++ {
			every = append(every, i)
		}
		splittings = append(splittings, every)
		rng := rand.New(rand.NewSource(int64(len(v.Name))))
		for i := 0; i < 5 && len(data) > 1; i++ {
			cuts := map[int]bool{}
			for j := 0; j < 1+rng.Intn(5); j++ {
				cuts[1+rng.Intn(len(data)-1)] = true
			}
			var list []int
			for c := range cuts {
				list = append(list, c)
			}
			splittings = append(splittings, list)
		}
		for _, cuts := range splittings {
			got, eof := decodeWithCuts(data, append([]int(nil), cuts...), v.MaxFrame)
			if !reflect.DeepEqual(normalizeJSON(t, got), normalizeJSON(t, want)) || eof != wantEOF {
				t.Errorf("%s cut at %v: got %v %v, want %v %v", v.Name, cuts, got, eof, want, wantEOF)
			}
		}
		if wantEOF == "clean" && len(want) > 0 {
			var encoded []byte
			wellFormed := true
			for _, e := range v.Expect {
				p, ok := e["payload_hex"].(string)
				wellFormed = wellFormed && ok
				b, _ := hex.DecodeString(p)
				encoded = append(encoded, encodeFrame(b)...)
			}
			if wellFormed && hex.EncodeToString(encoded) != v.InputHex {
				t.Errorf("%s: encoding gives %x", v.Name, encoded)
			}
		}
	}
}

// The code list matches errors.json in order, with each code's default retryable.
func TestVectorsErrorCodes(t *testing.T) {
	var file struct {
		Codes []struct {
			Code      Code `json:"code"`
			Retryable bool `json:"retryable"`
		} `json:"codes"`
	}
	loadVectors(t, "errors.json", &file)
	if len(file.Codes) != len(sentinels) {
		t.Fatalf("%d codes in the spec, %d sentinels", len(file.Codes), len(sentinels))
	}
	for i, c := range file.Codes {
		w := wireError{Code: c.Code, Message: "m"}
		e := w.toError(nil)
		if sentinels[i].Code != c.Code || sentinels[i].Retryable != c.Retryable || e.Code != c.Code || e.Retryable != c.Retryable {
			t.Errorf("%s: sentinel %+v, decoded %+v", c.Code, sentinels[i], e)
		}
	}
	if e := (&wireError{Code: "from_the_future", Message: "x"}).toError(nil); e.Code != CodeInternal {
		t.Errorf("unknown code decoded as %s", e.Code)
	}
}
