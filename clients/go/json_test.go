package providersidecar

import (
	"bufio"
	"bytes"
	"errors"
	"math"
	"testing"
)

// Canonical JSON puts type and id first, sorts the rest, and escapes like the server.
func TestCanonicalJSON(t *testing.T) {
	got, err := encodeJSON(map[string]any{"z": 1, "id": "r1", "type": "complete",
		"a": map[string]any{"b": []any{true, nil, 1.5}}, "s": "q\"b\\\n\r\t\x01\x08é<&>"})
	want := `{"type":"complete","id":"r1","a":{"b":[true,null,1.5]},"s":"q\"b\\\n\r\t\u0001\u0008é<&>","z":1}`
	if err != nil || string(got) != want {
		t.Fatalf("got %s", got)
	}
}

// Numbers come out as Swift's Double.description prints them.
func TestNumbersMatchSwift(t *testing.T) {
	cases := map[float64]string{3: "3", -0.5: "-0.5", 0.1: "0.1", 1e-5: "1e-05", 0.0001: "0.0001",
		123456789.5: "123456789.5", 9e15: "9000000000000000.0", 9.1e15: "9.1e+15", 1e21: "1e+21",
		1.5e300: "1.5e+300", math.NaN(): "null", 9.9e-05: "9.9e-05"}
	for n, want := range cases {
		if got, _ := encodeJSON(n); string(got) != want {
			t.Errorf("%v: got %s want %s", n, got, want)
		}
	}
}

// The frame reader returns the same payloads however the bytes are split, and rejects bad headers.
func TestFrameReader(t *testing.T) {
	stream := append(encodeFrame([]byte(`{"a":1}`)), encodeFrame([]byte(`{"b":2}`))...)
	r := &frameReader{r: bufio.NewReaderSize(bytes.NewReader(stream), 16), max: 100}
	for _, want := range []string{`{"a":1}`, `{"b":2}`} {
		if p, err := r.next(); err != nil || string(p) != want {
			t.Fatalf("%s %v", p, err)
		}
	}
	for input, code := range map[string]Code{"\x00\x00\x00\x00": CodeBadRequest, "\x00\x00\x01\x00": CodeFrameTooLarge} {
		r := &frameReader{r: bufio.NewReader(bytes.NewReader([]byte(input))), max: 100}
		if _, err := r.next(); !errors.Is(err, &Error{Code: code}) {
			t.Fatalf("%q: %v", input, err)
		}
	}
}

// A message of an unknown type is decoded for skipping even when its fields clash with known ones.
func TestDecodeFrameToleratesUnknownTypes(t *testing.T) {
	f, err := decodeFrame([]byte(`{"type":"progress","id":"r1","seq":"not a number"}`))
	if err != nil || f.Type != "progress" || serverTypes[f.Type] {
		t.Fatalf("%+v %v", f, err)
	}
}

// Payloads that are not UTF-8 JSON objects are bad_request.
func TestDecodeFrameRejectsNonObjects(t *testing.T) {
	for _, p := range []string{"\xff\xfe", "{nope", "[1]", "null", `{"type":"chunk","seq":"x"}`} {
		if _, err := decodeFrame([]byte(p)); !errors.Is(err, ErrBadRequest) {
			t.Errorf("%q: %v", p, err)
		}
	}
}
