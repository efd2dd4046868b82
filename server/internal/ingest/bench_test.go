package ingest

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"
)

// BenchmarkDecodeEvent decodes real SDK payloads. js-event-error is a 2.8 KB logister-js error,
// ruby-event-error-via-rack-middleware a 2 KB Ruby error with camelCase keys (many snake_case
// copies), python-event-span a 1 KB span.
func BenchmarkDecodeEvent(b *testing.B) {
	for _, name := range []string{"ruby-stdlib-event-error", "js-event-error", "ruby-event-error-via-rack-middleware", "python-event-span", "js-event-log"} {
		pretty, err := os.ReadFile("testdata/sdk/" + name + ".json")
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer // the SDKs send compact JSON
		if err := json.Compact(&buf, pretty); err != nil {
			b.Fatal(err)
		}
		body := buf.Bytes()
		opts := Options{Now: time.Unix(1_800_000_000, 0), DefaultEnvironment: "production"}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := DecodeEvent(body, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
