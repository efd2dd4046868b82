package ingest

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds a small strict JSON scanner over byte slices. It validates a document once
// (validate*, scan*) and records what the normaliser needs: the members of the envelope's event
// object and the size of every object and array inside it, so that the payload limits can be checked
// in the same order as the reference without a generic decode.

// maxNesting is the deepest nesting of objects and arrays a body may have, as in Ruby's JSON.parse
// (max_nesting 100). Deeper documents are not valid JSON to the reference.
const maxNesting = 100

// syntaxError describes malformed JSON. It is wrapped into an apperr.Error before it leaves the
// package.
type syntaxError struct {
	msg string
	off int
}

func (e *syntaxError) Error() string { return e.msg + " at byte " + strconv.Itoa(e.off) }

func errSyntax(msg string, off int) error { return &syntaxError{msg: msg, off: off} }

func errUnexpected(b []byte, i int) error {
	if i >= len(b) {
		return errSyntax("unexpected end of input", i)
	}
	return errSyntax("unexpected character "+strconv.QuoteRune(rune(b[i])), i)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipWS(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// String flags reported by scanString.
const (
	strEscaped = 1 << iota // holds at least one backslash escape
	strHigh                // holds bytes >= 0x80
	strRewrite             // must be re-encoded: \u0000 or a surrogate escape
)

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func hexVal(c byte) rune {
	switch {
	case c <= '9':
		return rune(c - '0')
	case c >= 'a':
		return rune(c - 'a' + 10)
	default:
		return rune(c - 'A' + 10)
	}
}

func hex4(b []byte) rune { return hexVal(b[0])<<12 | hexVal(b[1])<<8 | hexVal(b[2])<<4 | hexVal(b[3]) }

const (
	swarLo = 0x0101010101010101
	swarHi = 0x8080808080808080
)

// plainRun returns the index of the first byte at or after i that is '"', '\\' or a control
// character (or len(b)), eight bytes at a time, and whether the bytes skipped include any >= 0x80.
func plainRun(b []byte, i int) (int, bool) {
	var high uint64
	for i+8 <= len(b) {
		w := binary.LittleEndian.Uint64(b[i:])
		q := w ^ (swarLo * '"')
		bs := w ^ (swarLo * '\\')
		special := (w-swarLo*0x20)&^w | (q-swarLo)&^q | (bs-swarLo)&^bs
		if special&swarHi != 0 {
			break
		}
		high |= w
		i += 8
	}
	for i < len(b) {
		c := b[i]
		if c == '"' || c == '\\' || c < 0x20 {
			break
		}
		high |= uint64(c)
		i++
	}
	return i, high&swarHi != 0
}

// scanString validates the string that starts at b[i] == '"' and returns the index after its closing
// quote and its flags.
func scanString(b []byte, i int) (int, int, error) {
	flags := 0
	i++
	for i < len(b) {
		var high bool
		if i, high = plainRun(b, i); high {
			flags |= strHigh
		}
		if i >= len(b) {
			break
		}
		c := b[i]
		switch {
		case c == '"':
			return i + 1, flags, nil
		case c == '\\':
			flags |= strEscaped
			if i+1 >= len(b) {
				return 0, 0, errUnexpected(b, i+1)
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					return 0, 0, errSyntax("invalid \\u escape in string", i)
				}
				if r := hex4(b[i+2:]); r == 0 || utf16.IsSurrogate(r) {
					flags |= strRewrite
				}
				i += 6
			default:
				return 0, 0, errSyntax("invalid escape in string", i)
			}
		case c < 0x20:
			return 0, 0, errSyntax("control character in string", i)
		default:
			if c >= 0x80 {
				flags |= strHigh
			}
			i++
		}
	}
	return 0, 0, errUnexpected(b, i)
}

// scanNumber validates the number that starts at b[i] and returns the index after it.
func scanNumber(b []byte, i int) (int, error) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return 0, errUnexpected(b, i)
	}
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == start {
			return 0, errUnexpected(b, i)
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		start := i
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
		if i == start {
			return 0, errUnexpected(b, i)
		}
	}
	return i, nil
}

func scanLiteral(b []byte, i int, lit string) (int, error) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return 0, errSyntax("invalid literal", i)
	}
	return i + len(lit), nil
}

// rawMember is one member of a scanned object: its key (between the quotes, possibly escaped) and
// the span of its value.
type rawMember struct {
	ks, ke   int // key bytes, without the quotes
	keyFlags int
	vs, ve   int // value bytes
}

