package search

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// FuzzParse checks that Parse never panics, that errors point inside the query, and that every
// filter it returns survives Format and Parse unchanged, with Format idempotent.
func FuzzParse(f *testing.F) {
	for _, q := range []string{
		"", "is:unresolved assigned:me env:production release:1.4 level:error some words",
		`-env:staging "card declined" -"x y" ActiveRecord::RecordNotFound http://x TypeError: a"b - --x`,
		"first-seen:<24h last-seen:>7d first-seen:2026-11-01..2026-11-20 last-seen:>=2026-11-01T10:00:00.5+02:00",
		`env:"qa \"eu\" \\" release:1.* level:warn sort:trend assigned:a@b.c is:new`,
		"foo:bar", "is:", `"unterminated`, "first-seen:+2026-11-01", "\u00a0é\u2003x", "assigned:0b9c5b1e-8f4a-4b7c-9d3e-2a1b0c9d8e7f",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got, err := Parse(q)
		if err != nil {
			var se *Error
			require.True(t, errors.As(err, &se))
			n := utf8.RuneCountInString(q)
			require.True(t, se.Offset >= 0 && se.Length >= 0 && se.Offset+se.Length <= n, "error %+v out of a query of %d characters", se, n)
			require.NotEmpty(t, se.Message)
			return
		}
		text := Format(got)
		again, err := Parse(text)
		require.NoError(t, err, "canonical text %q of %q does not parse", text, q)
		require.Equal(t, got, again, "round trip through %q", text)
		require.Equal(t, text, Format(again))
	})
}
