package redact

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzJSON checks that redaction never fails on valid JSON, keeps it valid, never lets a
// sensitive member's string through, and is idempotent.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{
		`{"password":"hunter2","user":{"id":1,"email":"a@b.c"}}`,
		`[{"headers":{"Cookie":"x"}},{"ann@example.com":1}]`,
		`{"a":{"b":[1,2,{"token":"t"}]},"ok":true}`,
		`"x"`, `null`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return
		}
		out, err := JSON(raw)
		if err != nil {
			t.Fatalf("JSON(%q): %v", raw, err)
		}
		if !json.Valid(out) {
			t.Fatalf("JSON(%q) = invalid %q", raw, out)
		}
		again, err := JSON(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not idempotent: %q then %q", out, again)
		}
		var v any
		_ = json.Unmarshal(out, &v)
		walk(t, v)
	})
}

// walk fails when a sensitive key still holds a string other than the marker.
func walk(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if SensitiveKey(k) && !strings.HasPrefix(k, "[REDACTED") {
				switch e.(type) {
				case nil, bool:
				default:
					if e != Marker {
						t.Fatalf("key %q kept %v", k, e)
					}
				}
				continue
			}
			walk(t, e)
		}
	case []any:
		for _, e := range x {
			walk(t, e)
		}
	}
}
