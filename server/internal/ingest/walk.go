package ingest

// The single pass over an event: payload limits, and the rewrite of its context with snake_case
// key copies and sanitised strings.

import (
	"bytes"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/logister/logister/server/internal/apperr"
)

// Payload limits (reference 1.3, TelemetryPayloadLimits).
const (
	maxEventBytes   = 1 << 20
	maxContextDepth = 16
	maxContextKeys  = 512
	maxArrayLength  = 1000
	maxStringBytes  = 256 << 10
	maxMessageBytes = 64 << 10
)

// Limit codes and the words their messages use.
const (
	codeEventBytes   = "event_bytes"
	codeContextDepth = "context_depth"
	codeContextKeys  = "context_keys"
	codeArrayLength  = "array_length"
	codeStringBytes  = "string_bytes"
	codeMessageBytes = "message_bytes"
)

// limitError builds the 413 for a per-event limit: "telemetry payload <code words> exceeds <limit>".
func limitError(code string, limit, actual int64) *apperr.Error {
	words := []byte(code)
	for i, c := range words {
		if c == '_' {
			words[i] = ' '
		}
	}
	msg := "telemetry payload " + string(words) + " exceeds " + strconv.FormatInt(limit, 10)
	return apperr.TooLarge(code, msg, limit, actual)
}

// decoder holds the reusable state for normalising one event. It is pooled.
type decoder struct {
	in  []byte
	out []byte

	sc      scanner
	raw     []rawMember // members of the scanned envelopes
	sizeIdx int

	members []member
	scratch []byte // decoded and normalised keys
	tmp     []byte
	num     [32]byte // a formatted number written by finishRoot

	// Limit accounting, as TelemetryPayloadLimits#walk does it.
	count bool
	keys  int64
	bytes int64

	emit    bool
	copies  bool
	badUTF8 bool // the input holds invalid UTF-8, so strings with high bytes are checked one by one

	rootBase int
	rootN    int
	when     [numTargets]uint8 // how root members of each target are judged while walking
	origIdx  [numKeys]int32    // per key id: 1 + index of the last root member with that key
	copyIdx  [numKeys]int32    // per key id: 1 + index of the first root member copied to that key
	writes   []write           // what finishRoot writes
	written  []writtenValue
}

var decoderPool = sync.Pool{New: func() any { return new(decoder) }}

func getDecoder(in []byte) *decoder {
	d := decoderPool.Get().(*decoder)
	d.setInput(in)
	return d
}

// setInput starts decoding the document in.
func (d *decoder) setInput(in []byte) {
	d.in = in
	d.badUTF8 = !utf8.Valid(in)
	d.sc = scanner{b: in, sizes: d.sc.sizes[:0]}
	d.raw = d.raw[:0]
	d.members = d.members[:0]
	d.scratch = d.scratch[:0]
	d.written = d.written[:0]
}

func putDecoder(d *decoder) {
	if cap(d.scratch) > 64<<10 || cap(d.tmp) > 64<<10 || cap(d.sc.sizes) > 1<<14 || cap(d.raw) > 1<<12 || cap(d.members) > 1<<12 {
		return // don't keep outsized buffers alive
	}
	d.in, d.out = nil, nil
	decoderPool.Put(d)
}

// resetEvent prepares the decoder to normalise one event whose nested container sizes are
// sizes[slo:].
func (d *decoder) resetEvent(slo int) {
	d.sizeIdx = slo
	d.keys, d.bytes = 0, 0
	d.members = d.members[:0]
	d.written = d.written[:0]
	d.when = [numTargets]uint8{}
	d.rootBase, d.rootN = 0, 0
}

func (d *decoder) addBytes(n int) error {
	d.bytes += int64(n) + 4
	if d.bytes > maxEventBytes {
		return limitError(codeEventBytes, maxEventBytes, d.bytes)
	}
	return nil
}

func (d *decoder) nextSize() int64 {
	if d.sizeIdx >= len(d.sc.sizes) {
		return 0
	}
	n := d.sc.sizes[d.sizeIdx]
	d.sizeIdx++
	return int64(n)
}

