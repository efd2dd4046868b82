package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/search"
)

// The read side of deployments (reference 6.7, 6.3): the deployments page and an issue's
// deployment context. Ingestion writes them (deployment.go).

// Page sizes of ListDeployments.
const (
	DefaultDeploymentLimit = 50
	MaxDeploymentLimit     = 100
)

// DeploymentQuery filters a project's deployments. Empty fields match everything.
type DeploymentQuery struct {
	Repository  string // owner/name, exactly
	Environment string // exactly
	Source      string // api, telemetry or manual
	// Q is a case-insensitive substring of the release, commit, branch or repository.
	Q string
}

// DeploymentRow is a deployment with the commit of the one before it (same repository and
// environment, earlier in deployed_at then id order); PreviousCommitSHA is "" for the first.
type DeploymentRow struct {
	Deployment
	PreviousCommitSHA string `bun:"previous_commit_sha"`
}

// DeploymentPage is one page of ListDeployments.
type DeploymentPage struct {
	Deployments []DeploymentRow
	// Total counts every deployment that matches the query.
	Total int64
	// NextCursor fetches the next page; "" on the last page.
	NextCursor string
}

// deploymentCursorOrder is the order deployment cursors are made for. The inbox's cursor
// encoding is shared; this order is none of the inbox's, so their cursors never pass for each other.
const deploymentCursorOrder search.Sort = "deployed_at"

// deploymentColumns are the columns of Deployment for a table aliased d.
const deploymentColumns = `d.id, d.uuid, d.project_id, d.repository_full_name, d.environment, d.release, d.commit_sha,
	d.branch, d.deployed_at, d.pull_request_number, d.source, d.metadata, d.created_at, d.updated_at`

// previousDeploymentJoin joins, as prev, the deployment before d of the same repository and
// environment: one probe of deployments_previous_idx per row.
const previousDeploymentJoin = `LEFT JOIN LATERAL (
		SELECT p.commit_sha FROM deployments p
		WHERE p.project_id = d.project_id AND p.repository_full_name = d.repository_full_name
		  AND p.environment = d.environment AND (p.deployed_at, p.id) < (d.deployed_at, d.id)
		ORDER BY p.deployed_at DESC, p.id DESC
		LIMIT 1) prev ON true`

// ListDeployments returns a page of the project's deployments that match q, newest first
// (deployed_at, then id, descending), after the position cursor names ("" for the first page),
// with the total that match. limit is clamped to 1..MaxDeploymentLimit; 0 means
// DefaultDeploymentLimit. A cursor is bound to the project and the query (ErrInvalidCursor).
func ListDeployments(ctx context.Context, db bun.IDB, projectID int64, q DeploymentQuery, cursor string, limit int) (*DeploymentPage, error) {
	switch {
	case limit <= 0:
		limit = DefaultDeploymentLimit
	case limit > MaxDeploymentLimit:
		limit = MaxDeploymentLimit
	}
	q.Q = strings.TrimSpace(q.Q)
	digest := deploymentDigest(projectID, q)
	conds := []string{"d.project_id = ?"}
	args := []any{projectID}
	for _, f := range []struct{ col, v string }{
		{"d.repository_full_name", q.Repository}, {"d.environment", q.Environment}, {"d.source", q.Source},
	} {
		if f.v != "" {
			conds = append(conds, f.col+" = ?")
			args = append(args, f.v)
		}
	}
	if q.Q != "" {
		pattern := "%" + escapeLike(q.Q) + "%"
		conds = append(conds, "(d.release ILIKE ? OR d.commit_sha ILIKE ? OR d.branch ILIKE ? OR d.repository_full_name ILIKE ?)")
		args = append(args, pattern, pattern, pattern, pattern)
	}
	where := strings.Join(conds, " AND ")

	page := &DeploymentPage{}
	if err := db.NewRaw(`SELECT count(*) FROM deployments d WHERE `+where, args...).Scan(ctx, &page.Total); err != nil {
		return nil, fmt.Errorf("store: count deployments: %w", err)
	}

	pageWhere, pageArgs := where, args
	if cursor != "" {
		k, err := decodeCursor(cursor, deploymentCursorOrder, digest)
		if err != nil {
			return nil, err
		}
		pageWhere += " AND (d.deployed_at, d.id) < (?, ?)"
		pageArgs = append(append([]any{}, args...), time.UnixMicro(k.key).UTC(), k.id)
	}
	pageArgs = append(pageArgs, limit+1)
	err := db.NewRaw(`SELECT `+deploymentColumns+`, coalesce(prev.commit_sha, '') AS previous_commit_sha
		FROM deployments d `+previousDeploymentJoin+`
		WHERE `+pageWhere+`
		ORDER BY d.deployed_at DESC, d.id DESC
		LIMIT ?`, pageArgs...).Scan(ctx, &page.Deployments)
	if err != nil {
		return nil, fmt.Errorf("store: list deployments: %w", err)
	}
	if len(page.Deployments) > limit {
		page.Deployments = page.Deployments[:limit]
		last := &page.Deployments[limit-1]
		page.NextCursor = encodeCursor(deploymentCursorOrder, last.DeployedAt.UnixMicro(), last.ID, digest)
	}
	return page, nil
}

