package providersidecar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// encodeJSON writes v as compact JSON exactly as the sidecar's JSONWriter does: object keys "type" and
// "id" first, the rest sorted; integral numbers below 9e15 without a fraction; other numbers as Swift
// prints a Double; only `"`, `\`, and control characters escaped. Both sides then agree byte for byte on
// the conformance vectors. v holds what encoding/json decodes into (maps, slices, strings, float64, bool,
// nil) plus ints and json.RawMessage.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	err := writeJSON(&b, v)
	return b.Bytes(), err
}

func writeJSON(b *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		writeString(b, x)
	case int:
		writeNumber(b, float64(x))
	case int64:
		writeNumber(b, float64(x))
	case float64:
		writeNumber(b, x)
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return err
		}
		writeNumber(b, f)
	case json.RawMessage:
		var decoded any
		if err := json.Unmarshal(x, &decoded); err != nil {
			return err
		}
		return writeJSON(b, decoded)
	case []any:
		b.WriteByte('[')
		for i, item := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, item); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case []string:
		items := make([]any, len(x))
		for i, s := range x {
			items[i] = s
		}
		return writeJSON(b, items)
	case map[string]any:
		b.WriteByte('{')
		for i, key := range orderedKeys(x) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, key)
			b.WriteByte(':')
			if err := writeJSON(b, x[key]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		// Anything else (caller structs in tool schemas or metadata) goes through encoding/json first.
		raw, err := json.Marshal(x)
		if err != nil {
			return fmt.Errorf("providersidecar: cannot encode %T: %w", v, err)
		}
		return writeJSON(b, json.RawMessage(raw))
	}
	return nil
}

func orderedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		switch k {
		case "type":
			return 0
		case "id":
			return 1
		}
		return 2
	}
	sort.Slice(keys, func(i, j int) bool {
		ri, rj := rank(keys[i]), rank(keys[j])
		if ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	return keys
}

func writeNumber(b *bytes.Buffer, n float64) {
	switch {
	case math.IsNaN(n) || math.IsInf(n, 0):
		b.WriteString("null")
	case n == math.Trunc(n) && math.Abs(n) < 9e15:
		b.WriteString(strconv.FormatInt(int64(n), 10))
	default:
		b.WriteString(swiftDouble(n))
	}
}

// swiftDouble formats like Swift's Double.description: shortest round-trip digits, in exponent form
// below 1e-4 or above 2^53, else positional with at least one fractional digit.
func swiftDouble(n float64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	e := strconv.FormatFloat(n, 'e', -1, 64) // d.ddde±XX
	mantissa, expText, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expText)
	digits := strings.Replace(mantissa, ".", "", 1)
	if n < 1e-4 || n > 1<<53 {
		m := digits[:1]
		if len(digits) > 1 {
			m += "." + digits[1:]
		}
		es := "+"
		if exp < 0 {
			es, exp = "-", -exp
		}
		return fmt.Sprintf("%s%se%s%02d", sign, m, es, exp)
	}
	point := exp + 1
	switch {
	case point <= 0:
		return sign + "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		return sign + digits + strings.Repeat("0", point-len(digits)) + ".0"
	}
	return sign + digits[:point] + "." + digits[point:]
}

const hexDigits = "0123456789abcdef"

func writeString(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xF])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
