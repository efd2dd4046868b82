package triage_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/triage"
)

func TestCheckSnooze(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
	n := func(v int64) *int64 { return &v }
	fields := func(err error) map[string]string {
		t.Helper()
		var ae *apperr.Error
		require.True(t, errors.As(err, &ae), "%v", err)
		require.Equal(t, "validation_failed", ae.Code)
		return ae.Fields
	}

	// Valid snoozes come back normalised: UTC, to the microsecond.
	berlin := time.FixedZone("CET", 3600)
	local := now.Add(time.Hour + 1500*time.Nanosecond).In(berlin)
	got, err := triage.CheckSnooze(true, store.Snooze{Until: &local, Occurrences: n(3)}, now)
	require.NoError(t, err)
	require.Equal(t, now.Add(time.Hour+time.Microsecond), *got.Until)
	require.Equal(t, time.UTC, got.Until.Location())
	require.EqualValues(t, 3, *got.Occurrences)
	for _, ok := range []store.Snooze{{}, {Until: at(time.Microsecond)}, {Until: at(365 * 24 * time.Hour)},
		{Occurrences: n(1)}, {Occurrences: n(triage.MaxSnoozeOccurrences)}} {
		_, err := triage.CheckSnooze(true, ok, now)
		require.NoError(t, err)
	}
	_, err = triage.CheckSnooze(false, store.Snooze{}, now)
	require.NoError(t, err)

	for _, c := range []struct {
		ignoring bool
		snooze   store.Snooze
		want     []string
	}{
		{false, store.Snooze{Until: at(time.Hour)}, []string{"ignoreUntil"}},
		{false, store.Snooze{Occurrences: n(2)}, []string{"ignoreOccurrences"}},
		{false, store.Snooze{Until: at(time.Hour), Occurrences: n(2)}, []string{"ignoreUntil", "ignoreOccurrences"}},
		{true, store.Snooze{Until: at(0)}, []string{"ignoreUntil"}},
		{true, store.Snooze{Until: at(-time.Second)}, []string{"ignoreUntil"}},
		{true, store.Snooze{Until: at(366 * 24 * time.Hour)}, []string{"ignoreUntil"}},
		{true, store.Snooze{Occurrences: n(0)}, []string{"ignoreOccurrences"}},
		{true, store.Snooze{Occurrences: n(triage.MaxSnoozeOccurrences + 1)}, []string{"ignoreOccurrences"}},
		{true, store.Snooze{Until: at(-time.Hour), Occurrences: n(-1)}, []string{"ignoreUntil", "ignoreOccurrences"}},
	} {
		_, err := triage.CheckSnooze(c.ignoring, c.snooze, now)
		f := fields(err)
		require.Len(t, f, len(c.want), "%+v", c)
		for _, k := range c.want {
			require.Contains(t, f, k)
		}
	}
}
