// Package deploy serves the read side of a project's deployments (reference 6.7, 6.3, 8.8): the
// deployments page, each deployment with its links on the GitHub web host (commit, comparison
// with the deployment before it, pull request, release), and an issue's deployment context (the
// deployment it started after). Ingestion writes deployments (intake, store.UpsertDeployment).
// Callers have checked the caller's access to the project; everything here is confined to it.
package deploy

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// Service reads deployments. Its methods are safe for concurrent use.
type Service struct {
	db     bun.IDB
	webURL string
}

// New returns a Service reading db, whose links point to the GitHub web host webURL
// (LOGISTER_GITHUB_WEB_URL; "" is DefaultWebURL; a trailing slash is dropped).
func New(db bun.IDB, webURL string) *Service {
	webURL = strings.TrimRight(webURL, "/")
	if webURL == "" {
		webURL = DefaultWebURL
	}
	return &Service{db: db, webURL: webURL}
}

// Deployment is a deployment with the commit of the one before it (same repository and
// environment; "" for the first) and its links.
type Deployment struct {
	store.Deployment
	PreviousCommitSHA string
	Links             Links
}

func (s *Service) deployment(d *store.Deployment, previousSHA string) *Deployment {
	return &Deployment{Deployment: *d, PreviousCommitSHA: previousSHA, Links: BuildLinks(s.webURL, d, previousSHA)}
}

// ListQuery is what the deployments page asks for.
type ListQuery struct {
	store.DeploymentQuery
	Cursor string
	Limit  int // 1..100; 0 is 50
}

// Page is one page of deployments, newest first.
type Page struct {
	Deployments []Deployment
	// Total counts every deployment that matches the query.
	Total int64
	// NextCursor fetches the next page; "" on the last page.
	NextCursor string
}

// List returns a page of the project's deployments that match q.
//
// Errors: apperr Invalid "invalid_cursor" for a cursor that is malformed or was made for other
// filters or another project.
func (s *Service) List(ctx context.Context, projectID int64, q ListQuery) (*Page, error) {
	p, err := store.ListDeployments(ctx, s.db, projectID, q.DeploymentQuery, q.Cursor, q.Limit)
	if errors.Is(err, store.ErrInvalidCursor) {
		return nil, apperr.Invalid("invalid_cursor", "This cursor does not belong to these filters; start again from the first page.")
	}
	if err != nil {
		return nil, err
	}
	out := &Page{Deployments: make([]Deployment, 0, len(p.Deployments)), Total: p.Total, NextCursor: p.NextCursor}
	for i := range p.Deployments {
		r := &p.Deployments[i]
		out.Deployments = append(out.Deployments, *s.deployment(&r.Deployment, r.PreviousCommitSHA))
	}
	return out, nil
}

// Match says how an issue's deployment was found.
type Match string

// The ways a deployment context is found.
const (
	// MatchRelease: the deployment of the release of the issue's latest occurrence.
	MatchRelease Match = "release"
	// MatchBeforeFirstSeen: the newest deployment at or before the issue was first seen.
	MatchBeforeFirstSeen Match = "before_first_seen"
	// MatchNone: no deployment fits.
	MatchNone Match = "none"
)

// Context is the deployment an issue started after (reference 6.3, "Deployment context").
type Context struct {
	Match Match
	// Deployment is nil when Match is MatchNone; Previous is the deployment before it (same
	// repository and environment), nil when there is none.
	Deployment *Deployment
	Previous   *Deployment
	// MinutesAfterDeploy is the whole minutes from the deployment to the issue's first
	// occurrence, when that came at or after the deployment; nil otherwise.
	MinutesAfterDeploy *int64
}

// Context returns the deployment context of the project's issue (error group) with the uuid.
//
// Errors: apperr NotFound when the project has no such issue.
func (s *Service) Context(ctx context.Context, projectID int64, issueID uuid.UUID) (*Context, error) {
	is, err := store.IssueByUUID(ctx, s.db, projectID, issueID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.NotFound("No such issue.")
	}
	if err != nil {
		return nil, err
	}
	return s.ContextOf(ctx, projectID, is)
}

// ContextOf returns the deployment context of the project's issue, already loaded: the newest
// deployment of the release of its latest occurrence, in that occurrence's environment when one
// there exists (MatchRelease); else the newest deployment at or before the issue was first seen,
// in that environment when one there exists (MatchBeforeFirstSeen); else MatchNone.
func (s *Service) ContextOf(ctx context.Context, projectID int64, is *store.Issue) (*Context, error) {
	release, environment, firstSeen := is.LastSeenRelease, is.Environment, is.FirstSeenAt
	out := &Context{Match: MatchNone}
	var d *store.Deployment
	var err error
	if release != "" {
		if d, err = store.DeploymentOfRelease(ctx, s.db, projectID, release, environment); err != nil {
			return nil, err
		}
		if d != nil {
			out.Match = MatchRelease
		}
	}
	if d == nil {
		if d, err = store.LatestDeploymentAt(ctx, s.db, projectID, firstSeen, environment); err != nil {
			return nil, err
		}
		if d == nil {
			return out, nil
		}
		out.Match = MatchBeforeFirstSeen
	}
	prev, err := store.PreviousDeployment(ctx, s.db, d)
	if err != nil {
		return nil, err
	}
	if prev != nil {
		out.Deployment = s.deployment(d, prev.CommitSHA)
		beforePrev, err := store.PreviousDeployment(ctx, s.db, prev)
		if err != nil {
			return nil, err
		}
		prevSHA := ""
		if beforePrev != nil {
			prevSHA = beforePrev.CommitSHA
		}
		out.Previous = s.deployment(prev, prevSHA)
	} else {
		out.Deployment = s.deployment(d, "")
	}
	if !firstSeen.Before(d.DeployedAt) {
		m := int64(firstSeen.Sub(d.DeployedAt) / time.Minute)
		out.MinutesAfterDeploy = &m
	}
	return out, nil
}
