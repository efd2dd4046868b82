// Package intake accepts what the public ingestion API receives: it decodes a request body (package
// ingest), derives error fingerprints (package grouping), and stores the events through group
// commit, returning once they are durable.
package intake

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/grouping"
	"github.com/logister/logister/server/internal/ingest"
	"github.com/logister/logister/server/internal/store"
)

// Writer stores records durably; *groupcommit.Committer is the one used in production.
type Writer interface {
	Write(ctx context.Context, records []*store.Record) ([]store.WriteResult, error)
}

// Ledger tells what client uuids were accepted as; *store.Store is the one used in production.
type Ledger interface {
	AcceptedRecords(ctx context.Context, projectID int64, ids []uuid.UUID) (map[uuid.UUID]store.Accepted, error)
}

// Service accepts events.
type Service struct {
	w      Writer
	ledger Ledger
	db     bun.IDB // for deployments, which are few and do not go through group commit
	now    func() time.Time
	// DefaultEnvironment is the environment of events that name none.
	DefaultEnvironment string
	// GitHubWebURL is the base of the pull-request and release URLs inferred into deployments'
	// metadata (LOGISTER_GITHUB_WEB_URL); "" is https://github.com.
	GitHubWebURL string
}

// NewService returns a Service writing events through w and deployments to st.
func NewService(w Writer, st *store.Store) *Service {
	return &Service{w: w, ledger: st, db: st.DB, now: time.Now, DefaultEnvironment: "production"}
}

// Key identifies the credential a request was authenticated with.
type Key struct {
	ProjectID, APIKeyID int64
}

// Accepted is the outcome of one stored (or repeated) event.
type Accepted struct {
	ID        uuid.UUID
	Duplicate bool
	Span      bool
	// NewGroup is true when an error event created its error group.
	NewGroup bool
}

// errUUIDReused is the reference server's answer to a uuid reused for another kind of event.
func errUUIDReused() error {
	return apperr.Unprocessable(store.ErrUUIDReused.Error())
}

// Event accepts the body of POST /api/v1/ingest_events.
//
// Errors: the decoder's apperr errors (400, 413, 422), and 422 for a uuid already used by another
// kind of event.
func (s *Service) Event(ctx context.Context, key Key, body []byte) (*Accepted, error) {
	now := s.now()
	ev, err := ingest.DecodeEvent(body, s.options(now))
	if err != nil {
		return nil, err
	}
	return s.one(ctx, s.record(key, ev, now))
}

// CheckIn accepts the body of POST /api/v1/check_ins.
func (s *Service) CheckIn(ctx context.Context, key Key, body []byte) (*Accepted, error) {
	now := s.now()
	ev, err := ingest.DecodeCheckIn(body, s.options(now))
	if err != nil {
		return nil, err
	}
	return s.one(ctx, s.record(key, ev, now))
}

// Deployment accepts the body of POST /api/v1/deployments.
func (s *Service) Deployment(ctx context.Context, key Key, body []byte) (*Accepted, error) {
	d, err := ingest.DecodeDeployment(body, s.options(s.now()))
	if err != nil {
		return nil, err
	}
	rec := &store.Deployment{
		ProjectID: key.ProjectID, RepositoryFullName: d.Repository, Environment: d.Environment,
		Release: d.Release, CommitSHA: d.CommitSHA, DeployedAt: d.DeployedAt,
		PullRequestNumber: d.PullRequestNumber, Source: "api", Metadata: d.Metadata,
	}
	if d.Branch != "" {
		rec.Branch = &d.Branch
	}
	if err := store.UpsertDeployment(ctx, s.db, rec); err != nil {
		return nil, err
	}
	return &Accepted{ID: rec.UUID}, nil
}

func (s *Service) one(ctx context.Context, rec *store.Record) (*Accepted, error) {
	res, err := s.w.Write(ctx, []*store.Record{rec})
	if err != nil {
		return nil, err
	}
	if res[0].ErrUUIDReused {
		return nil, errUUIDReused()
	}
	return accepted(rec, res[0]), nil
}

