package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// Deployment records that a release of a repository went to an environment.
type Deployment struct {
	bun.BaseModel `bun:"table:deployments"`

	ID                 int64           `bun:"id,pk,autoincrement"`
	UUID               uuid.UUID       `bun:"uuid,nullzero"`
	ProjectID          int64           `bun:"project_id"`
	RepositoryFullName string          `bun:"repository_full_name"`
	Environment        string          `bun:"environment"`
	Release            string          `bun:"release"`
	CommitSHA          string          `bun:"commit_sha"`
	Branch             *string         `bun:"branch"`
	DeployedAt         time.Time       `bun:"deployed_at"`
	PullRequestNumber  *int            `bun:"pull_request_number"`
	Source             string          `bun:"source"`
	Metadata           json.RawMessage `bun:"metadata,type:jsonb"`
	CreatedAt          time.Time       `bun:"created_at,nullzero"`
	UpdatedAt          time.Time       `bun:"updated_at,nullzero"`
}

// UpsertDeployment inserts d, or updates the deployment with the same project, repository,
// environment and release, and fills d's generated columns.
func UpsertDeployment(ctx context.Context, db bun.IDB, d *Deployment) error {
	if len(d.Metadata) == 0 {
		d.Metadata = json.RawMessage(`{}`)
	}
	_, err := db.NewInsert().Model(d).
		On("CONFLICT (project_id, repository_full_name, environment, release) DO UPDATE").
		Set("commit_sha = EXCLUDED.commit_sha").
		Set("branch = EXCLUDED.branch").
		Set("deployed_at = EXCLUDED.deployed_at").
		Set("pull_request_number = EXCLUDED.pull_request_number").
		Set("source = EXCLUDED.source").
		Set("metadata = EXCLUDED.metadata").
		Set("updated_at = now()").
		Returning("*").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("store: upsert deployment: %w", err)
	}
	return nil
}
