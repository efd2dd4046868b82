package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Instance is the single row describing this installation.
type Instance struct {
	bun.BaseModel `bun:"table:instance"`

	ID                  int16      `bun:"id,pk"`
	CreatedAt           time.Time  `bun:"created_at"`
	SetupTokenDigest    *string    `bun:"setup_token_digest"`
	SetupTokenExpiresAt *time.Time `bun:"setup_token_expires_at"`
	SetupCompletedAt    *time.Time `bun:"setup_completed_at"`
}

// GetInstance reads the instance row.
func GetInstance(ctx context.Context, db bun.IDB) (*Instance, error) {
	var inst Instance
	if err := db.NewSelect().Model(&inst).Where("id = 1").Scan(ctx); err != nil {
		return nil, fmt.Errorf("store: get instance: %w", err)
	}
	return &inst, nil
}

// SetSetupToken replaces the one-time setup token's digest, unless setup is already complete.
// It reports whether the token was stored.
func SetSetupToken(ctx context.Context, db bun.IDB, digest string, expiresAt time.Time) (bool, error) {
	res, err := db.NewUpdate().Model((*Instance)(nil)).
		Set("setup_token_digest = ?", digest).
		Set("setup_token_expires_at = ?", expiresAt).
		Where("id = 1").
		Where("setup_completed_at IS NULL").
		Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("store: set setup token: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: set setup token: %w", err)
	}
	return n == 1, nil
}
