package main

import (
	"bytes"
	"slices"
)

// Placeholders mark, in a pre-built body, the ids that must be unique per request: a batch
// envelope's uuid, and a span's trace and span ids (the server deduplicates spans by project,
// trace id and span id). They have the length of the value written over them.
const (
	uuidPlaceholder   = "~~~~~~~~-~~~~-~~~~-~~~~-~~~~~~~~UUID"
	tracePlaceholder  = "~~~~~~~~~~~~~~~~~~~~~~~~~~~TRACE"
	spanPlaceholder   = "~~~~~~~~~~~~SPAN"
	parentPlaceholder = "~~~~~~~~~~PARENT"
)

type slotKind uint8

const (
	slotUUID slotKind = iota
	slotTrace
	slotSpan
	slotParent
)

var placeholders = [...]struct {
	text string
	kind slotKind
}{
	{uuidPlaceholder, slotUUID},
	{tracePlaceholder, slotTrace},
	{spanPlaceholder, slotSpan},
	{parentPlaceholder, slotParent},
}

// slot is one placeholder's position in a body. Slots of the same envelope share one id.
type slot struct {
	off      int
	kind     slotKind
	envelope int
}

// Payload is a pre-built request body. Bodies without slots are sent as they are, shared by all
// workers; the others are copied into the worker's buffer and their slots filled.
type Payload struct {
	Body   []byte
	Kind   string       // an event kind, or "batch"
	Events int          // envelopes in the body
	Tables [nTables]int // envelopes per table the server stores them in
	slots  []slot
}

// The tables events are stored in (reference 1.5; migrations/0003_events).
const (
	tableErrorEvents = iota
	tableTelemetryEvents
	tableSpans
	nTables
)

// tableOf is where the server stores an event of kind.
func tableOf(kind string) int {
	switch kind {
	case kindError:
		return tableErrorEvents
	case kindSpan:
		return tableSpans
	default:
		return tableTelemetryEvents
	}
}

// compile finds the placeholders of body, whose envelopes are separated by newlines.
func compile(body []byte, kind string, events int) *Payload {
	p := &Payload{Body: body, Kind: kind, Events: events}
	for _, ph := range placeholders {
		for off := 0; ; {
			i := bytes.Index(body[off:], []byte(ph.text))
			if i < 0 {
				break
			}
			off += i
			p.slots = append(p.slots, slot{off: off, kind: ph.kind, envelope: bytes.Count(body[:off], []byte{'\n'})})
			off += len(ph.text)
		}
	}
	slices.SortFunc(p.slots, func(a, b slot) int { return a.off - b.off })
	return p
}

// Render returns the body to send: p.Body itself, or a copy in buf with fresh ids.
func (p *Payload) Render(buf *[]byte, ids *idSource) []byte {
	if len(p.slots) == 0 {
		return p.Body
	}
	*buf = append((*buf)[:0], p.Body...)
	b := *buf
	envelope := -1
	var hi, lo uint64
	for _, s := range p.slots {
		if s.envelope != envelope {
			envelope = s.envelope
			hi, lo = ids.next()
		}
		dst := b[s.off:]
		switch s.kind {
		case slotUUID:
			putUUID(dst, hi, lo)
		case slotTrace:
			putHex(dst, hi)
			putHex(dst[16:], lo)
		case slotSpan:
			putHex(dst, lo)
		case slotParent:
			putHex(dst, lo^1)
		}
	}
	return b
}

// idSource hands out ids unique within a run: a random run prefix, then the phase, the worker and
// a sequence number. hi carries the UUID version nibble (4), lo the RFC 4122 variant bits.
type idSource struct {
	hi, prefix, seq uint64
}

// newIDSource returns the id source of one worker of one phase.
func newIDSource(run, phase, worker uint64) *idSource {
	return &idSource{
		hi:     run&^(0xf<<12) | 0x4<<12,
		prefix: 0x8<<60 | (phase&0xf)<<56 | (worker&0xffff)<<40,
	}
}

func (s *idSource) next() (hi, lo uint64) {
	s.seq++
	return s.hi, s.prefix | s.seq&(1<<40-1)
}

const hexDigits = "0123456789abcdef"

// putHex writes v as 16 lowercase hex digits.
func putHex(dst []byte, v uint64) {
	for i := 15; i >= 0; i-- {
		dst[i] = hexDigits[v&0xf]
		v >>= 4
	}
}

// putUUID writes hi and lo in the 8-4-4-4-12 UUID layout.
func putUUID(dst []byte, hi, lo uint64) {
	var h [32]byte
	putHex(h[:16], hi)
	putHex(h[16:], lo)
	copy(dst[0:8], h[0:8])
	dst[8] = '-'
	copy(dst[9:13], h[8:12])
	dst[13] = '-'
	copy(dst[14:18], h[12:16])
	dst[18] = '-'
	copy(dst[19:23], h[16:20])
	dst[23] = '-'
	copy(dst[24:36], h[20:32])
}
