package stacktrace

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// member is one member of a decoded JSON object, in document order: SDKs may send several
// spellings of one field ("filename" and "abs_path"), and the first one that is not blank wins,
// as in grouping.
type member struct {
	key   Key // ExceptionKey or FrameKey of the name, decided by the reader of the object
	name  []byte
	value any
}

// object is a decoded JSON object whose members keep their order.
type object []member

// maxDepth bounds the nesting that decode follows; deeper values are dropped.
const maxDepth = 64

// decode decodes one JSON value into object, []any, string, json.Number, bool or nil. Malformed
// input yields an error; values nested deeper than maxDepth become nil.
func decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("stacktrace: trailing data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder, depth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return tok, nil // string, json.Number, bool or nil
	}
	switch delim {
	case '{':
		var obj object
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return nil, err
			}
			name, _ := tok.(string)
			v, err := decodeValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			if depth < maxDepth {
				obj = append(obj, member{name: []byte(name), value: v})
			}
		}
		if _, err := dec.Token(); err != nil { // '}'
			return nil, err
		}
		if depth >= maxDepth {
			return nil, nil
		}
		return obj, nil
	case '[':
		var arr []any
		for dec.More() {
			v, err := decodeValue(dec, depth+1)
			if err != nil {
				return nil, err
			}
			if depth < maxDepth {
				arr = append(arr, v)
			}
		}
		if _, err := dec.Token(); err != nil { // ']'
			return nil, err
		}
		if depth >= maxDepth {
			return nil, nil
		}
		return arr, nil
	}
	return nil, errors.New("stacktrace: unexpected delimiter")
}

// keyed returns o with each member's key set by the given table (ExceptionKey or FrameKey).
func (o object) keyed(table func([]byte) Key) object {
	var buf [MaxKeyBytes]byte
	for i := range o {
		o[i].key = table(NormalizeKey(buf[:0], o[i].name))
	}
	return o
}

// first returns the first member with key k whose value is not blank, as text (see text).
func (o object) first(k Key, limit int) string {
	for _, m := range o {
		if m.key == k {
			if s := text(m.value, limit); strings.TrimSpace(s) != "" {
				return s
			}
		}
	}
	return ""
}

// get returns the value of the first member with key k, or nil.
func (o object) get(k Key) any {
	for _, m := range o {
		if m.key == k {
			return m.value
		}
	}
	return nil
}

// text returns a string, or an array of strings joined by newlines (one per line, as grouping
// reads backtraces), capped at limit bytes; anything else is "".
func text(v any, limit int) string {
	switch v := v.(type) {
	case string:
		return truncate(v, limit)
	case []any:
		var b strings.Builder
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				continue
			}
			if b.Len()+len(s)+1 > limit {
				b.WriteString(truncate(s, max(limit-b.Len(), 0)))
				break
			}
			b.WriteString(s)
			b.WriteByte('\n')
		}
		return b.String()
	}
	return ""
}

// number returns a non-negative integer sent as a JSON number or a decimal string, else 0.
func number(v any) (int, bool) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = v.String()
	case string:
		s = strings.TrimSpace(v)
	default:
		return 0, false
	}
	if n := atoi(s); n >= 0 {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f < 1e9 {
		return int(f), true
	}
	return 0, false
}

// lines returns an array of strings (other elements skipped), at most limit lines of at most
// maxLineBytes each.
func lines(v any, limit int) []string {
	arr, _ := v.([]any)
	var out []string
	for _, e := range arr {
		if len(out) == limit {
			break
		}
		if s, ok := e.(string); ok {
			out = append(out, truncate(strings.TrimRight(s, "\r\n"), maxLineBytes))
		}
	}
	return out
}