// scanner validates JSON and optionally records container sizes (in document order) for the
// payload limits.
type scanner struct {
	b     []byte
	sizes []int32 // sizes of objects and arrays, recorded while record is set
	// record makes scanValue append container sizes to sizes.
	record bool
}

// scanValue validates the value at b[i] (no leading whitespace) at nesting depth (the number of
// enclosing containers) and returns the index after it.
func (s *scanner) scanValue(i, depth int) (int, error) {
	b := s.b
	if i >= len(b) {
		return 0, errUnexpected(b, i)
	}
	switch b[i] {
	case '{':
		return s.scanObject(i, depth+1, nil)
	case '[':
		return s.scanArray(i, depth+1)
	case '"':
		end, _, err := scanString(b, i)
		return end, err
	case 't':
		return scanLiteral(b, i, "true")
	case 'f':
		return scanLiteral(b, i, "false")
	case 'n':
		return scanLiteral(b, i, "null")
	default:
		return scanNumber(b, i)
	}
}

// scanObject validates the object at b[i] == '{' whose own nesting depth is depth. When members is
// not nil, it appends every member to *members.
func (s *scanner) scanObject(i, depth int, members *[]rawMember) (int, error) {
	b := s.b
	if depth > maxNesting {
		return 0, errSyntax("nesting too deep", i)
	}
	slot := -1
	if s.record {
		slot = len(s.sizes)
		s.sizes = append(s.sizes, 0)
	}
	var n int32
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, errUnexpected(b, i)
		}
		ke, flags, err := scanString(b, i)
		if err != nil {
			return 0, err
		}
		m := rawMember{ks: i + 1, ke: ke - 1, keyFlags: flags}
		i = skipWS(b, ke)
		if i >= len(b) || b[i] != ':' {
			return 0, errUnexpected(b, i)
		}
		i = skipWS(b, i+1)
		m.vs = i
		if i, err = s.scanValue(i, depth); err != nil {
			return 0, err
		}
		m.ve = i
		if members != nil {
			*members = append(*members, m)
		}
		n++
		i = skipWS(b, i)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
			continue
		}
		if i < len(b) && b[i] == '}' {
			if slot >= 0 {
				s.sizes[slot] = n
			}
			return i + 1, nil
		}
		return 0, errUnexpected(b, i)
	}
}

func (s *scanner) scanArray(i, depth int) (int, error) {
	b := s.b
	if depth > maxNesting {
		return 0, errSyntax("nesting too deep", i)
	}
	slot := -1
	if s.record {
		slot = len(s.sizes)
		s.sizes = append(s.sizes, 0)
	}
	var n int32
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		var err error
		if i, err = s.scanValue(i, depth); err != nil {
			return 0, err
		}
		n++
		i = skipWS(b, i)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
			continue
		}
		if i < len(b) && b[i] == ']' {
			if slot >= 0 {
				s.sizes[slot] = n
			}
			return i + 1, nil
		}
		return 0, errUnexpected(b, i)
	}
}

// envelope is what scanEnvelope found under one envelope key.
type envelope struct {
	found  bool
	vs, ve int // the value
	// For an object value: its members in scanner.members[mlo:mhi] and the sizes of the containers
	// nested in it in scanner.sizes[slo:shi].
	mlo, mhi, slo, shi int
}

// scanEnvelope validates the whole of b as one JSON document. If it is an object, the last member
// named key1 (and, when key2 is not empty, the last member named key2) is reported; object values
// also get their members and nested container sizes recorded. isObject reports whether the document
// is an object.
func (s *scanner) scanEnvelope(key1, key2 string, members *[]rawMember) (env [2]envelope, isObject bool, err error) {
	b := s.b
	i := skipWS(b, 0)
	if i >= len(b) {
		return env, false, nil // an empty body holds no parameters
	}
	if b[i] != '{' {
		end, err := s.scanValue(i, 0)
		if err != nil {
			return env, false, err
		}
		if end = skipWS(b, end); end != len(b) {
			return env, false, errUnexpected(b, end)
		}
		return env, false, nil
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		i++
	} else {
		for {
			if i >= len(b) || b[i] != '"' {
				return env, true, errUnexpected(b, i)
			}
			ke, _, err := scanString(b, i)
			if err != nil {
				return env, true, err
			}
			key := b[i+1 : ke-1]
			var slot *envelope
			switch {
			case string(key) == key1:
				slot = &env[0]
			case key2 != "" && string(key) == key2:
				slot = &env[1]
			}
			i = skipWS(b, ke)
			if i >= len(b) || b[i] != ':' {
				return env, true, errUnexpected(b, i)
			}
			i = skipWS(b, i+1)
			vs := i
			switch {
			case slot != nil && i < len(b) && b[i] == '{':
				e := envelope{found: true, vs: vs, mlo: len(*members), slo: len(s.sizes)}
				s.record = true
				i, err = s.scanObject(i, 2, members)
				s.record = false
				if err != nil {
					return env, true, err
				}
				// The event object's own size is len(members); drop its slot so sizes hold only
				// the nested containers.
				s.sizes = append(s.sizes[:e.slo], s.sizes[e.slo+1:]...)
				e.ve, e.mhi, e.shi = i, len(*members), len(s.sizes)
				*slot = e
			default:
				if i, err = s.scanValue(i, 1); err != nil {
					return env, true, err
				}
				if slot != nil {
					*slot = envelope{found: true, vs: vs, ve: i}
				}
			}
			i = skipWS(b, i)
			if i < len(b) && b[i] == ',' {
				i = skipWS(b, i+1)
				continue
			}
			if i < len(b) && b[i] == '}' {
				i++
				break
			}
			return env, true, errUnexpected(b, i)
		}
	}
	if i = skipWS(b, i); i != len(b) {
		return env, true, errUnexpected(b, i)
	}
	return env, true, nil
}

