// Package search parses the inbox's search syntax into a Filter, and formats a Filter back into
// canonical query text, so that a saved URL, a script and the inbox's controls say the same thing.
//
// # Syntax
//
// A query is a list of terms separated by white space. Every term is either a filter,
// key:value, or text to search for:
//
//	is:unresolved assigned:me env:production release:1.4.* level:error -env:staging "card declined" timeout
//
// Keys are case-insensitive, and "_" may stand for "-" (last_seen). Values may be quoted
// ("env:\"qa eu\""); inside quotes, \" is a quote and \\ a backslash.
//
//	is:STATUS          unresolved (alias open; the default), new (alias introduced-today: unresolved
//	                   and first seen today), resolved, ignored, archived, all
//	assigned:WHO       me, none (aliases nobody, unassigned), any (aliases anyone, assigned), or a
//	                   member: an e-mail address, a user uuid or a user id (alias assignee:)
//	env:NAME           the environment of the group's latest occurrence (alias environment:);
//	                   case-insensitive
//	release:VERSION    the release the group was first or last seen in; case-sensitive
//	level:LEVEL        the level of the latest occurrence: debug, info, warning (warn), error,
//	                   fatal (critical), or any other word, matched exactly; case-insensitive
//	first-seen:WHEN    when the group was first seen (see below)
//	last-seen:WHEN     when the group was last seen
//	sort:ORDER         last-seen (the default), first-seen, count (occurrences), trend (occurrences
//	                   in the last 24 hours minus those in the 24 hours before); always descending
//
// In env: and release: values, * matches any characters (release:1.4.*). Repeating env:, release:
// or level: widens the filter (env:production env:staging is either), and "-" in front of them
// excludes (-env:staging). The other keys may appear once and cannot be negated.
//
// WHEN is an age or a date: <24h (less than 24 hours ago), >7d (more than 7 days ago; units m,
// h, d, w; -24h and +24h are accepted for <24h and >24h), >2026-11-01 (after that day), >=2026-11-01,
// <2026-11-01 (before that day), <=2026-11-01, 2026-11-01 (that day), 2026-11-01..2026-11-20 (those
// days, both included), or an RFC 3339 instant after < or > (>2026-11-01T10:00:00Z). Days are
// calendar days in the viewer's time zone (Filter.Resolve). A key may be given twice to bound both
// ends (first-seen:<7d first-seen:>24h), but each end only once.
//
// Any other term is text: a word, or a "quoted phrase". A group matches when every text term occurs
// (case-insensitively) in its title, exception type, fingerprint or environment; "-" in front of a
// term (-timeout, -"card declined") excludes groups where it occurs. The store searches every
// environment a group has been seen in and its titles one per shape: titles that differ only in
// their digits count as one, the first one seen (see migration 0007). A word that looks like a filter
// with an unknown key (foo:bar) is an error, not text, so that a typo never silently widens the
// inbox: quote it to search for it. Words with "::" or "://" after the first name
// (ActiveRecord::RecordNotFound, http://x) and a trailing colon (TypeError:) are text.
//
// # Canonical text
//
// Format writes a Filter in one canonical form: is: first (always), then assigned:, env:, release:,
// level: (included values, then excluded, each sorted), first-seen:, last-seen:, sort: (unless
// last-seen), then text terms in the order given, excluded ones last. Quotes are added where a
// value or text term needs them. Parse(Format(f)) == f for every f that Parse returns, and
// Format(Parse(q)) is the canonical form of q.
package search

import (
	"fmt"
	"time"
)

// Status is the status facet of the inbox.
type Status string

// The statuses of the is: key.
const (
	StatusUnresolved Status = "unresolved" // open groups (the default)
	StatusNew        Status = "new"        // open groups first seen today
	StatusResolved   Status = "resolved"
	StatusIgnored    Status = "ignored"
	StatusArchived   Status = "archived"
	StatusAll        Status = "all"
)

// Statuses lists every status, in the order the inbox shows them.
var Statuses = []Status{StatusUnresolved, StatusNew, StatusResolved, StatusIgnored, StatusArchived, StatusAll}

// AssigneeKind says whom the assigned: key asks for.
type AssigneeKind string