func accepted(rec *store.Record, r store.WriteResult) *Accepted {
	return &Accepted{ID: r.ID, Duplicate: r.Duplicate, Span: rec.Signal == store.SignalSpan, NewGroup: r.NewGroup}
}

// BatchOutcome is the result of a whole batch: every entry accepted, or (Rejected) none stored.
type BatchOutcome struct {
	Rejected bool
	Entries  []BatchEntry
}

// BatchEntry is one envelope's outcome.
type BatchEntry struct {
	Accepted *Accepted // nil when the entry was rejected or rolled back
	Span     bool
	// Errors say why the entry was rejected; RolledBack marks a valid entry of a rejected batch.
	Errors     []string
	RolledBack bool
}

// Batch accepts the body of POST /api/v1/ingest_events/batch: all envelopes or none. Once the body
// is decoded, before anything is looked up or stored, charge is told how many envelopes it has (a
// batch counts them against its key's rate limit); an error from charge is returned as is. A body
// the decoder refuses whole is not charged.
func (s *Service) Batch(ctx context.Context, key Key, body []byte, contentType, contentEncoding string, charge func(envelopes int) error) (*BatchOutcome, error) {
	now := s.now()
	events, err := ingest.DecodeBatch(body, contentType, contentEncoding, s.options(now))
	var be *ingest.BatchError
	switch {
	case errors.As(err, &be):
		err = charge(len(be.Results))
	case err == nil:
		err = charge(len(events))
	}
	if err != nil {
		return nil, err
	}
	if be != nil {
		entries := make([]entry, len(be.Results))
		for i, r := range be.Results {
			entries[i] = entry{span: r.Type == "span", errors: r.Errors}
			if r.Event != nil {
				entries[i].signal = string(r.Event.Type)
				entries[i].uuid, _ = uuid.Parse(r.Event.UUID) // the decoder validated it
			}
		}
		return s.reject(ctx, key, entries)
	}
	records := make([]*store.Record, len(events))
	entries := make([]entry, len(events))
	ids := make([]uuid.UUID, len(events))
	for i, ev := range events {
		records[i] = s.record(key, ev, now)
		ids[i] = records[i].ClientUUID
		entries[i] = entry{signal: records[i].Signal, span: records[i].Signal == store.SignalSpan, uuid: ids[i]}
	}
	// A uuid already used for another kind of event rejects the whole batch before anything is
	// written. (Should one be taken concurrently after this check, the write reports that entry.)
	taken, err := s.ledger.AcceptedRecords(ctx, key.ProjectID, ids)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if a, ok := taken[e.uuid]; ok && a.Signal != e.signal {
			return rejected(entries, taken), nil
		}
	}
	res, err := s.w.Write(ctx, records)
	if err != nil {
		return nil, err
	}
	out := &BatchOutcome{Entries: make([]BatchEntry, len(records))}
	for i, r := range res {
		out.Entries[i] = BatchEntry{Accepted: accepted(records[i], r), Span: entries[i].span}
		if r.ErrUUIDReused {
			out.Rejected = true
			out.Entries[i] = BatchEntry{Errors: []string{store.ErrUUIDReused.Error()}, Span: entries[i].span}
		}
	}
	// A uuid taken for another signal between the pre-check and the write is found only by the
	// write, which committed the other entries: they are reported accepted (a retry of them is a
	// harmless duplicate) and only that entry rejected.
	return out, nil
}

// entry is one envelope of a batch as far as a rejection needs it.
type entry struct {
	signal string // empty for an invalid envelope
	span   bool
	uuid   uuid.UUID
	errors []string // validation errors; nil when the envelope is valid
}

