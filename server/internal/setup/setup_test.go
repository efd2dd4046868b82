package setup_test

import (
	"context"
	"log/slog"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/mail"
	"github.com/logister/logister/server/internal/setup"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

func newService(t *testing.T) (*setup.Service, *account.Service, *store.Store) {
	t.Helper()
	st := testdb.New(t)
	accounts := account.NewService(st.DB, mail.NewOutbox(st.DB, slog.New(slog.DiscardHandler)), account.Options{
		PublicURL: &url.URL{Scheme: "http", Host: "localhost"},
		Argon2:    &account.Argon2Params{Memory: 64, Time: 1, Threads: 1},
	})
	return setup.New(st.DB, accounts), accounts, st
}

var client = account.ClientInfo{IP: "192.0.2.1"}

func TestClaimCreatesTheFirstAdministratorOnce(t *testing.T) {
	t.Parallel()
	svc, accounts, _ := newService(t)
	ctx := context.Background()
	token, err := svc.IssueToken(ctx, "")
	require.NoError(t, err)

	_, _, err = svc.Claim(ctx, "not-the-token-at-all", account.NewUser{Name: "A", Email: "a@example.com", Password: "password-1"}, client)
	var ae *apperr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, apperr.KindNotFound, ae.Kind)

	_, _, err = svc.Claim(ctx, token, account.NewUser{Name: "A", Email: "not an address", Password: "password-1"}, client)
	require.ErrorAs(t, err, &ae)
	require.Equal(t, apperr.KindUnprocessable, ae.Kind)
	required, err := svc.Required(ctx)
	require.NoError(t, err)
	require.True(t, required, "a failed claim leaves the link usable")

	user, sess, err := svc.Claim(ctx, token, account.NewUser{Name: "Ada", Email: "Ada@Example.com", Password: "password-1"}, client)
	require.NoError(t, err)
	require.True(t, user.Admin)
	require.True(t, user.Confirmed())
	require.NotNil(t, user.LastSignInAt, "the setup link signs its user in")
	p, err := accounts.AuthenticateSession(ctx, sess.Secret)
	require.NoError(t, err)
	require.Equal(t, "ada@example.com", p.User.Email)

	required, err = svc.Required(ctx)
	require.NoError(t, err)
	require.False(t, required)
	_, _, err = svc.Claim(ctx, token, account.NewUser{Name: "Eve", Email: "eve@example.com", Password: "password-1"}, client)
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "setup_complete", ae.Code)
	again, err := svc.IssueToken(ctx, "")
	require.NoError(t, err)
	require.Empty(t, again)
}

func TestConcurrentClaimsExactlyOneWins(t *testing.T) {
	t.Parallel()
	svc, _, st := newService(t)
	ctx := context.Background()
	token, err := svc.IssueToken(ctx, "fixed-setup-token-0123456789")
	require.NoError(t, err)

	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, _, errs[i] = svc.Claim(ctx, token, account.NewUser{
				Name: "Admin", Email: "admin" + string(rune('a'+i)) + "@example.com", Password: "password-1",
			}, client)
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
			continue
		}
		var ae *apperr.Error
		require.ErrorAs(t, err, &ae)
		require.Equal(t, "setup_complete", ae.Code)
	}
	require.Equal(t, 1, won)
	var admins int
	require.NoError(t, st.DB.NewRaw("SELECT count(*) FROM users WHERE is_admin").Scan(ctx, &admins))
	require.Equal(t, 1, admins)
}

func TestAnAdministratorFromTheCLICompletesSetup(t *testing.T) {
	t.Parallel()
	svc, accounts, _ := newService(t)
	ctx := context.Background()
	token, err := svc.IssueToken(ctx, "")
	require.NoError(t, err)
	_, err = accounts.CreateUser(ctx, account.NewUser{Name: "Ops", Email: "ops@example.com", Password: "password-1", Admin: true, Confirmed: true})
	require.NoError(t, err)
	err = svc.Check(ctx, token)
	var ae *apperr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "setup_complete", ae.Code)
}