// The kinds of the assigned: key.
const (
	AssigneeAnyone AssigneeKind = ""       // no assignee filter
	AssigneeMe     AssigneeKind = "me"     // the viewer
	AssigneeNone   AssigneeKind = "none"   // unassigned groups
	AssigneeAny    AssigneeKind = "any"    // assigned to someone
	AssigneeMember AssigneeKind = "member" // assigned to Member
)

// Assignee is the assignee filter.
type Assignee struct {
	Kind AssigneeKind
	// Member names the member for AssigneeMember: an e-mail address (lowercased), a user uuid or
	// a user id, as written.
	Member string
}

// Values is a filter on one field: the field must match one of Include (when any) and none of
// Exclude. Values are kept sorted and without repeats.
type Values struct {
	Include []string
	Exclude []string
}

// Empty reports whether v filters nothing.
func (v Values) Empty() bool { return len(v.Include) == 0 && len(v.Exclude) == 0 }

// Sort is the order of the inbox; every order is descending, ties broken by group id.
type Sort string

// The orders of the sort: key.
const (
	SortLastSeen  Sort = "last-seen"
	SortFirstSeen Sort = "first-seen"
	SortCount     Sort = "count"
	SortTrend     Sort = "trend"
)

// Sorts lists every order.
var Sorts = []Sort{SortLastSeen, SortFirstSeen, SortCount, SortTrend}

// Filter is what a query says.
type Filter struct {
	Status       Status // never empty once parsed: StatusUnresolved by default
	Assignee     Assignee
	Environments Values // lowercased; * is a wildcard
	Releases     Values // as written; * is a wildcard
	Levels       Values // lowercased, synonyms folded (warn → warning, critical → fatal)
	FirstSeen    TimeRange
	LastSeen     TimeRange
	Sort         Sort // never empty once parsed: SortLastSeen by default
	// Text terms must all occur; NotText terms must not. Case is kept; matching ignores it.
	Text    []string
	NotText []string
}

// DefaultFilter is the filter of an empty query.
func DefaultFilter() Filter {
	return Filter{Status: StatusUnresolved, Sort: SortLastSeen}
}

// Error is a query that cannot be parsed, with where: Offset and Length count characters (Unicode
// code points) of the query, so that a client can underline the culprit.
type Error struct {
	Offset  int
	Length  int
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("search: %s (at character %d)", e.Message, e.Offset+1)
}

// Limits on a query.
const (
	MaxQueryBytes = 2048 // longer queries are refused
	MaxTerms      = 64   // terms in one query
)

// TimeRange bounds when something happened: at or after After, and before Before. A zero Bound
// leaves that end open.
type TimeRange struct {
	After  Bound
	Before Bound
}

// IsZero reports whether r bounds nothing.
func (r TimeRange) IsZero() bool { return r.After.IsZero() && r.Before.IsZero() }

// Bound is one end of a TimeRange: an age, a calendar day or an instant.
type Bound struct {
	Age  time.Duration // now minus Age, when positive
	Date Date          // the start of that day in the viewer's time zone, when set
	Time time.Time     // that instant, when set
}

// IsZero reports whether b is open.
func (b Bound) IsZero() bool { return b.Age == 0 && b.Date.IsZero() && b.Time.IsZero() }

// Resolve returns the instant b stands for; the zero time for an open bound.
func (b Bound) Resolve(now time.Time, loc *time.Location) time.Time {
	switch {
	case b.Age > 0:
		return now.Add(-b.Age)
	case !b.Date.IsZero():
		return b.Date.In(loc)
	case !b.Time.IsZero():
		return b.Time
	}
	return time.Time{}
}

// Date is a calendar day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// In returns the start of the day in loc (UTC when nil).
func (d Date) In(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the day n days later.
func (d Date) AddDays(n int) Date {
	t := time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC)
	return Date{t.Year(), t.Month(), t.Day()}
}

func (d Date) before(e Date) bool { return d.In(time.UTC).Before(e.In(time.UTC)) }

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Today returns the calendar day of now in loc (UTC when nil).
func Today(now time.Time, loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := now.In(loc).Date()
	return Date{y, m, d}
}