// member is one member of an object being rewritten into out. It holds offsets only, so that the
// slice of members is not scanned by the garbage collector.
type member struct {
	ks, ke       int  // the decoded key: in[ks:ke], or scratch[ks:ke] when keyInScratch
	ns, ne       int  // the snake_case key in scratch, when hasNorm (it differs from the key)
	keyInScratch bool //
	hasNorm      bool //
	dropped      byte // for a member removed from out: dropNull, dropFalse or dropBlank
	id           int  // keyID of the key, for root members
	start        int  // where the member (with its leading comma) starts in out
	vs, ve       int  // its value in out
}

func (d *decoder) key(m *member) []byte {
	if m.keyInScratch {
		return d.scratch[m.ks:m.ke]
	}
	return d.in[m.ks:m.ke]
}

func (d *decoder) norm(m *member) []byte {
	if !m.hasNorm {
		return nil
	}
	return d.scratch[m.ns:m.ne]
}

// keyBytes returns the decoded key of a member whose key bytes are in[ks:ke].
func (d *decoder) keyBytes(ks, ke, flags int) []byte {
	if flags&strEscaped == 0 && (flags&strHigh == 0 || !d.badUTF8) {
		return d.in[ks:ke]
	}
	start := len(d.scratch)
	d.scratch = decodeString(d.scratch, d.in[ks:ke])
	return d.scratch[start:len(d.scratch):len(d.scratch)]
}

// normKey returns the snake_case form of key, or nil when it is already snake_case.
func (d *decoder) normKey(key []byte) []byte {
	ns, ne, ok := d.normRef(key)
	if !ok {
		return nil
	}
	return d.scratch[ns:ne:ne]
}

// normRef is normKey returning the offsets of the snake_case key in scratch.
func (d *decoder) normRef(key []byte) (int, int, bool) {
	if !needsNormalizing(key) {
		return 0, 0, false
	}
	start := len(d.scratch)
	d.scratch = appendNormalizedKey(d.scratch, key)
	if bytes.Equal(d.scratch[start:], key) {
		d.scratch = d.scratch[:start]
		return 0, 0, false
	}
	return start, len(d.scratch), true
}

// walk processes the validated value at in[i] at the given depth (the event object is depth 0) and
// returns the index after it. With count set it enforces the payload limits; with emit set it
// writes the value to out (strings sanitised, and with copies set, snake_case key copies added).
func (d *decoder) walk(i, depth int) (int, error) {
	if d.count && depth > maxContextDepth {
		return 0, limitError(codeContextDepth, maxContextDepth, int64(depth))
	}
	switch c := d.in[i]; c {
	case '{':
		return d.walkObject(i, depth, false)
	case '[':
		return d.walkArray(i, depth)
	case '"':
		end, flags := stringEnd(d.in, i)
		if d.count {
			n := end - i - 2
			if flags&strEscaped != 0 {
				n = decodedLen(d.in[i+1 : end-1])
			}
			if n > maxStringBytes {
				return 0, limitError(codeStringBytes, maxStringBytes, int64(n))
			}
			if err := d.addBytes(n); err != nil {
				return 0, err
			}
		}
		if d.emit {
			d.out = d.appendString(d.out, d.in[i+1:end-1], flags)
		}
		return end, nil
	default:
		end := valueEnd(d.in, i)
		if d.count {
			n := end - i
			if c == 'n' {
				n = 4 // add_bytes(4) for nil
			}
			if err := d.addBytes(n); err != nil {
				return 0, err
			}
		}
		if d.emit {
			if c == 't' || c == 'f' || c == 'n' {
				d.out = append(d.out, d.in[i:end]...)
			} else {
				d.out = appendNumber(d.out, d.in[i:end])
			}
		}
		return end, nil
	}
}

// appendString appends a string value, copying it as is when that is safe.
func (d *decoder) appendString(dst, raw []byte, flags int) []byte {
	if flags&strRewrite == 0 && (flags&strHigh == 0 || !d.badUTF8 || utf8.Valid(raw)) {
		dst = append(dst, '"')
		dst = append(dst, raw...)
		return append(dst, '"')
	}
	d.tmp = decodeString(d.tmp[:0], raw)
	return appendQuoted(dst, d.tmp)
}

