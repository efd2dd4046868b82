package ingest

import (
	"bytes"
	"unicode/utf8"
)

// needsNormalizing reports whether appendNormalizedKey could change key. Most keys are already snake_case
// and take the fast path.
func needsNormalizing(key []byte) bool {
	for _, c := range key {
		if 'A' <= c && c <= 'Z' || c == '-' || c == ':' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// appendNormalizedKey appends key.to_s.underscore.downcase, as ActiveSupport computes it, to dst:
// "::" becomes "/", an underscore goes between a lower-case letter or digit and an upper-case
// letter and between an acronym and the capitalised word after it, "-" becomes "_", and everything
// is lower-cased ("traceId" → "trace_id", "EVENT_TYPE" → "event_type", "X-Request-Id" →
// "x_request_id", "HTMLParser" → "html_parser").
func appendNormalizedKey(dst, key []byte) []byte {
	start := len(dst)
	// "::" → "/" first: the underscore rules look at the result.
	var s []byte
	if bytes.Contains(key, []byte("::")) {
		s = bytes.ReplaceAll(key, []byte("::"), []byte("/"))
	} else {
		s = key
	}
	ascii := true
	for i, c := range s {
		if i > 0 && isUpper(c) {
			p := s[i-1]
			if isLower(p) || isDigit(p) || isUpper(p) && i+1 < len(s) && isLower(s[i+1]) {
				dst = append(dst, '_')
			}
		}
		switch {
		case c == '-':
			c = '_'
		case isUpper(c):
			c += 'a' - 'A'
		case c >= utf8.RuneSelf:
			ascii = false
		}
		dst = append(dst, c)
	}
	if !ascii {
		lowered := bytes.ToLower(dst[start:])
		dst = append(dst[:start], lowered...)
	}
	return dst
}
