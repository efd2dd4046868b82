package grouping

import (
	"net/netip"
	"regexp"
	"strings"
)

var (
	reURLQuery  = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://[^\s?#"'<>]*)[?#][^\s"'<>]*`)
	reEmail     = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	reUUID      = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	reTimestamp = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\b`)
	reIPv6      = regexp.MustCompile(`[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*`)
	reIPv4      = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b`)
)

// normalizeMessage returns the first line of msg with its variable parts replaced by placeholders,
// in an order where each step cannot break a later one: quoted strings ("<str>"), URL query strings
// and fragments ("?<query>"), e-mail addresses, UUIDs, ISO-8601 timestamps and dates ("<ts>"), IP
// addresses with an optional port ("<ip>"), then hex ids (0x…, or 8+ hex digits) and numbers
// (integers, decimals, "1,000"), which share one placeholder ("<n>") so that an id that happens to
// be all digits does not split a group. Runs of white space become one space.
func normalizeMessage(msg string) string {
	line, _, _ := strings.Cut(msg, "\n")
	line = strings.TrimSpace(truncate(line, maxMessageLine))
	line = replaceQuoted(line)
	if strings.Contains(line, "://") {
		line = reURLQuery.ReplaceAllString(line, "${1}?<query>")
	}
	if strings.IndexByte(line, '@') >= 0 {
		line = reEmail.ReplaceAllLiteralString(line, "<email>")
	}
	if n := strings.Count(line, "-"); n >= 2 {
		if n >= 4 {
			line = reUUID.ReplaceAllLiteralString(line, "<uuid>")
		}
		line = reTimestamp.ReplaceAllLiteralString(line, "<ts>")
	}
	if strings.Count(line, ":") >= 2 {
		line = replaceIPv6(line)
	}
	if strings.Count(line, ".") >= 3 {
		line = reIPv4.ReplaceAllLiteralString(line, "<ip>")
	}
	return strings.Join(strings.Fields(replaceNumbers(line)), " ")
}

// replaceQuoted replaces '…', "…" and `…' or `…` with "<str>". A quote opens only after a non-word
// character and a single quote closes only before one, so apostrophes ("can't") are left alone.
func replaceQuoted(s string) string {
	if !strings.ContainsAny(s, "'\"`") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var unclosed [128]bool // quotes known to have no closing quote in the rest of s
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c == '\'' || c == '"' || c == '`') && !unclosed[c] && (i == 0 || !isWordByte(s[i-1])) {
			if end := closingQuote(s, i); end > 0 {
				b.WriteString("<str>")
				i = end
				continue
			}
			unclosed[c] = true
		}
		b.WriteByte(c)
	}
	return b.String()
}

// closingQuote returns the index of the quote that closes the one at s[open], or -1.
func closingQuote(s string, open int) int {
	q := s[open]
	for j := open + 1; j < len(s); j++ {
		switch c := s[j]; {
		case q == '"' && c == '\\':
			j++
		case q == '"' && c == '"':
			return j
		case q == '`' && c == '`':
			return j
		case q != '"' && c == '\'' && (j+1 == len(s) || !isWordByte(s[j+1])):
			return j
		}
	}
	return -1
}

// replaceIPv6 replaces IPv6 addresses, which a regular expression alone cannot tell from
// "Foo::Bar" or "12:30:45": candidates must stand alone and parse.
func replaceIPv6(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range reIPv6.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		if start > 0 && isWordByte(s[start-1]) || end < len(s) && isWordByte(s[end]) {
			continue
		}
		if a, err := netip.ParseAddr(strings.TrimSuffix(s[start:end], ".")); err != nil || !a.Is6() {
			continue
		}
		b.WriteString(s[last:start])
		b.WriteString("<ip>")
		last = end
		if s[end-1] == '.' {
			last--
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// replaceNumbers replaces hex ids (whole tokens) and numbers (anywhere: "3000ms" → "<n>ms") with
// "<n>". A decimal or thousands separator followed by a digit continues the number.
func replaceNumbers(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if isAlnum(c) && (i == 0 || !isAlnum(s[i-1])) {
			j := i
			for j < len(s) && isAlnum(s[j]) {
				j++
			}
			if isHexID(s[i:j]) {
				b.WriteString("<n>")
				i = j
				continue
			}
		}
		if isDigit(c) {
			for i++; i < len(s) && (isDigit(s[i]) ||
				(s[i] == '.' || s[i] == ',') && i+1 < len(s) && isDigit(s[i+1])); i++ {
			}
			b.WriteString("<n>")
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

func isAlnum(c byte) bool { return isDigit(c) || isLetter(c) }