// appendNumber appends a number literal. Literals far outside float64's range are rounded through
// float64, and those that overflow it become null, as ActiveSupport encodes Ruby's Infinity, so
// that PostgreSQL's numeric and Go's float64 can hold every number of a context.
func appendNumber(dst, lit []byte) []byte {
	if len(lit) < 20 && !bytes.ContainsAny(lit, "eE") {
		return append(dst, lit...) // the common case
	}
	intDigits, exp := 0, 0
	for _, c := range lit {
		if c == '.' || c == 'e' || c == 'E' {
			break
		}
		if c != '-' {
			intDigits++
		}
	}
	if e := bytes.IndexAny(lit, "eE"); e >= 0 {
		var err error
		if exp, err = strconv.Atoi(string(lit[e+1:])); err != nil {
			exp = 1 << 30
		}
	}
	if len(lit) <= 300 && intDigits+exp >= -300 && intDigits+exp <= 300 {
		return append(dst, lit...)
	}
	f, _ := strconv.ParseFloat(string(lit), 64)
	if math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}

func (d *decoder) walkArray(i, depth int) (int, error) {
	if d.count {
		if n := d.nextSize(); n > maxArrayLength {
			return 0, limitError(codeArrayLength, maxArrayLength, n)
		}
	}
	if d.emit {
		d.out = append(d.out, '[')
	}
	i = skipWS(d.in, i+1)
	if d.in[i] == ']' {
		if d.emit {
			d.out = append(d.out, ']')
		}
		return i + 1, nil
	}
	for n := 0; ; n++ {
		if d.emit && n > 0 {
			d.out = append(d.out, ',')
		}
		var err error
		if i, err = d.walk(i, depth+1); err != nil {
			return 0, err
		}
		i = skipWS(d.in, i)
		if d.in[i] == ',' {
			i = skipWS(d.in, i+1)
			continue
		}
		if d.emit {
			d.out = append(d.out, ']')
		}
		return i + 1, nil
	}
}

// walkObject processes an object. For the root context object (root set) the members are written
// but the object is left open, with its members on d.members, for finishRoot.
func (d *decoder) walkObject(i, depth int, root bool) (int, error) {
	if d.count {
		d.keys += d.nextSize()
		if d.keys > maxContextKeys {
			return 0, limitError(codeContextKeys, maxContextKeys, d.keys)
		}
	}
	if d.emit {
		d.out = append(d.out, '{')
	}
	base := len(d.members)
	n := 0
	i = skipWS(d.in, i+1)
	if d.in[i] != '}' {
		for {
			kEnd, flags := stringEnd(d.in, i)
			m := member{ks: i + 1, ke: kEnd - 1}
			if flags&strEscaped != 0 || flags&strHigh != 0 && d.badUTF8 {
				m.ks = len(d.scratch)
				d.scratch = decodeString(d.scratch, d.in[i+1:kEnd-1])
				m.ke, m.keyInScratch = len(d.scratch), true
			}
			key := d.key(&m)
			if d.count {
				if err := d.addBytes(len(key)); err != nil {
					return 0, err
				}
			}
			i = skipWS(d.in, skipWS(d.in, kEnd)+1) // past ':'
			if !d.emit {
				var err error
				if i, err = d.walk(i, depth+1); err != nil {
					return 0, err
				}
			} else {
				m.start = len(d.out)
				if n > 0 {
					d.out = append(d.out, ',')
				}
				if m.keyInScratch {
					d.out = append(appendQuoted(d.out, key), ':') // decoded, valid UTF-8
				} else {
					d.out = append(d.out, '"')
					d.out = append(d.out, key...)
					d.out = append(d.out, '"', ':')
				}
				m.vs = len(d.out)
				var err error
				if i, err = d.walk(i, depth+1); err != nil {
					return 0, err
				}
				m.ve = len(d.out)
				n++
				if d.copies {
					m.ns, m.ne, m.hasNorm = d.normRef(d.key(&m))
					if root {
						m.id = keyID(d.key(&m))
						if t := m.id; t >= 0 && t < numTargets && d.dropsRoot(t, d.out[m.vs:]) {
							m.dropped = dropKind(d.out[m.vs:])
							d.out = d.out[:m.start]
							n--
						}
					}
					d.members = append(d.members, m)
				}
			}
			i = skipWS(d.in, i)
			if d.in[i] == ',' {
				i = skipWS(d.in, i+1)
				continue
			}
			break
		}
	}
	i++ // past '}'
	if root {
		d.rootBase, d.rootN = base, n
		d.indexRoot()
		return i, nil
	}
	if d.copies {
		d.appendCopies(base, &n, nil)
		d.members = d.members[:base]
	}
	if d.emit {
		d.out = append(d.out, '}')
	}
	return i, nil
}
