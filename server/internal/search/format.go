package search

import (
	"strings"
	"time"
	"unicode"
)

// Format writes f as canonical query text (see the package documentation). A zero Status or Sort
// is written as its default.
func Format(f Filter) string {
	var terms []string
	status := f.Status
	if status == "" {
		status = StatusUnresolved
	}
	terms = append(terms, "is:"+string(status))
	switch f.Assignee.Kind {
	case AssigneeAnyone:
	case AssigneeMember:
		terms = append(terms, "assigned:"+quote(f.Assignee.Member))
	default:
		terms = append(terms, "assigned:"+string(f.Assignee.Kind))
	}
	for _, v := range []struct {
		key    string
		values Values
	}{{"env", f.Environments}, {"release", f.Releases}, {"level", f.Levels}} {
		for _, s := range v.values.Include {
			terms = append(terms, v.key+":"+quote(s))
		}
		for _, s := range v.values.Exclude {
			terms = append(terms, "-"+v.key+":"+quote(s))
		}
	}
	terms = appendWhen(terms, "first-seen", f.FirstSeen)
	terms = appendWhen(terms, "last-seen", f.LastSeen)
	if f.Sort != "" && f.Sort != SortLastSeen {
		terms = append(terms, "sort:"+string(f.Sort))
	}
	for _, t := range f.Text {
		terms = append(terms, quoteText(t))
	}
	for _, t := range f.NotText {
		terms = append(terms, "-"+quoteText(t))
	}
	return strings.Join(terms, " ")
}

// appendWhen appends the terms of a time range.
func appendWhen(terms []string, key string, r TimeRange) []string {
	a, b := r.After, r.Before
	if !a.Date.IsZero() && !b.Date.IsZero() {
		last := b.Date.AddDays(-1)
		if last == a.Date {
			return append(terms, key+":"+a.Date.String())
		}
		return append(terms, key+":"+a.Date.String()+".."+last.String())
	}
	switch {
	case a.Age > 0:
		terms = append(terms, key+":<"+formatAge(a.Age))
	case !a.Date.IsZero():
		terms = append(terms, key+":>="+a.Date.String())
	case !a.Time.IsZero():
		terms = append(terms, key+":>="+a.Time.UTC().Format(time.RFC3339Nano))
	}
	switch {
	case b.Age > 0:
		terms = append(terms, key+":>"+formatAge(b.Age))
	case !b.Date.IsZero():
		terms = append(terms, key+":<"+b.Date.String())
	case !b.Time.IsZero():
		terms = append(terms, key+":<"+b.Time.UTC().Format(time.RFC3339Nano))
	}
	return terms
}

// formatAge writes an age in the largest of days, hours and minutes that divides it.
func formatAge(d time.Duration) string {
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}} {
		if d%u.unit == 0 {
			return itoa(int64(d/u.unit)) + u.name
		}
	}
	return itoa(int64(d/time.Minute)) + "m"
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// quote quotes a filter value when it would not read back as itself.
func quote(v string) string {
	if v == "" || v[0] == '"' || v[0] == ':' || v[0] == '/' || strings.ContainsFunc(v, needsQuotes) {
		return quoteString(v)
	}
	return v
}

// quoteText quotes a text term when it would not read back as a text term.
func quoteText(t string) string {
	if t[0] == '-' || t[0] == '"' || strings.ContainsRune(t, ':') || strings.ContainsFunc(t, needsQuotes) {
		return quoteString(t)
	}
	return t
}

func needsQuotes(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '\\' }

func quoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// Resolved is a Filter's times resolved for one request.
type Resolved struct {
	// FirstSeenAfter, FirstSeenBefore, LastSeenAfter and LastSeenBefore are the bounds of the
	// time filters; zero when open.
	FirstSeenAfter, FirstSeenBefore time.Time
	LastSeenAfter, LastSeenBefore   time.Time
	// Today is the start of the viewer's day, for StatusNew.
	Today time.Time
}

// Resolve resolves f's ages and days against now, in the viewer's time zone loc (UTC when nil).
func (f Filter) Resolve(now time.Time, loc *time.Location) Resolved {
	if loc == nil {
		loc = time.UTC
	}
	return Resolved{
		FirstSeenAfter:  f.FirstSeen.After.Resolve(now, loc),
		FirstSeenBefore: f.FirstSeen.Before.Resolve(now, loc),
		LastSeenAfter:   f.LastSeen.After.Resolve(now, loc),
		LastSeenBefore:  f.LastSeen.Before.Resolve(now, loc),
		Today:           Today(now, loc).In(loc),
	}
}
