package search_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/search"
)

func filter(mod func(f *search.Filter)) search.Filter {
	f := search.DefaultFilter()
	mod(&f)
	return f
}

func day(s string) search.Date {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return search.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}

func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		query     string
		want      search.Filter
		canonical string
	}{
		{"", search.DefaultFilter(), "is:unresolved"},
		{"   \t\n", search.DefaultFilter(), "is:unresolved"},
		{
			"is:unresolved assigned:me env:production release:1.4 level:error some words",
			filter(func(f *search.Filter) {
				f.Assignee = search.Assignee{Kind: search.AssigneeMe}
				f.Environments.Include = []string{"production"}
				f.Releases.Include = []string{"1.4"}
				f.Levels.Include = []string{"error"}
				f.Text = []string{"some", "words"}
			}),
			"is:unresolved assigned:me env:production release:1.4 level:error some words",
		},
		{"is:open", search.DefaultFilter(), "is:unresolved"},
		{"IS:Introduced_Today", filter(func(f *search.Filter) { f.Status = search.StatusNew }), "is:new"},
		{"is:all is:all", filter(func(f *search.Filter) { f.Status = search.StatusAll }), "is:all"},
		{"is:resolved", filter(func(f *search.Filter) { f.Status = search.StatusResolved }), "is:resolved"},
		{"is:ignored", filter(func(f *search.Filter) { f.Status = search.StatusIgnored }), "is:ignored"},
		{"is:archived", filter(func(f *search.Filter) { f.Status = search.StatusArchived }), "is:archived"},
		{"assigned:none", filter(func(f *search.Filter) { f.Assignee.Kind = search.AssigneeNone }), "is:unresolved assigned:none"},
		{"assignee:unassigned", filter(func(f *search.Filter) { f.Assignee.Kind = search.AssigneeNone }), "is:unresolved assigned:none"},
		{"assigned:anyone", filter(func(f *search.Filter) { f.Assignee.Kind = search.AssigneeAny }), "is:unresolved assigned:any"},
		{"assigned:Alice@Example.com", filter(func(f *search.Filter) {
			f.Assignee = search.Assignee{Kind: search.AssigneeMember, Member: "alice@example.com"}
		}), "is:unresolved assigned:alice@example.com"},
		{"assigned:42", filter(func(f *search.Filter) { f.Assignee = search.Assignee{Kind: search.AssigneeMember, Member: "42"} }), "is:unresolved assigned:42"},
		{"assigned:0B9C5B1E-8F4A-4B7C-9D3E-2A1B0C9D8E7F", filter(func(f *search.Filter) {
			f.Assignee = search.Assignee{Kind: search.AssigneeMember, Member: "0b9c5b1e-8f4a-4b7c-9d3e-2a1b0c9d8e7f"}
		}), "is:unresolved assigned:0b9c5b1e-8f4a-4b7c-9d3e-2a1b0c9d8e7f"},
		{
			"env:staging -ENV:Production environment:staging env:\"qa  eu\" release:1.4.* -release:1.3.0 level:WARN level:critical -level:info",
			filter(func(f *search.Filter) {
				f.Environments = search.Values{Include: []string{"qa eu", "staging"}, Exclude: []string{"production"}}
				f.Releases = search.Values{Include: []string{"1.4.*"}, Exclude: []string{"1.3.0"}}
				f.Levels = search.Values{Include: []string{"fatal", "warning"}, Exclude: []string{"info"}}
			}),
			`is:unresolved env:"qa eu" env:staging -env:production release:1.4.* -release:1.3.0 level:fatal level:warning -level:info`,
		},
		{"first-seen:<24h", filter(func(f *search.Filter) { f.FirstSeen.After.Age = 24 * time.Hour }), "is:unresolved first-seen:<1d"},
		{"first_seen:-90m last-seen:+2w", filter(func(f *search.Filter) {
			f.FirstSeen.After.Age = 90 * time.Minute
			f.LastSeen.Before.Age = 14 * 24 * time.Hour
		}), "is:unresolved first-seen:<90m last-seen:>14d"},
		{"lastSeen:>7d last-seen:<30d", filter(func(f *search.Filter) {
			f.LastSeen = search.TimeRange{After: search.Bound{Age: 30 * 24 * time.Hour}, Before: search.Bound{Age: 7 * 24 * time.Hour}}
		}), "is:unresolved last-seen:<30d last-seen:>7d"},
		{"first-seen:<2026-11-01", filter(func(f *search.Filter) { f.FirstSeen.Before.Date = day("2026-11-01") }), "is:unresolved first-seen:<2026-11-01"},
		{"first-seen:<=2026-11-01", filter(func(f *search.Filter) { f.FirstSeen.Before.Date = day("2026-11-02") }), "is:unresolved first-seen:<2026-11-02"},
		{"first-seen:>2026-11-30", filter(func(f *search.Filter) { f.FirstSeen.After.Date = day("2026-12-01") }), "is:unresolved first-seen:>=2026-12-01"},
		{"first-seen:>=2026-11-01", filter(func(f *search.Filter) { f.FirstSeen.After.Date = day("2026-11-01") }), "is:unresolved first-seen:>=2026-11-01"},
		{"first-seen:2026-11-01..2026-11-20", filter(func(f *search.Filter) {
			f.FirstSeen = search.TimeRange{After: search.Bound{Date: day("2026-11-01")}, Before: search.Bound{Date: day("2026-11-21")}}
		}), "is:unresolved first-seen:2026-11-01..2026-11-20"},
		{"first-seen:>=2026-11-01 first-seen:<=2026-11-01", filter(func(f *search.Filter) {
			f.FirstSeen = search.TimeRange{After: search.Bound{Date: day("2026-11-01")}, Before: search.Bound{Date: day("2026-11-02")}}
		}), "is:unresolved first-seen:2026-11-01"},
		{"last-seen:>2026-11-01T10:00:00+01:00", filter(func(f *search.Filter) {
			f.LastSeen.After.Time = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		}), "is:unresolved last-seen:>=2026-11-01T09:00:00Z"},
		{"sort:count", filter(func(f *search.Filter) { f.Sort = search.SortCount }), "is:unresolved sort:count"},
		{"sort:first_seen", filter(func(f *search.Filter) { f.Sort = search.SortFirstSeen }), "is:unresolved sort:first-seen"},
		{"sort:trend", filter(func(f *search.Filter) { f.Sort = search.SortTrend }), "is:unresolved sort:trend"},
		{"sort:last-seen", search.DefaultFilter(), "is:unresolved"},
		{
			`"card declined" -timeout -"gateway error" ActiveRecord::RecordNotFound http://x.test/a TypeError: "is:open" "say \"hi\" \\o/" - 4200`,
			filter(func(f *search.Filter) {
				f.Text = []string{"card declined", "ActiveRecord::RecordNotFound", "http://x.test/a", "TypeError:", "is:open", `say "hi" \o/`, "-", "4200"}
				f.NotText = []string{"timeout", "gateway error"}
			}),
			`is:unresolved "card declined" "ActiveRecord::RecordNotFound" "http://x.test/a" "TypeError:" "is:open" "say \"hi\" \\o/" "-" 4200 -timeout -"gateway error"`,
		},
		{`-"-x" a"b "" é`, filter(func(f *search.Filter) {
			f.Text = []string{`a"b`, "é"}
			f.NotText = []string{"-x"}
		}), `is:unresolved "a\"b" é -"-x"`},
		{`env:"::x" release:"/r"`, filter(func(f *search.Filter) {
			f.Environments.Include = []string{"::x"}
			f.Releases.Include = []string{"/r"}
		}), `is:unresolved env:"::x" release:"/r"`},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			t.Parallel()
			got, err := search.Parse(c.query)
			require.NoError(t, err)
			require.Equal(t, c.want, got)
			require.Equal(t, c.canonical, search.Format(got))
			again, err := search.Parse(c.canonical)
			require.NoError(t, err, "the canonical text parses")
			require.Equal(t, got, again, "round trip")
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		query          string
		offset, length int
		message        string
	}{
		{"boom foo:bar", 5, 3, `unknown key "foo" (keys: is, assigned, env, release, level, first-seen, last-seen, sort); put the text in quotes to search for it`},
		{"é -Stage:prod", 3, 5, `unknown key "Stage" (keys: is, assigned, env, release, level, first-seen, last-seen, sort); put the text in quotes to search for it`},
		{"is:fixed", 0, 8, `unknown status "fixed" (is: takes unresolved, new, resolved, ignored, archived or all)`},
		{"is:resolved is:ignored", 12, 10, "is: given twice (resolved and ignored)"},
		{"env: x", 0, 4, "env: needs a value"},
		{`env:""`, 0, 6, "env: needs a value"},
		{"-is:resolved", 0, 12, "is: cannot be negated"},
		{"-sort:count", 0, 11, "sort: cannot be negated"},
		{"-assigned:me", 0, 12, "assigned: cannot be negated"},
		{"assigned:bob", 0, 12, `assigned: takes me, none, any, or a member's e-mail address, uuid or id; not "bob"`},
		{"assigned:me assigned:none", 12, 13, "assigned: given twice"},
		{"sort:newest", 0, 11, `unknown order "newest" (sort: takes last-seen, first-seen, count or trend)`},
		{"sort:count sort:trend", 11, 10, "sort: given twice (count and trend)"},
		{"first-seen:24h", 0, 14, "first-seen: say <24h (less than 24h ago) or >24h (more than 24h ago)"},
		{"first-seen:yesterday", 0, 20, `first-seen: "yesterday" is neither an age (24h, 7d) nor a day (YYYY-MM-DD)`},
		{"first-seen:2026-02-30", 0, 21, `first-seen: "2026-02-30" is neither an age (24h, 7d) nor a day (YYYY-MM-DD)`},
		{"first-seen:0h", 0, 13, `first-seen: "0h" is neither an age (24h, 7d) nor a day (YYYY-MM-DD)`},
		{"first-seen:2026-11-20..2026-11-01", 0, 33, `first-seen: the range "2026-11-20..2026-11-01" is empty`},
		{"first-seen:2026-11-01..x", 0, 24, `first-seen: "2026-11-01..x" is not a range of days (YYYY-MM-DD..YYYY-MM-DD)`},
		{"last-seen:<24h last-seen:<7d", 15, 13, "last-seen: the lower bound is given twice"},
		{"last-seen:>2026-11-05 last-seen:<2026-11-03", 22, 21, "last-seen: the range is empty"},
		{"last-seen:2026-11-01T10:00:00Z", 0, 30, "last-seen: compare an instant with < or >, as in >2026-11-01T10:00:00Z"},
		{`a "bc`, 2, 3, "unterminated quote"},
		{`"a"b c`, 0, 4, "a quoted value must be followed by a space"},
		{`env:"a"b`, 4, 4, "a quoted value must be followed by a space"},
		{"a\x00b", 1, 1, "control character U+0000"},
		{"a\xffb", 1, 1, "the query is not valid UTF-8"},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			t.Parallel()
			_, err := search.Parse(c.query)
			var se *search.Error
			require.True(t, errors.As(err, &se), "%v", err)
			require.Equal(t, search.Error{Offset: c.offset, Length: c.length, Message: c.message}, *se)
		})
	}
	long := make([]byte, search.MaxQueryBytes+1)
	for i := range long {
		long[i] = 'a'
	}
	_, err := search.Parse(string(long))
	require.ErrorContains(t, err, "longer than 2048 bytes")
	many := ""
	for range search.MaxTerms + 1 {
		many += "a "
	}
	_, err = search.Parse(many)
	require.ErrorContains(t, err, "more than 64 terms (at character 129)")
}

