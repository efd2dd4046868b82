package triage

import (
	"context"
	"log/slog"
	"time"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// MaxSnoozeOccurrences is the most occurrences an ignore may wait for.
const MaxSnoozeOccurrences = 1_000_000

// maxSnoozeUntil is the latest time an ignore may last until: a year ahead.
func maxSnoozeUntil(now time.Time) time.Time { return now.AddDate(1, 0, 0) }

// CheckSnooze validates a snooze for a status change (ignoring says whether the change ignores
// the issue) and returns it normalised (its time in UTC, to the microsecond, as stored). A snooze
// may set a time (in the future, at most a year ahead), a number of occurrences
// (1..MaxSnoozeOccurrences), or both: the issue then reopens at whichever comes first. Without
// either, an ignored issue reopens at its next occurrence.
//
// Errors: apperr Unprocessable "validation_failed" naming ignoreUntil and/or ignoreOccurrences.
func CheckSnooze(ignoring bool, sn store.Snooze, now time.Time) (store.Snooze, error) {
	if sn.IsZero() {
		return sn, nil
	}
	var fields []apperr.FieldError
	if !ignoring {
		if sn.Until != nil {
			fields = append(fields, apperr.FieldError{Field: "ignoreUntil", Message: "is only for ignoring an issue"})
		}
		if sn.Occurrences != nil {
			fields = append(fields, apperr.FieldError{Field: "ignoreOccurrences", Message: "is only for ignoring an issue"})
		}
		return sn, apperr.InvalidFields(fields...)
	}
	out := store.Snooze{Occurrences: sn.Occurrences}
	if sn.Until != nil {
		until := sn.Until.UTC().Truncate(time.Microsecond)
		switch {
		case !until.After(now):
			fields = append(fields, apperr.FieldError{Field: "ignoreUntil", Message: "must be in the future"})
		case until.After(maxSnoozeUntil(now)):
			fields = append(fields, apperr.FieldError{Field: "ignoreUntil", Message: "must be at most a year ahead"})
		}
		out.Until = &until
	}
	if n := sn.Occurrences; n != nil && (*n < 1 || *n > MaxSnoozeOccurrences) {
		fields = append(fields, apperr.FieldError{Field: "ignoreOccurrences", Message: "must be 1 to 1,000,000"})
	}
	if len(fields) > 0 {
		return sn, apperr.InvalidFields(fields...)
	}
	return out, nil
}

// snoozeSweepBatch is how many issues one sweep statement reopens at most.
const snoozeSweepBatch = 500

// ReopenExpiredSnoozes reopens every ignored issue, of any project, whose snooze time has come,
// recording a snooze_expired activity entry for each. Issues locked meanwhile (by an occurrence
// batch, a triage change or another instance's sweep) wait for the next call. It returns how many
// it reopened.
func (s *Service) ReopenExpiredSnoozes(ctx context.Context) (int, error) {
	now := s.now()
	total := 0
	for {
		n, err := store.ReopenExpiredSnoozes(ctx, s.st.DB, now, snoozeSweepBatch)
		total += n
		if err != nil || n < snoozeSweepBatch {
			return total, err
		}
	}
}

// SnoozeSweepInterval is how often SweepSnoozes looks for expired snoozes.
const SnoozeSweepInterval = 30 * time.Second

// SweepSnoozes calls ReopenExpiredSnoozes every SnoozeSweepInterval until ctx ends, logging what
// it did. Several instances may run it at once.
func (s *Service) SweepSnoozes(ctx context.Context, logger *slog.Logger) {
	t := time.NewTicker(SnoozeSweepInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := s.ReopenExpiredSnoozes(ctx)
			if err != nil && ctx.Err() == nil {
				logger.Error("reopening snoozed issues", "error", err.Error())
			}
			if n > 0 {
				logger.Info("reopened snoozed issues", "count", n)
			}
		}
	}
}