// deploymentDigest identifies the project and the query a deployments cursor belongs to.
func deploymentDigest(projectID int64, q DeploymentQuery) uint64 {
	var b strings.Builder
	b.WriteString("deployments\n")
	b.WriteString(strconv.FormatInt(projectID, 10))
	for _, v := range []string{q.Repository, q.Environment, q.Source, q.Q} {
		b.WriteByte('\n')
		b.WriteString(strconv.Quote(v))
	}
	sum := sha256.Sum256([]byte(b.String()))
	return binary.BigEndian.Uint64(sum[:8])
}

// DeploymentOfRelease returns the project's newest deployment of the release, in the environment
// when one there exists, else in any; nil, nil when the release has none.
func DeploymentOfRelease(ctx context.Context, db bun.IDB, projectID int64, release, environment string) (*Deployment, error) {
	d, err := oneDeployment(ctx, db, `d.project_id = ? AND d.release = ?
		ORDER BY (d.environment = ?) DESC, d.deployed_at DESC, d.id DESC`, projectID, release, environment)
	if err != nil {
		return nil, fmt.Errorf("store: deployment of release: %w", err)
	}
	return d, nil
}

// LatestDeploymentAt returns the project's newest deployment at or before at, in the environment
// when there is one there, else in any; nil, nil when there is none.
func LatestDeploymentAt(ctx context.Context, db bun.IDB, projectID int64, at time.Time, environment string) (*Deployment, error) {
	d, err := oneDeployment(ctx, db, `d.project_id = ? AND d.deployed_at <= ? AND d.environment = ?
		ORDER BY d.deployed_at DESC, d.id DESC`, projectID, at, environment)
	if err == nil && d == nil {
		d, err = oneDeployment(ctx, db, `d.project_id = ? AND d.deployed_at <= ?
			ORDER BY d.deployed_at DESC, d.id DESC`, projectID, at)
	}
	if err != nil {
		return nil, fmt.Errorf("store: latest deployment: %w", err)
	}
	return d, nil
}

// PreviousDeployment returns the deployment before d of the same project, repository and
// environment (deployed_at, then id order); nil, nil when d is the first.
func PreviousDeployment(ctx context.Context, db bun.IDB, d *Deployment) (*Deployment, error) {
	p, err := oneDeployment(ctx, db, `d.project_id = ? AND d.repository_full_name = ? AND d.environment = ?
		AND (d.deployed_at, d.id) < (?, ?)
		ORDER BY d.deployed_at DESC, d.id DESC`, d.ProjectID, d.RepositoryFullName, d.Environment, d.DeployedAt, d.ID)
	if err != nil {
		return nil, fmt.Errorf("store: previous deployment: %w", err)
	}
	return p, nil
}

// oneDeployment returns the first deployment d that meets the condition and order, or nil.
func oneDeployment(ctx context.Context, db bun.IDB, condOrder string, args ...any) (*Deployment, error) {
	var d Deployment
	err := db.NewRaw(`SELECT `+deploymentColumns+` FROM deployments d WHERE `+condOrder+` LIMIT 1`, args...).Scan(ctx, &d)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &d, nil
}
