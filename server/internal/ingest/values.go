package ingest

// Helpers that read encoded JSON values the way Ruby and Rails would (present?, to_s, to_i, to_f).

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isNilOrFalse reports whether the encoded value v is null or false (Ruby's falsy values).
func isNilOrFalse(v []byte) bool { return string(v) == "null" || string(v) == "false" }

// isBlank reports whether the encoded value v is blank in the Rails sense: null, false, an empty or
// whitespace-only string, an empty array or an empty object.
func isBlank(v []byte) bool {
	if len(v) == 0 {
		return true
	}
	switch v[0] {
	case 'n', 'f':
		return true
	case '[', '{':
		j := skipWS(v, 1)
		return j < len(v) && (v[j] == ']' || v[j] == '}')
	case '"':
		end, flags := stringEnd(v, 0)
		body := v[1 : end-1]
		if flags&strEscaped == 0 && flags&strHigh == 0 {
			for _, c := range body {
				if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' {
					return false
				}
			}
			return true
		}
		s := decodeString(nil, body)
		for len(s) > 0 {
			r, size := utf8.DecodeRune(s)
			if !unicode.IsSpace(r) {
				return false
			}
			s = s[size:]
		}
		return true
	}
	return false
}

// present returns v when it is present in the Rails sense, else nil.
func present(v []byte) []byte {
	if v == nil || isBlank(v) {
		return nil
	}
	return v
}

// firstPresent returns the first present value (Ruby `values.find(&:present?)`).
func firstPresent(vs ...[]byte) []byte {
	for _, v := range vs {
		if present(v) != nil {
			return v
		}
	}
	return nil
}

// firstTruthy returns the first value that is neither absent, null nor false (Ruby `a || b`).
func firstTruthy(vs ...[]byte) []byte {
	for _, v := range vs {
		if v != nil && !isNilOrFalse(v) {
			return v
		}
	}
	return nil
}

// text returns the string form of an encoded value: the decoded string, the literal of a number or
// boolean, "" for null, and the JSON text of an object or array.
func text(v []byte) string {
	if len(v) == 0 {
		return ""
	}
	switch v[0] {
	case '"':
		end, flags := stringEnd(v, 0)
		if flags&strEscaped == 0 && (flags&strHigh == 0 || utf8.Valid(v[1:end-1])) {
			return string(v[1 : end-1])
		}
		return string(decodeString(nil, v[1:end-1]))
	case 'n':
		return ""
	}
	return strings.ToValidUTF8(string(v), "\uFFFD")
}

// objectGet returns the value of the last member named key in the encoded object v.
func objectGet(v []byte, key string) []byte {
	if len(v) == 0 || v[0] != '{' {
		return nil
	}
	var found []byte
	i := skipWS(v, 1)
	for i < len(v) && v[i] == '"' {
		kEnd, flags := stringEnd(v, i)
		k := v[i+1 : kEnd-1]
		if flags&strEscaped != 0 {
			k = decodeString(nil, k)
		}
		i = skipWS(v, skipWS(v, kEnd)+1)
		end := valueEnd(v, i)
		if string(k) == key {
			found = v[i:end]
		}
		i = skipWS(v, end)
		if i < len(v) && v[i] == ',' {
			i = skipWS(v, i+1)
		}
	}
	return found
}

func bytesHasByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// rubyToFloat converts an encoded value like Ruby's to_f: numbers as they are, strings by their
// leading number, everything else 0.
func rubyToFloat(v []byte) float64 {
	if len(v) == 0 {
		return 0
	}
	var s string
	switch c := v[0]; {
	case c == '"':
		s = numericPrefix(text(v), true)
	case c == '-' || isDigit(c):
		s = string(v)
	default:
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}

// rubyToInt converts an encoded value like Ruby's to_i (strings by their leading integer, floats
// truncated), clamped to the int32 range.
func rubyToInt(v []byte) int {
	if len(v) == 0 {
		return 0
	}
	var f float64
	switch c := v[0]; {
	case c == '"':
		s := numericPrefix(text(v), false)
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			if s == "" || s == "-" || s == "+" {
				return 0
			}
			if s[0] == '-' {
				return -1 << 31
			}
			return 1<<31 - 1
		}
		f = float64(n)
	case c == '-' || isDigit(c):
		f, _ = strconv.ParseFloat(string(v), 64)
	default:
		return 0
	}
	switch {
	case f > 1<<31-1:
		return 1<<31 - 1
	case f < -1<<31:
		return -1 << 31
	}
	return int(f)
}

// numericPrefix returns the leading number of s after leading whitespace, as Ruby's String#to_f
// (float set) or #to_i reads it.
func numericPrefix(s string, float bool) string {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if !float {
		return s[:i]
	}
	if i < len(s) && s[i] == '.' && i+1 < len(s) && isDigit(s[i+1]) {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i == digits {
		return "0"
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			i = j
		}
	}
	return s[:i]
}

func isRubySpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0
}

func trimSpaceBytes(s []byte) []byte {
	for len(s) > 0 && isRubySpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isRubySpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// trimSpaceASCII strips Ruby String#strip whitespace (ASCII whitespace and NUL) from both ends.
func trimSpaceASCII(s string) string {
	isWS := func(c byte) bool {
		return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0
	}
	for len(s) > 0 && isWS(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isWS(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}
