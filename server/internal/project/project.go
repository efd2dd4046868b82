// Package project is Logister's projects and teams: creating, changing, archiving, restoring and
// deleting projects; their members (owner, admins, viewers) and invitations; their ingest keys; who
// may see and do what in a project (Access); and the authentication of ingest keys.
package project

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// Kinds are the integration kinds a project may have.
var Kinds = []string{"ruby", "cfml", "javascript", "python", "dotnet", "cloudflare_pages", "android", "ios", "http_api"}

// Field limits.
const (
	// MaxNameLength is the longest project or key name, in characters.
	MaxNameLength = 200
	// MaxDescriptionLength is the longest description, in characters.
	MaxDescriptionLength = 2000
)

// Options configure a Service.
type Options struct {
	// KeyPrefix starts every new key's plaintext (LOGISTER_API_KEY_PREFIX; default "logister").
	KeyPrefix string
	// Accounts looks users up and keeps invitations; the member operations need it.
	Accounts *account.Service
	// Logger receives what deletions did (default: discard).
	Logger *slog.Logger
	// DeletionGrace is how long a deletion waits, after revoking the project's keys, before it
	// removes the last rows and the project: longer than the ingest key cache (Authenticator's
	// CacheTTL), so that no request authenticated before the revocation writes afterwards. Default
	// 3 s; negative: no wait (tests).
	DeletionGrace time.Duration
	// PurgeChunk is how many rows a deletion removes per statement (default 5000).
	PurgeChunk int
}

// Service runs projects, their members and keys. Its methods are safe for concurrent use.
type Service struct {
	db   bun.IDB
	opts Options
}

// New returns a Service on db.
func New(db bun.IDB, opts Options) *Service {
	if opts.KeyPrefix == "" {
		opts.KeyPrefix = "logister"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.DeletionGrace == 0 {
		opts.DeletionGrace = 3 * time.Second
	}
	if opts.PurgeChunk <= 0 {
		opts.PurgeChunk = 5000
	}
	return &Service{db: db, opts: opts}
}

// NewService returns a Service without accounts (projects and keys only). keyPrefix is
// LOGISTER_API_KEY_PREFIX ("logister" by default).
func NewService(db bun.IDB, keyPrefix string) *Service {
	return New(db, Options{KeyPrefix: keyPrefix})
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// validSlug is the slug rule of migration 0002.
var validSlug = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Slugify turns a project name into a URL-safe slug ("Mein Café!" → "mein-cafe").
func Slugify(name string) string {
	// Decompose accented letters and drop the accents, so "é" becomes "e" rather than a separator.
	plain := strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(name))
	s := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(plain), "-"), "-")
	if len(s) > 50 {
		s = strings.TrimRight(s[:50], "-")
	}
	if s == "" {
		s = "project"
	}
	return s
}

// NewProject is what CreateProject needs.
type NewProject struct {
	Name string
	// Slug, when set, is the slug wanted; otherwise it comes from the name, with "-2", "-3"...
	// added while the owner has a project with it.
	Slug        string
	Description string
	// Kind is the integration kind (default "http_api").
	Kind string
	// OwnerID is the owner's user id; nil only for projects created by the CLI without an owner.
	OwnerID *int64
}

// checkFields validates the settings of a new or changed project; nil pointers are not checked.
func checkFields(name, slug, description, kind *string) error {
	var problems []apperr.FieldError
	if name != nil {
		*name = strings.TrimSpace(*name)
		if n := utf8.RuneCountInString(*name); n == 0 || n > MaxNameLength {
			problems = append(problems, apperr.FieldError{Field: "name", Message: "must be 1 to 200 characters"})
		}
	}
	if slug != nil && !validSlug.MatchString(*slug) {
		problems = append(problems, apperr.FieldError{Field: "slug",
			Message: "must be 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit"})
	}
	if description != nil {
		*description = strings.TrimSpace(*description)
		if utf8.RuneCountInString(*description) > MaxDescriptionLength {
			problems = append(problems, apperr.FieldError{Field: "description", Message: "must be at most 2000 characters"})
		}
	}
	if kind != nil && !slices.Contains(Kinds, *kind) {
		problems = append(problems, apperr.FieldError{Field: "integrationKind",
			Message: "must be one of " + strings.Join(Kinds, ", ")})
	}
	if len(problems) > 0 {
		return apperr.InvalidFields(problems...)
	}
	return nil
}

