package mail_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/mail"
	"github.com/logister/logister/server/internal/testdb"
)

func TestOutboxStoresLogsAndLists(t *testing.T) {
	t.Parallel()
	st := testdb.New(t)
	var logs bytes.Buffer
	outbox := mail.NewOutbox(st.DB, slog.New(slog.NewJSONHandler(&logs, nil)))
	ctx := context.Background()

	for i := range 5 {
		require.NoError(t, outbox.Send(ctx, st.DB, mail.Message{
			Kind: "test", To: fmt.Sprintf("u%d@example.com", i), Subject: fmt.Sprintf("Subject %d", i), Text: "Body with https://x/confirm/abc",
		}))
	}
	require.Contains(t, logs.String(), `"to":"u4@example.com"`)
	require.Contains(t, logs.String(), "https://x/confirm/abc", "without SMTP the log is how an operator reads links")

	var got []string
	cursor := ""
	for {
		page, err := outbox.List(ctx, cursor, 2)
		require.NoError(t, err)
		for _, m := range page.Messages {
			require.Equal(t, "stored", m.Status)
			got = append(got, m.To)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	require.Equal(t, []string{"u4@example.com", "u3@example.com", "u2@example.com", "u1@example.com", "u0@example.com"}, got)

	_, err := outbox.List(ctx, "%%%", 2)
	var ae *apperr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "invalid_cursor", ae.Code)
}

func TestOutboxRollsBackWithItsTransaction(t *testing.T) {
	t.Parallel()
	st := testdb.New(t)
	outbox := mail.NewOutbox(st.DB, slog.New(slog.DiscardHandler))
	ctx := context.Background()
	err := st.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		require.NoError(t, outbox.Send(ctx, tx, mail.Message{Kind: "test", To: "a@example.com", Subject: "s", Text: "t"}))
		return fmt.Errorf("the change failed")
	})
	require.Error(t, err)
	page, err := outbox.List(ctx, "", 10)
	require.NoError(t, err)
	require.Empty(t, page.Messages, "no message for a change that was rolled back")
}
