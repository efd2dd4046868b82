// Package project creates projects and their ingest keys, and authenticates ingest keys.
package project

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// Kinds are the integration kinds a project may have.
var Kinds = []string{"ruby", "cfml", "javascript", "python", "dotnet", "cloudflare_pages", "android", "ios", "http_api"}

// Service creates projects and keys.
type Service struct {
	db bun.IDB
	// keyPrefix starts every new key's plaintext (LOGISTER_API_KEY_PREFIX).
	keyPrefix string
}

// NewService returns a Service. keyPrefix is LOGISTER_API_KEY_PREFIX ("logister" by default).
func NewService(db bun.IDB, keyPrefix string) *Service {
	return &Service{db: db, keyPrefix: keyPrefix}
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

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

// Create makes a project. Its slug comes from the name, with "-2", "-3"... added when taken.
//
// Errors: apperr Invalid for a blank or too long name or an unknown kind.
func (s *Service) Create(ctx context.Context, name, kind string) (*store.Project, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return nil, apperr.Invalid("invalid_name", "A project name must be 1 to 200 characters.")
	}
	if kind == "" {
		kind = "http_api"
	}
	if !slices.Contains(Kinds, kind) {
		return nil, apperr.Invalid("invalid_kind", "The integration kind must be one of %s.", strings.Join(Kinds, ", "))
	}
	base := Slugify(name)
	for n := 1; ; n++ {
		slug := base
		if n > 1 {
			slug = fmt.Sprintf("%s-%d", base, n)
		}
		p := &store.Project{Name: name, Slug: slug, IntegrationKind: kind}
		err := store.InsertProject(ctx, s.db, p)
		if errors.Is(err, store.ErrSlugTaken) {
			continue
		}
		return p, err
	}
}

// CreateKey makes an ingest key for the project named by ref (slug, UUID or id) and returns its
// plaintext, which is shown once and never stored.
//
// Errors: apperr NotFound when no project matches ref; Invalid for a bad name.
func (s *Service) CreateKey(ctx context.Context, ref, name string) (string, *store.APIKey, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "Default"
	}
	if len(name) > 200 {
		return "", nil, apperr.Invalid("invalid_name", "A key name must be at most 200 characters.")
	}
	p, err := store.FindProject(ctx, s.db, ref)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, apperr.NotFound("No project %q.", ref)
	}
	if err != nil {
		return "", nil, err
	}
	raw := make([]byte, 24)
	_, _ = rand.Read(raw)
	plaintext := s.keyPrefix + "_" + hex.EncodeToString(raw)
	k := &store.APIKey{
		ProjectID:   p.ID,
		Name:        name,
		TokenDigest: Digest(plaintext),
		TokenHint:   plaintext[:len(s.keyPrefix)+5],
	}
	if err := store.InsertAPIKey(ctx, s.db, k); err != nil {
		return "", nil, err
	}
	return plaintext, k, nil
}

// Digest is the SHA-256 hex digest under which a key's plaintext is stored.
func Digest(plaintext string) string {
	sum := sha256.Sum256([]byte(plaintext))
	return hex.EncodeToString(sum[:])
}