// reject reports a batch that stores nothing, looking up which of its valid envelopes repeat
// stored events.
func (s *Service) reject(ctx context.Context, key Key, entries []entry) (*BatchOutcome, error) {
	var ids []uuid.UUID
	for _, e := range entries {
		if e.errors == nil && e.uuid != uuid.Nil {
			ids = append(ids, e.uuid)
		}
	}
	taken := map[uuid.UUID]store.Accepted{}
	if len(ids) > 0 {
		var err error
		if taken, err = s.ledger.AcceptedRecords(ctx, key.ProjectID, ids); err != nil {
			return nil, err
		}
	}
	return rejected(entries, taken), nil
}

// rejected is the outcome of a batch that stores nothing (reference 1.8): invalid envelopes and
// uuids used before for another kind of event are "rejected", repeats of stored events stay
// "accepted" as duplicates, and the other valid envelopes are "rolled_back".
func rejected(entries []entry, taken map[uuid.UUID]store.Accepted) *BatchOutcome {
	out := &BatchOutcome{Rejected: true, Entries: make([]BatchEntry, len(entries))}
	for i, e := range entries {
		a, repeat := taken[e.uuid]
		switch {
		case e.errors != nil:
			out.Entries[i] = BatchEntry{Span: e.span, Errors: e.errors}
		case repeat && a.Signal != e.signal:
			out.Entries[i] = BatchEntry{Span: e.span, Errors: []string{store.ErrUUIDReused.Error()}}
		case repeat:
			out.Entries[i] = BatchEntry{Span: e.span, Accepted: &Accepted{ID: a.RecordID, Duplicate: true, Span: e.span}}
		default:
			out.Entries[i] = BatchEntry{Span: e.span, RolledBack: true,
				Errors: []string{"Batch was rolled back because another envelope was invalid"}}
		}
	}
	return out
}

func (s *Service) options(now time.Time) ingest.Options {
	return ingest.Options{Now: now, DefaultEnvironment: s.DefaultEnvironment, GitHubWebURL: s.GitHubWebURL}
}

// record turns a decoded event into a storage record, computing the grouping of errors.
func (s *Service) record(key Key, ev *ingest.Event, received time.Time) *store.Record {
	rec := &store.Record{
		ProjectID: key.ProjectID, APIKeyID: key.APIKeyID, Signal: string(ev.Type),
		Level: ev.Level, Message: ev.Message, Fingerprint: ev.Fingerprint,
		OccurredAt: ev.OccurredAt, ReceivedAt: received, TimePrecision: ev.TimePrecision,
		Environment: ev.Environment, Release: ev.Release, Context: ev.Context,
	}
	if ev.UUID != "" {
		rec.ClientUUID, _ = uuid.Parse(ev.UUID) // the decoder validated it
	}
	switch {
	case ev.Type == ingest.EventType(store.SignalError):
		g := grouping.Compute(ev.Fingerprint, ev.Message, ev.Context)
		rec.Group = &store.GroupInput{Fingerprint: g.Fingerprint, Version: g.Version,
			Title: title(ev.Message), Subtitle: g.ExceptionType}
	case ev.Span != nil:
		sp := ev.Span
		rec.Span = &store.SpanInput{TraceID: sp.TraceID, SpanID: sp.SpanID, ParentSpanID: sp.ParentSpanID,
			Name: sp.Name, Kind: sp.Kind, Status: sp.Status, DurationMS: sp.DurationMS,
			StartedAt: sp.StartedAt, EndedAt: sp.EndedAt}
	case ev.CheckIn != nil:
		rec.CheckIn = &store.CheckInInput{Slug: ev.CheckIn.Slug, Status: ev.CheckIn.Status,
			ExpectedIntervalSeconds: ev.CheckIn.ExpectedIntervalSeconds}
	}
	return rec
}

// title is an error group's title: the first line of the message, at most 500 bytes.
func title(message string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(message), "\n")
	line = strings.TrimSpace(line)
	if len(line) > 500 {
		line = strings.ToValidUTF8(line[:500], "")
	}
	if line == "" {
		return "Untitled error"
	}
	return line
}
