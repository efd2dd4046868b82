// Package setup runs the first-run flow of a new instance: a one-time token, printed at start-up,
// that lets whoever runs the server create the first administrator. Creating any administrator
// (here, or with `logister user create --admin` / `user promote`) completes setup for good.
package setup

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
)

// TokenTTL is how long a printed setup link stays valid.
const TokenTTL = 24 * time.Hour

// Service issues, checks and redeems setup tokens.
type Service struct {
	db       bun.IDB
	accounts *account.Service
	now      func() time.Time
}

// New returns a Service on db that creates the first administrator through accounts.
func New(db bun.IDB, accounts *account.Service) *Service {
	return &Service{db: db, accounts: accounts, now: time.Now}
}

// Required reports whether the first administrator has yet to be created.
func (s *Service) Required(ctx context.Context) (bool, error) {
	inst, err := store.GetInstance(ctx, s.db)
	if err != nil {
		return false, err
	}
	return inst.SetupCompletedAt == nil, nil
}

// IssueToken makes a new one-time setup token, replacing any earlier one, and returns it. fixed, when
// not empty, is used instead of a random token (LOGISTER_SETUP_TOKEN). It returns "" when setup is
// already complete.
func (s *Service) IssueToken(ctx context.Context, fixed string) (string, error) {
	token := fixed
	if token == "" {
		b := make([]byte, 32)
		_, _ = rand.Read(b) // never fails on supported platforms
		token = base64.RawURLEncoding.EncodeToString(b)
	}
	stored, err := store.SetSetupToken(ctx, s.db, digest(token), s.now().Add(TokenTTL))
	if err != nil || !stored {
		return "", err
	}
	return token, nil
}

// Check says whether token is the current setup token.
//
// Errors: apperr NotFound when the token is not the current one, Gone when it has expired or setup
// is already complete.
func (s *Service) Check(ctx context.Context, token string) error {
	inst, err := store.GetInstance(ctx, s.db)
	if err != nil {
		return err
	}
	return s.check(inst, token)
}

// Claim redeems the setup token: it creates the first administrator from in (confirmed at once),
// completes setup, and signs the new administrator in. Concurrent claims are serialised on the
// instance row, so exactly one succeeds.
//
// Errors: as Check (Gone "setup_complete" for every claim after the first), then as
// account.Service.CreateUser.
func (s *Service) Claim(ctx context.Context, token string, in account.NewUser, client account.ClientInfo) (*account.User, *account.NewSession, error) {
	in.Admin, in.Confirmed, in.SignedIn = true, true, true
	var (
		user *account.User
		sess *account.NewSession
	)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var inst store.Instance
		if err := tx.NewSelect().Model(&inst).Where("id = 1").For("UPDATE").Scan(ctx); err != nil {
			return fmt.Errorf("setup: lock instance: %w", err)
		}
		if err := s.check(&inst, token); err != nil {
			return err
		}
		accounts := s.accounts.WithDB(tx)
		var err error
		if user, err = accounts.CreateUser(ctx, in); err != nil { // completes setup
			return err
		}
		sess, err = accounts.CreateSession(ctx, user, client)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return user, sess, nil
}

func (s *Service) check(inst *store.Instance, token string) error {
	if inst.SetupCompletedAt != nil {
		return apperr.Gone("setup_complete", "This instance is already set up. Sign in instead.")
	}
	if inst.SetupTokenDigest == nil ||
		subtle.ConstantTimeCompare([]byte(*inst.SetupTokenDigest), []byte(digest(token))) != 1 {
		return apperr.NotFound("This setup link is not valid. Restart the server to print a new one.")
	}
	if inst.SetupTokenExpiresAt != nil && s.now().After(*inst.SetupTokenExpiresAt) {
		return apperr.Gone("setup_link_expired", "This setup link has expired. Restart the server to print a new one.")
	}
	return nil
}

func digest(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
