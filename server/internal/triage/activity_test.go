package triage_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/triage"
)

// Requests that fail validation are refused before the database is used (the service has none).
func TestValidation(t *testing.T) {
	t.Parallel()
	svc := triage.New(nil, nil)
	ctx := context.Background()
	field := func(err error) string {
		t.Helper()
		var ae *apperr.Error
		require.True(t, errors.As(err, &ae), "%v", err)
		require.Equal(t, apperr.KindUnprocessable, ae.Kind)
		require.Equal(t, "validation_failed", ae.Code)
		for f := range ae.Fields {
			return f
		}
		return ""
	}
	for _, body := range []string{"", " \t\n", strings.Repeat("a", triage.MaxCommentChars+1)} {
		_, err := svc.Comment(ctx, 1, uuid.New(), body, 1)
		require.Equal(t, "body", field(err))
	}
	many := make([]uuid.UUID, triage.MaxBulkIssues+1)
	for i := range many {
		many[i] = uuid.New()
	}
	one := []uuid.UUID{uuid.New()}
	for _, c := range []struct {
		ids    []uuid.UUID
		action string
		field  string
	}{
		{nil, triage.BulkResolve, "ids"},
		{many, triage.BulkResolve, "ids"},
		{one, "fix", "action"},
		{one, triage.BulkAssign, "userId"},
	} {
		_, err := svc.Bulk(ctx, 1, c.ids, c.action, nil, store.Snooze{}, 1)
		require.Equal(t, c.field, field(err))
	}
}
