package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/dashboard"
	"github.com/logister/logister/server/internal/deploy"
	"github.com/logister/logister/server/internal/health"
	"github.com/logister/logister/server/internal/httpapi"
	"github.com/logister/logister/server/internal/intake"
	"github.com/logister/logister/server/internal/logging"
	"github.com/logister/logister/server/internal/mail"
	"github.com/logister/logister/server/internal/metrics"
	"github.com/logister/logister/server/internal/monitor"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/ratelimit"
	"github.com/logister/logister/server/internal/setup"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/telemetry"
	"github.com/logister/logister/server/internal/testdb"
	"github.com/logister/logister/server/internal/triage"
)

// testPublicURL is the instance's public URL in tests. httptest requests go to example.com, so a
// request from this origin is same-site only by LOGISTER_PUBLIC_URL.
var testPublicURL = &url.URL{Scheme: "http", Host: "logister.test"}

// cheapArgon2 keeps tests fast; production costs stay account.DefaultArgon2.
var cheapArgon2 = &account.Argon2Params{Memory: 64, Time: 1, Threads: 1}

// newTestAccounts is the account service of setupServer.
func newTestAccounts(st *store.Store, logger *slog.Logger) *account.Service {
	return account.NewService(st.DB, mail.NewOutbox(st.DB, logger), account.Options{
		PublicURL: testPublicURL, Argon2: cheapArgon2, InstanceName: "Test Instance",
	})
}

// testClock is the settable clock of the account service and the rate limiter.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// authBundle is a whole server with accounts, a settable clock and the outbox.
type authBundle struct {
	t        *testing.T
	e        http.Handler
	store    *store.Store
	setup    *setup.Service
	accounts *account.Service
	outbox   *mail.Outbox
	clock    *testClock
	projects *project.Service
	// keys authenticates ingest keys; a test may set its CacheTTL before the first request.
	keys *project.Authenticator
}

// setupAuth builds the server. mutate, when set, changes the account options.
func setupAuth(t *testing.T, mutate func(*account.Options)) *authBundle {
	t.Helper()
	st := testdb.New(t)
	logger := logging.New(io.Discard, "json", slog.LevelDebug)
	// A fixed start in the middle of a rate-limit window; nothing moves unless a test says so.
	clk := &testClock{t: time.Now().Truncate(time.Hour).Add(90 * time.Second)}
	opts := account.Options{PublicURL: testPublicURL, Argon2: cheapArgon2, InstanceName: "Test Instance", Now: clk.Now}
	if mutate != nil {
		mutate(&opts)
	}
	outbox := mail.NewOutbox(st.DB, logger)
	accounts := account.NewService(st.DB, outbox, opts)
	svc := setup.New(st.DB, accounts)
	projects := project.New(st.DB, project.Options{Accounts: accounts, Logger: logger, DeletionGrace: -1, PurgeChunk: 7})
	keys := project.NewAuthenticator(st.DB)
	e, err := httpapi.New(httpapi.Deps{
		Logger:       logger,
		Metrics:      metrics.New(st.SQLDB()),
		Health:       health.NewChecker(st, nil, logger),
		Setup:        svc,
		Accounts:     accounts,
		PublicURL:    opts.PublicURL,
		Mail:         outbox,
		Projects:     projects,
		InstanceName: "Test Instance",
		Version:      "1.2.3",
		Auth:         keys,
		Intake:       intake.NewService(newCommitter(t, st), st),
		Issues:       triage.New(st, clk.Now),
		Monitors:     monitor.New(st.DB, clk.Now),
		Deployments:  deploy.New(st.DB, ""),
		Telemetry:    telemetry.New(st, clk.Now),
		Dashboard:    dashboard.New(st, projects, clk.Now),
		RateLimiter:  ratelimit.New(ratelimit.Options{Now: clk.Now}),
	})
	require.NoError(t, err)
	return &authBundle{t: t, e: e, store: st, setup: svc, accounts: accounts, outbox: outbox, clock: clk, projects: projects, keys: keys}
}

// req is one request to the server.
type req struct {
	method, path string
	// body is sent as JSON: a string as is, anything else marshalled.
	body any
	// as authenticates the request with a session (cookie and, unless noCSRF, its CSRF token) or
	// a bearer token.
	as     *principal
	noCSRF bool
	// header adds headers (Origin, Sec-Fetch-Site, X-CSRF-Token, ...).
	header map[string]string
	ip     string
	// chunked sends the body without a Content-Length.
	chunked bool
}

// principal is a signed-in browser or a token holder.
type principal struct {
	cookie *http.Cookie
	csrf   string
	bearer string
	user   map[string]any
}

