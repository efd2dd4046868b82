package redact

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"scalars untouched", `{"message":"boom","count":3,"ok":true,"none":null}`,
			`{"message":"boom","count":3,"ok":true,"none":null}`},
		{"sensitive words", `{"password":"p","user_password":"p","Authorization":"Bearer x","X-Api-Key":"k","secretValue":"s","access_token":"t","set-cookie":"c","encrypted":"e","certificate":"c","email":"a@b.c","privateKey":"k"}`,
			`{"password":"[REDACTED]","user_password":"[REDACTED]","Authorization":"[REDACTED]","X-Api-Key":"[REDACTED]","secretValue":"[REDACTED]","access_token":"[REDACTED]","set-cookie":"[REDACTED]","encrypted":"[REDACTED]","certificate":"[REDACTED]","email":"[REDACTED]","privateKey":"[REDACTED]"}`},
		{"key token", `{"key":"k","idempotency_key":"k","ingestKey":"k","monkey":"m","keyboard":"kb","hotkeys":"h"}`,
			`{"key":"[REDACTED]","idempotency_key":"[REDACTED]","ingestKey":"[REDACTED]","monkey":"m","keyboard":"kb","hotkeys":"h"}`},
		{"short tokens not substrings", `{"className":"X","footprint":"f","userOTPCode":"1","ssn":"1","cvv":2,"salt":"s","basalt":"b"}`,
			`{"className":"X","footprint":"f","userOTPCode":"[REDACTED]","ssn":"[REDACTED]","cvv":"[REDACTED]","salt":"[REDACTED]","basalt":"b"}`},
		{"identity keys", `{"trace_id":"t","traceId":"t","request_id":"r","session_id":"s","user_id":42,"deviceId":"d","installation_id":"i","span_id":"s","service":"api"}`,
			`{"trace_id":"t","traceId":"t","request_id":"r","session_id":"[REDACTED]","user_id":"[REDACTED]","deviceId":"[REDACTED]","installation_id":"[REDACTED]","span_id":"s","service":"api"}`},
		{"identity paths", `{"user":{"id":7,"name":"Ann","email":"a@b.c"},"session":{"id":"s1","started":"x"},"installation":{"uuid":"u"},"order":{"id":9}}`,
			`{"user":{"id":"[REDACTED]","name":"Ann","email":"[REDACTED]"},"session":{"id":"[REDACTED]","started":"x"},"installation":{"uuid":"[REDACTED]"},"order":{"id":9}}`},
		{"booleans and nulls kept", `{"password":true,"token":null,"user":{"id":null},"secret":false}`,
			`{"password":true,"token":null,"user":{"id":null},"secret":false}`},
		{"objects and arrays replaced whole", `{"cookies":{"a":"1"},"tokens":["a","b"]}`,
			`{"cookies":"[REDACTED]","tokens":"[REDACTED]"}`},
		{"nested in arrays and headers", `{"request":{"id":"r","headers":{"Cookie":"c","Accept":"*/*"}},"items":[{"password":"p","n":1}]}`,
			`{"request":{"id":"r","headers":{"Cookie":"[REDACTED]","Accept":"*/*"}},"items":[{"password":"[REDACTED]","n":1}]}`},
		{"e-mail keys", `{"counts":{"ann@example.com":3,"bob@example.org":{"x":1},"[REDACTED]":"taken","plain":1}}`,
			`{"counts":{"[REDACTED]":"taken","[REDACTED 2]":"[REDACTED]","[REDACTED 3]":"[REDACTED]","plain":1}}`},
		{"top-level array", `[{"token":"t"},"s",1]`, `[{"token":"[REDACTED]"},"s",1]`},
		{"plain scalar", `"just a string"`, `"just a string"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var in, want any
			if err := json.Unmarshal([]byte(tc.in), &in); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			var orig any
			_ = json.Unmarshal([]byte(tc.in), &orig)
			got := Value(in)
			if !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				t.Fatalf("Value(%s)\n got %s\nwant %s", tc.in, g, tc.want)
			}
			if !reflect.DeepEqual(in, orig) {
				t.Fatalf("Value changed its input")
			}
		})
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	got, err := JSON([]byte(`{"n":12345678901234567890,"token":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"n":12345678901234567890,"token":"[REDACTED]"}` {
		t.Fatalf("JSON = %s", got)
	}
	if got, err := JSON(nil); err != nil || string(got) != "null" {
		t.Fatalf("JSON(nil) = %s, %v", got, err)
	}
	if _, err := JSON([]byte(`{"a":`)); err == nil {
		t.Fatal("JSON accepted broken input")
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"X-Api-Key":   {"x", "api", "key"},
		"userOTPCode": {"user", "otp", "code"},
		"ingestKey":   {"ingest", "key"},
		"key2":        {"key", "2"},
		"__":          nil,
	}
	for in, want := range tests {
		if got := tokens(in); !reflect.DeepEqual(got, want) {
			t.Errorf("tokens(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDeepValueBounded(t *testing.T) {
	t.Parallel()
	var v any = "leaf"
	for range maxDepth + 10 {
		v = map[string]any{"a": v}
	}
	out, err := json.Marshal(Value(v))
	if err != nil || len(out) == 0 {
		t.Fatalf("Value of a deep value: %v", err)
	}
}
