package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/logister/logister/server/internal/grouping"
)

func TestPlaceholdersHaveTheLengthOfTheirValues(t *testing.T) {
	t.Parallel()
	for _, ph := range placeholders {
		want := map[slotKind]int{slotUUID: 36, slotTrace: 32, slotSpan: 16, slotParent: 16}[ph.kind]
		if len(ph.text) != want {
			t.Errorf("placeholder %q has %d bytes, want %d", ph.text, len(ph.text), want)
		}
	}
}

// TestSinglePayloads checks that every rendered body is valid JSON without a placeholder left,
// and that spans get fresh ids on every render.
func TestSinglePayloads(t *testing.T) {
	t.Parallel()
	c := buildCorpus(time.Date(2026, 11, 23, 19, 31, 10, 0, time.UTC))
	single := c.singlePayloads()
	ids := newIDSource(0xdeadbeef, 1, 7)
	var buf []byte
	seen := map[string]bool{}
	for i, p := range single {
		body := p.Render(&buf, ids)
		if bytes.Contains(body, []byte("~~~~")) {
			t.Fatalf("payload %d still has a placeholder: %s", i, body)
		}
		var env struct {
			Event map[string]any `json:"event"`
		}
		if err := json.Unmarshal(body, &env); err != nil || env.Event == nil {
			t.Fatalf("payload %d is not an envelope (%v): %.200s", i, err, body)
		}
		if p.Kind == kindSpan {
			span := env.Event["span_id"].(string)
			if seen[span] {
				t.Fatalf("span id %s repeated", span)
			}
			seen[span] = true
		}
		if len(p.Body) < 400 || len(p.Body) > 8000 {
			t.Errorf("payload %d (%s) has %d bytes", i, p.Kind, len(p.Body))
		}
	}
	if len(seen) == 0 {
		t.Fatal("no spans in the deck")
	}
}

// TestErrorGroups checks that the server's grouping yields one group per signature, and that only
// client-fingerprinted templates carry a fingerprint.
func TestErrorGroups(t *testing.T) {
	t.Parallel()
	c := buildCorpus(time.Now())
	server, client := map[string]bool{}, map[string]bool{}
	for _, tpl := range c.Templates {
		if tpl.Kind != kindError {
			continue
		}
		fp, _ := tpl.Event["fingerprint"].(string)
		if (fp != "") != (tpl.ClientFP != "") {
			t.Fatalf("template of signature %d: fingerprint %q, client fingerprint %q", tpl.Signature, fp, tpl.ClientFP)
		}
		ctx := marshal(tpl.Event["context"])
		g := grouping.Compute(fp, tpl.Event["message"].(string), ctx)
		if fp != "" {
			client[g.Fingerprint] = true
			continue
		}
		if g.Source != grouping.SourceStack {
			t.Fatalf("signature %d grouped by %s, want stack", tpl.Signature, g.Source)
		}
		server[g.Fingerprint] = true
	}
	wantServer, wantClient := c.expectedGroups()
	if len(server) != wantServer || len(client) != wantClient {
		t.Fatalf("got %d server and %d client groups, want %d and %d", len(server), len(client), wantServer, wantClient)
	}
}

func TestDeckMix(t *testing.T) {
	t.Parallel()
	c := buildCorpus(time.Now())
	if len(c.Deck) != deckSize {
		t.Fatalf("deck has %d entries, want %d", len(c.Deck), deckSize)
	}
	kinds, fp := map[string]int{}, 0
	for _, ti := range c.Deck {
		kinds[c.Templates[ti].Kind]++
		if c.Templates[ti].ClientFP != "" {
			fp++
		}
	}
	if kinds[kindError] != 1400 || fp != deckClientFP {
		t.Fatalf("deck: %v, %d with a client fingerprint", kinds, fp)
	}
}

func TestBatchPayloads(t *testing.T) {
	t.Parallel()
	c := buildCorpus(time.Now())
	batch := c.batchPayloads(3, 100)
	ids := newIDSource(1, 2, 3)
	var buf []byte
	uuids := map[string]bool{}
	for _, p := range batch {
		body := p.Render(&buf, ids)
		lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
		if len(lines) != 100 || p.Events != 100 {
			t.Fatalf("batch has %d lines, %d events", len(lines), p.Events)
		}
		sum := 0
		for _, n := range p.Tables {
			sum += n
		}
		if sum != 100 {
			t.Fatalf("batch tables add up to %d", sum)
		}
		for _, line := range lines {
			var env struct {
				Event struct {
					UUID string `json:"uuid"`
				} `json:"event"`
			}
			if err := json.Unmarshal([]byte(line), &env); err != nil {
				t.Fatal(err)
			}
			if len(env.Event.UUID) != 36 || uuids[env.Event.UUID] || strings.Contains(env.Event.UUID, "~") {
				t.Fatalf("bad or repeated uuid %q", env.Event.UUID)
			}
			uuids[env.Event.UUID] = true
		}
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	lat := make([]time.Duration, 1000)
	for i := range lat {
		lat[i] = time.Duration(1000-i) * time.Microsecond // 1..1000 µs, reversed
	}
	s := summarize(lat)
	if s.P50MS != 0.5 || s.P99MS != 0.99 || s.MaxMS != 1 || s.Count != 1000 {
		t.Fatalf("%+v", s)
	}
}

func TestThousands(t *testing.T) {
	t.Parallel()
	for v, want := range map[float64]string{0: "0", 999.6: "1,000", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := thousands(v); got != want {
			t.Errorf("thousands(%v) = %q, want %q", v, got, want)
		}
	}
}