func TestResolve(t *testing.T) {
	t.Parallel()
	f, err := search.Parse("first-seen:2026-03-29 last-seen:<24h")
	require.NoError(t, err)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	now := time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC)
	r := f.Resolve(now, paris)
	// The day of the summer time change is 23 hours long in Paris.
	require.Equal(t, time.Date(2026, 3, 29, 0, 0, 0, 0, paris), r.FirstSeenAfter)
	require.Equal(t, 23*time.Hour, r.FirstSeenBefore.Sub(r.FirstSeenAfter))
	require.Equal(t, now.Add(-24*time.Hour), r.LastSeenAfter)
	require.True(t, r.LastSeenBefore.IsZero())
	require.Equal(t, time.Date(2026, 3, 30, 0, 0, 0, 0, paris), r.Today)
	require.Equal(t, time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC), search.DefaultFilter().Resolve(now, nil).Today)
}

func TestLevelSpellings(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"warning", "warn"}, search.LevelSpellings("warning"))
	require.Equal(t, []string{"fatal", "crit", "critical"}, search.LevelSpellings("fatal"))
	require.Equal(t, []string{"notice"}, search.LevelSpellings("notice"))
}

func TestFormatZeroFilter(t *testing.T) {
	t.Parallel()
	require.Equal(t, "is:unresolved", search.Format(search.Filter{}))
}
