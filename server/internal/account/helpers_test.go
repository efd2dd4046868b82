package account_test

import (
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/mail"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

// clock is a settable time source for the service under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type testBundle struct {
	svc    *account.Service
	st     *store.Store
	outbox *mail.Outbox
	clock  *clock
}

// cheapArgon2 keeps tests fast; production costs are DefaultArgon2.
var cheapArgon2 = &account.Argon2Params{Memory: 64, Time: 1, Threads: 1}

func setup(t *testing.T, mutate func(*account.Options)) *testBundle {
	t.Helper()
	st := testdb.New(t)
	clk := &clock{t: time.Now().Truncate(time.Second)}
	u, err := url.Parse("https://logister.example")
	require.NoError(t, err)
	opts := account.Options{PublicURL: u, Argon2: cheapArgon2, Now: clk.Now, InstanceName: "Acme"}
	if mutate != nil {
		mutate(&opts)
	}
	outbox := mail.NewOutbox(st.DB, slog.New(slog.DiscardHandler))
	return &testBundle{svc: account.NewService(st.DB, outbox, opts), st: st, outbox: outbox, clock: clk}
}

const password = "s3cret-passw0rd"

// admin creates the first administrator, which also completes the first-run setup.
func (b *testBundle) admin(t *testing.T) *account.User {
	t.Helper()
	u, err := b.svc.CreateUser(context.Background(), account.NewUser{
		Email: "admin@example.com", Name: "Admin", Password: password, Admin: true, Confirmed: true,
	})
	require.NoError(t, err)
	return u
}

// user creates a confirmed user.
func (b *testBundle) user(t *testing.T, email string) *account.User {
	t.Helper()
	u, err := b.svc.CreateUser(context.Background(), account.NewUser{Email: email, Name: "User " + email, Password: password, Confirmed: true})
	require.NoError(t, err)
	return u
}

// mails returns every message in the outbox, newest first.
func (b *testBundle) mails(t *testing.T) []mail.Stored {
	t.Helper()
	page, err := b.outbox.List(context.Background(), "", 200)
	require.NoError(t, err)
	return page.Messages
}

// lastMail is the newest message to an address.
func (b *testBundle) lastMail(t *testing.T, to string) mail.Stored {
	t.Helper()
	for _, m := range b.mails(t) {
		if m.To == to {
			return m
		}
	}
	t.Fatalf("no mail to %s", to)
	return mail.Stored{}
}

var linkToken = regexp.MustCompile(`https://logister\.example/(?:confirm|reset-password|invitations)/([A-Za-z0-9_-]{43})`)

// tokenIn extracts the one-time token from a message's link.
func tokenIn(t *testing.T, m mail.Stored) string {
	t.Helper()
	match := linkToken.FindStringSubmatch(m.Text)
	require.NotNil(t, match, "no link in %q", m.Text)
	return match[1]
}

// requireCode checks err's apperr kind and code, and returns its field errors.
func requireCode(t *testing.T, err error, kind apperr.Kind, code string) map[string]string {
	t.Helper()
	var ae *apperr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, kind, ae.Kind, ae.Error())
	require.Equal(t, code, ae.Code, ae.Error())
	return ae.Fields
}

var client = account.ClientInfo{IP: "192.0.2.7", UserAgent: "test"}
