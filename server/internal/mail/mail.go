// Package mail is Logister's outgoing e-mail: an outbox table that every message is written to, in
// the same transaction as the change that causes it, so a message is never lost nor sent for a
// change that was rolled back.
//
// Until SMTP delivery exists, messages stay in the outbox with status "stored": instance
// administrators read them through the admin API, and each one is written to the log, so every
// account flow (confirmation, password reset, invitation) works on a zero-config instance. SMTP
// delivery will be a background worker that sends stored messages and marks them sent.
package mail

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
)

// Message is one plain-text e-mail.
type Message struct {
	// Kind names the template, such as "confirm_email"; it is stored for administrators.
	Kind    string
	To      string
	Subject string
	Text    string
}

// Stored is a message in the outbox.
type Stored struct {
	bun.BaseModel `bun:"table:mail_messages"`

	ID        int64      `bun:"id,pk,autoincrement"`
	UUID      uuid.UUID  `bun:"uuid,nullzero"`
	Kind      string     `bun:"kind"`
	To        string     `bun:"to_address"`
	Subject   string     `bun:"subject"`
	Text      string     `bun:"body_text"`
	Status    string     `bun:"status,nullzero"`
	CreatedAt time.Time  `bun:"created_at,nullzero"`
	SentAt    *time.Time `bun:"sent_at"`
}

// Outbox stores messages and logs them.
type Outbox struct {
	db     bun.IDB
	logger *slog.Logger
}

// NewOutbox returns the outbox on db; it writes each stored message to logger too.
func NewOutbox(db bun.IDB, logger *slog.Logger) *Outbox {
	return &Outbox{db: db, logger: logger}
}

// Send stores m in the outbox through db, which should be the transaction of the change that
// causes the message.
func (o *Outbox) Send(ctx context.Context, db bun.IDB, m Message) error {
	row := &Stored{Kind: m.Kind, To: m.To, Subject: m.Subject, Text: m.Text}
	if _, err := db.NewInsert().Model(row).Returning("*").Exec(ctx); err != nil {
		return fmt.Errorf("mail: store message: %w", err)
	}
	// No SMTP yet: the log is how an operator of a zero-config instance reads the message.
	o.logger.InfoContext(ctx, "e-mail stored in the outbox (no SMTP configured)",
		"mail_id", row.UUID.String(), "kind", m.Kind, "to", m.To, "subject", m.Subject, "body", m.Text)
	return nil
}

// Page is one page of the outbox, newest first.
type Page struct {
	Messages []Stored
	// NextCursor continues the listing; "" on the last page.
	NextCursor string
}

// List returns up to limit messages older than cursor ("" for the newest), newest first.
//
// Errors: apperr Invalid for a malformed cursor.
func (o *Outbox) List(ctx context.Context, cursor string, limit int) (*Page, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q := o.db.NewSelect().Model((*Stored)(nil)).Order("id DESC").Limit(int64(limit) + 1)
	if cursor != "" {
		before, err := decodeCursor(cursor)
		if err != nil {
			return nil, err
		}
		q = q.Where("id < ?", before)
	}
	var rows []Stored
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("mail: list: %w", err)
	}
	page := &Page{Messages: rows}
	if len(rows) > limit {
		page.Messages = rows[:limit]
		page.NextCursor = encodeCursor(rows[limit-1].ID)
	}
	return page, nil
}

// encodeCursor makes an opaque keyset cursor from a row id.
func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10)))
}

// decodeCursor reads a cursor made by encodeCursor.
//
// Errors: apperr Invalid when it is not one.
func decodeCursor(cursor string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil {
		if id, err := strconv.ParseInt(string(b), 10, 64); err == nil && id > 0 {
			return id, nil
		}
	}
	return 0, apperr.Invalid("invalid_cursor", "The cursor is not valid; start again without it.")
}