// stringEnd returns the index after the closing quote of the already validated string at b[i] and
// its flags.
func stringEnd(b []byte, i int) (int, int) {
	flags := 0
	i++
	for i < len(b) {
		var high bool
		if i, high = plainRun(b, i); high {
			flags |= strHigh
		}
		if i >= len(b) {
			break
		}
		switch b[i] {
		case '"':
			return i + 1, flags
		case '\\':
			flags |= strEscaped
			if b[i+1] == 'u' {
				if r := hex4(b[i+2:]); r == 0 || utf16.IsSurrogate(r) {
					flags |= strRewrite
				}
				i += 6
			} else {
				i += 2
			}
		default: // a control character, which validated input does not hold
			i++
		}
	}
	return i, flags
}

// valueEnd returns the index after the already validated value at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		end, _ := stringEnd(b, i)
		return end
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i, _ = stringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	case 't', 'n':
		return i + 4
	case 'f':
		return i + 5
	default:
		for i < len(b) && (b[i] == '-' || b[i] == '+' || b[i] == '.' || b[i] == 'e' || b[i] == 'E' || '0' <= b[i] && b[i] <= '9') {
			i++
		}
		return i
	}
}

// decodeString appends the decoded form of the validated string body raw (without quotes) to dst.
// Invalid UTF-8, lone surrogates and NUL become U+FFFD, so the result is valid UTF-8 that
// PostgreSQL text and jsonb accept.
func decodeString(dst, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			switch raw[i+1] {
			case 'u':
				r := hex4(raw[i+2:])
				i += 6
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if r < 0xdc00 && i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
						r2 = hex4(raw[i+2:])
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				if r == 0 {
					r = utf8.RuneError
				}
				dst = utf8.AppendRune(dst, r)
				continue
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			default: // '"', '\\', '/'
				dst = append(dst, raw[i+1])
			}
			i += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			} else {
				dst = append(dst, raw[i:i+size]...)
			}
			i += size
		}
	}
	return dst
}

// decodedLen returns len(decodeString(nil, raw)) without decoding.
func decodedLen(raw []byte) int {
	n := 0
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\\')
		if j < 0 {
			n += len(raw) - i
			break
		}
		n += j
		i += j
		if raw[i+1] != 'u' {
			n++
			i += 2
			continue
		}
		r := hex4(raw[i+2:])
		i += 6
		if utf16.IsSurrogate(r) {
			if r < 0xdc00 && i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
				if dec := utf16.DecodeRune(r, hex4(raw[i+2:])); dec != utf8.RuneError {
					n += utf8.RuneLen(dec)
					i += 6
					continue
				}
			}
			r = utf8.RuneError
		}
		if r == 0 {
			r = utf8.RuneError
		}
		n += utf8.RuneLen(r)
	}
	return n
}

// appendQuoted appends s, which must be valid UTF-8, as a JSON string.
func appendQuoted(dst, s []byte) []byte {
	const hexDigits = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i, c := range s {
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendQuotedString is appendQuoted for a Go string that is already valid UTF-8.
func appendQuotedString(dst []byte, s string) []byte {
	simple := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			simple = false
			break
		}
	}
	if simple {
		dst = append(dst, '"')
		dst = append(dst, s...)
		return append(dst, '"')
	}
	return appendQuoted(dst, []byte(s))
}