// errSlugTaken answers a slug the owner uses for another project.
func errSlugTaken(slug string) error {
	return apperr.Conflict("slug_taken", "You already have a project with the slug %q; choose another.", slug)
}

// Create makes a project without an owner (the CLI); see CreateProject.
func (s *Service) Create(ctx context.Context, name, kind string) (*store.Project, error) {
	return s.CreateProject(ctx, NewProject{Name: name, Kind: kind})
}

// CreateProject makes a project.
//
// Errors: apperr Unprocessable for a bad name, slug, description or kind; Conflict "slug_taken" when
// a slug was asked for and the owner has a project with it.
func (s *Service) CreateProject(ctx context.Context, in NewProject) (*store.Project, error) {
	if in.Kind == "" {
		in.Kind = "http_api"
	}
	var slug *string
	if in.Slug != "" {
		slug = &in.Slug
	}
	if err := checkFields(&in.Name, slug, &in.Description, &in.Kind); err != nil {
		return nil, err
	}
	base := Slugify(in.Name)
	for n := 1; ; n++ {
		p := &store.Project{Name: in.Name, Slug: in.Slug, Description: in.Description, IntegrationKind: in.Kind, OwnerID: in.OwnerID}
		if p.Slug == "" {
			p.Slug = base
			if n > 1 {
				suffix := fmt.Sprintf("-%d", n)
				p.Slug = strings.TrimRight(base[:min(len(base), 63-len(suffix))], "-") + suffix
			}
		}
		err := store.InsertProject(ctx, s.db, p)
		if errors.Is(err, store.ErrSlugTaken) {
			if in.Slug != "" {
				return nil, errSlugTaken(in.Slug)
			}
			continue
		}
		return p, err
	}
}

// Find returns the project named by ref, its UUID or its slug (the CLI).
//
// Errors: apperr NotFound when none matches; Conflict "ambiguous_slug" when several owners have a
// project with the slug.
func (s *Service) Find(ctx context.Context, ref string) (*store.Project, error) {
	p, err := store.FindProject(ctx, s.db, ref)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, apperr.NotFound("No project %q.", ref)
	case errors.Is(err, store.ErrAmbiguousSlug):
		return nil, apperr.Conflict("ambiguous_slug", "Several projects have the slug %q: name the project by its id (a UUID).", ref)
	}
	return p, err
}

// CreateKey makes an ingest key for the project named by ref (UUID or slug; the CLI) and returns
// its plaintext, which is shown once and never stored.
//
// Errors: as Find; Unprocessable for a bad name; Conflict "project_archived".
func (s *Service) CreateKey(ctx context.Context, ref, name string) (string, *store.APIKey, error) {
	p, err := s.Find(ctx, ref)
	if err != nil {
		return "", nil, err
	}
	if strings.TrimSpace(name) == "" {
		name = "Default"
	}
	return s.createKey(ctx, p.ID, name)
}

// createKey makes a key for a project that is not archived. The project row is locked meanwhile,
// so that a concurrent archive (which revokes every key) cannot miss the new key.
func (s *Service) createKey(ctx context.Context, projectID int64, name string) (string, *store.APIKey, error) {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n == 0 || n > MaxNameLength {
		return "", nil, apperr.InvalidFields(apperr.FieldError{Field: "name", Message: "must be 1 to 200 characters"})
	}
	raw := make([]byte, 24)
	_, _ = rand.Read(raw)
	plaintext := s.opts.KeyPrefix + "_" + hex.EncodeToString(raw)
	k := &store.APIKey{
		ProjectID:   projectID,
		Name:        name,
		TokenDigest: Digest(plaintext),
		TokenHint:   plaintext[:len(s.opts.KeyPrefix)+5],
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := store.LockProject(ctx, tx, projectID)
		if err != nil {
			return err
		}
		if p.ArchivedAt != nil {
			return errArchived()
		}
		return store.InsertAPIKey(ctx, tx, k)
	})
	if err != nil {
		return "", nil, err
	}
	return plaintext, k, nil
}

func errArchived() error {
	return apperr.Conflict("project_archived", "Project is archived: restore it first.")
}

// Digest is the SHA-256 hex digest under which a key's plaintext is stored.
func Digest(plaintext string) string {
	sum := sha256.Sum256([]byte(plaintext))
	return hex.EncodeToString(sum[:])
}