func (b *authBundle) do(r req) *httptest.ResponseRecorder {
	b.t.Helper()
	var body io.Reader
	switch v := r.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(v)
	default:
		raw, err := json.Marshal(v)
		require.NoError(b.t, err)
		body = bytes.NewReader(raw)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.ip != "" {
		hr.RemoteAddr = r.ip + ":4321"
	}
	if r.chunked {
		hr.ContentLength = -1
	}
	if p := r.as; p != nil {
		if p.cookie != nil {
			hr.AddCookie(p.cookie)
			if !r.noCSRF && p.csrf != "" {
				hr.Header.Set("X-CSRF-Token", p.csrf)
			}
		}
		if p.bearer != "" {
			hr.Header.Set("Authorization", "Bearer "+p.bearer)
		}
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	b.e.ServeHTTP(rec, hr)
	return rec
}

// want runs r and requires the status, returning the decoded JSON body (nil when empty).
func (b *authBundle) want(status int, r req) map[string]any {
	b.t.Helper()
	rec := b.do(r)
	require.Equal(b.t, status, rec.Code, "%s %s: %s", r.method, r.path, rec.Body.String())
	if rec.Body.Len() == 0 {
		return nil
	}
	var out map[string]any
	require.NoError(b.t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	return out
}

// wantError runs r and requires an error answer with status and code.
func (b *authBundle) wantError(status int, code string, r req) map[string]any {
	b.t.Helper()
	rec := b.do(r)
	require.Equal(b.t, status, rec.Code, "%s %s: %s", r.method, r.path, rec.Body.String())
	var out map[string]any
	require.NoError(b.t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
	require.Equal(b.t, code, out["code"], rec.Body.String())
	require.NotEmpty(b.t, out["error"])
	require.Equal(b.t, rec.Header().Get("X-Request-Id"), out["requestId"])
	return out
}

const testPassword = "s3cret-passw0rd"

// claim redeems a fresh setup link and returns the first administrator, signed in.
func (b *authBundle) claim() *principal {
	b.t.Helper()
	token, err := b.setup.IssueToken(context.Background(), "")
	require.NoError(b.t, err)
	rec := b.do(req{method: http.MethodPost, path: "/api/v1/setup/" + token,
		body: map[string]string{"name": "Admin", "email": "admin@example.com", "password": testPassword}})
	require.Equal(b.t, http.StatusCreated, rec.Code, rec.Body.String())
	return sessionFrom(b.t, rec)
}

// user creates a confirmed user.
func (b *authBundle) user(email string) *account.User {
	b.t.Helper()
	u, err := b.accounts.CreateUser(context.Background(), account.NewUser{Email: email, Name: "User", Password: testPassword, Confirmed: true})
	require.NoError(b.t, err)
	return u
}

// signIn signs in over HTTP.
func (b *authBundle) signIn(email string) *principal {
	b.t.Helper()
	rec := b.do(req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: map[string]string{"email": email, "password": testPassword}})
	require.Equal(b.t, http.StatusOK, rec.Code, rec.Body.String())
	return sessionFrom(b.t, rec)
}

// token creates a personal access token for the user with email.
func (b *authBundle) token(email string, scope account.Scope) *principal {
	b.t.Helper()
	ctx := context.Background()
	u, err := b.accounts.UserByEmail(ctx, email)
	require.NoError(b.t, err)
	plaintext, _, err := b.accounts.CreateToken(ctx, u, account.NewToken{Name: "test", Scope: scope})
	require.NoError(b.t, err)
	return &principal{bearer: plaintext}
}

// sessionFrom reads the session cookie and CSRF token of a response that signed someone in.
func sessionFrom(t *testing.T, rec *httptest.ResponseRecorder) *principal {
	t.Helper()
	var body struct {
		CSRFToken string         `json:"csrfToken"`
		User      map[string]any `json:"user"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	require.NotEmpty(t, body.CSRFToken)
	for _, c := range rec.Result().Cookies() {
		if c.Name == "logister_session" {
			return &principal{cookie: &http.Cookie{Name: c.Name, Value: c.Value}, csrf: body.CSRFToken, user: body.User}
		}
	}
	t.Fatalf("no session cookie in %v", rec.Header())
	return nil
}

var mailLink = regexp.MustCompile(`http://logister\.test/(?:confirm|reset-password|invitations)/([A-Za-z0-9_-]{43})`)

// linkTo returns the token of the newest e-mailed link to an address.
func (b *authBundle) linkTo(to string) string {
	b.t.Helper()
	page, err := b.outbox.List(context.Background(), "", 200)
	require.NoError(b.t, err)
	for _, m := range page.Messages {
		if m.To == to {
			match := mailLink.FindStringSubmatch(m.Text)
			require.NotNil(b.t, match, m.Text)
			return match[1]
		}
	}
	b.t.Fatalf("no mail to %s", to)
	return ""
}

func mustParseURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}
