package httpapi_test

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	apispec "github.com/logister/logister/api/spec"
	"github.com/logister/logister/server/internal/account"
)

// publicOperations are the operations anyone may call. A new operation is protected unless it is
// added here and says `security: []` in openapi.yaml.
var publicOperations = []string{
	"ClaimSetup", "ConfirmEmail", "GetAPIDocs", "GetInstance", "GetInvitation", "GetMetrics",
	"GetOpenAPISpec", "GetReady", "GetSetupToken", "GetUp", "RequestPasswordReset",
	"ResendConfirmation", "ResetPassword", "SignIn", "SignUp",
}

type operation struct {
	method, path string
	op           *openapi3.Operation
}

// operations lists the spec's operations except the public ingestion API (which has its own
// key authentication).
func operations(t *testing.T) []operation {
	t.Helper()
	doc, err := apispec.GetSwagger()
	require.NoError(t, err)
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !slices.Contains(op.Tags, "ingest") {
				ops = append(ops, operation{method, path, op})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].op.OperationID < ops[j].op.OperationID })
	return ops
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

func TestSpecSecurity(t *testing.T) {
	t.Parallel()
	doc, err := apispec.GetSwagger()
	require.NoError(t, err)
	require.Equal(t, openapi3.SecurityRequirements{{"sessionCookie": {}}, {"personalToken": {}}}, doc.Security,
		"every operation needs credentials unless it says otherwise")

	var public []string
	for _, o := range operations(t) {
		if o.op.Security != nil && len(*o.op.Security) == 0 {
			public = append(public, o.op.OperationID)
			continue
		}
		require.Nil(t, o.op.Security, "%s: protected operations use the document's security", o.op.OperationID)
		require.NotNil(t, o.op.Responses.Status(401), "%s documents its 401", o.op.OperationID)
		admin := slices.Contains(o.op.Tags, "admin")
		require.Equal(t, admin, o.op.Extensions["x-logister-admin-only"] == true,
			"%s: the admin tag and x-logister-admin-only go together", o.op.OperationID)
		require.True(t, !admin || strings.HasPrefix(o.path, "/api/v1/admin/"), o.path)
		if admin {
			require.NotNil(t, o.op.Responses.Status(403), "%s documents its 403", o.op.OperationID)
		}
	}
	sort.Strings(public)
	require.Equal(t, publicOperations, public)
}

// TestEveryProtectedOperationAnswers401 walks every operation of the spec that lacks
// `security: []` and calls it without credentials, with a session that does not exist and with a
// token that does not exist. Each must answer 401, whatever the body or parameters.
func TestEveryProtectedOperationAnswers401(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	b.claim()
	walked := 0
	for _, o := range operations(t) {
		if slices.Contains(publicOperations, o.op.OperationID) {
			continue
		}
		walked++
		path := pathParam.ReplaceAllString(o.path, "0a9e4c2e-6a52-4b55-8d1e-0c4f4bf0b9a1")
		var body any
		if o.op.RequestBody != nil {
			body = `{"unexpected": true}` // invalid too: authentication comes first
		}
		t.Run(o.op.OperationID, func(t *testing.T) {
			b.wantError(http.StatusUnauthorized, "unauthenticated", req{method: o.method, path: path, body: body})
			b.wantError(http.StatusUnauthorized, "session_expired", req{method: o.method, path: path, body: body,
				as: &principal{cookie: &http.Cookie{Name: "logister_session", Value: "forged"}, csrf: "forged"}})
			b.wantError(http.StatusUnauthorized, "invalid_token", req{method: o.method, path: path, body: body,
				as: &principal{bearer: "logister_pat_" + strings.Repeat("0", 64)}})
		})
	}
	require.Greater(t, walked, 15, "the walk covers the protected operations")
}

// An escaped slash in a path parameter makes Echo and the spec's router disagree: the request must
// be refused as not found, never reach the handler unauthenticated.
func TestEscapedSlashInPathParameter(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	admin := b.claim()
	walked := 0
	for _, o := range operations(t) {
		if slices.Contains(publicOperations, o.op.OperationID) || !strings.Contains(o.path, "{") {
			continue
		}
		walked++
		path := pathParam.ReplaceAllString(o.path, "a%2Fb")
		b.wantError(http.StatusNotFound, "not_found", req{method: o.method, path: path, as: admin})
	}
	require.Greater(t, walked, 15)
}

// No operation takes a NUL character or invalid UTF-8 in a parameter (PostgreSQL text cannot hold
// them): every one answers 400, never 500.
func TestParametersMustBeText(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	admin := b.claim()
	p := teamProject(t, b, b.user("owner@example.com"), nil, nil, "Text")
	for _, path := range []string{
		"/issues?q=%00", "/events?q=a%00", "/events?environment=%00", "/events?release=%FF",
		"/traces?q=%00", "/traces/a%00b", "/deployments?repository=%00", "/deployments?q=%C3",
	} {
		b.wantError(http.StatusBadRequest, "invalid_request", req{method: http.MethodGet, path: projectPath(p, path), as: admin})
	}
}

func TestPublicOperationsNeedNoCredentials(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	for _, path := range []string{"/up", "/health/ready", "/api/v1/instance", "/openapi.yaml"} {
		require.Equal(t, http.StatusOK, b.do(req{method: http.MethodGet, path: path}).Code, path)
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	admin := b.claim()
	create := func(as *principal, noCSRF bool, header map[string]string) req {
		return req{method: http.MethodPost, path: "/api/v1/me/tokens", body: map[string]string{"name": "t", "scope": "read"},
			as: as, noCSRF: noCSRF, header: header}
	}

	t.Run("safe requests need no token", func(t *testing.T) {
		body := b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/session", as: admin, noCSRF: true})
		require.Equal(t, admin.csrf, body["csrfToken"])
		require.Equal(t, "session", body["method"])
	})
	t.Run("missing token", func(t *testing.T) {
		b.wantError(http.StatusForbidden, "csrf_failed", create(admin, true, nil))
	})
	t.Run("wrong token", func(t *testing.T) {
		b.wantError(http.StatusForbidden, "csrf_failed", create(admin, true, map[string]string{"X-CSRF-Token": "x" + admin.csrf[1:]}))
	})
	t.Run("another session's token", func(t *testing.T) {
		other := b.signIn("admin@example.com")
		require.NotEqual(t, other.csrf, admin.csrf)
		b.wantError(http.StatusForbidden, "csrf_failed", create(admin, true, map[string]string{"X-CSRF-Token": other.csrf}))
	})
	t.Run("cross-site origin", func(t *testing.T) {
		b.wantError(http.StatusForbidden, "cross_origin_request", create(admin, false, map[string]string{"Origin": "https://evil.example"}))
		b.wantError(http.StatusForbidden, "cross_origin_request", create(admin, false, map[string]string{"Origin": "null"}))
		b.wantError(http.StatusForbidden, "cross_origin_request", create(admin, false, map[string]string{"Sec-Fetch-Site": "cross-site"}))
		b.wantError(http.StatusForbidden, "cross_origin_request", create(admin, false, map[string]string{"Sec-Fetch-Site": "same-site"}))
	})
	t.Run("accepted", func(t *testing.T) {
		b.want(http.StatusCreated, create(admin, false, nil))
		b.want(http.StatusCreated, create(admin, false, map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}))
		b.want(http.StatusCreated, create(admin, false, map[string]string{"Origin": "http://logister.test"}))
	})
	t.Run("bearer tokens are exempt", func(t *testing.T) {
		tok := b.token("admin@example.com", account.ScopeWrite)
		b.want(http.StatusCreated, create(tok, false, map[string]string{"Origin": "https://evil.example"}))
	})
	t.Run("an explicit token wins over a cookie", func(t *testing.T) {
		both := &principal{cookie: admin.cookie, bearer: b.token("admin@example.com", account.ScopeRead).bearer}
		b.wantError(http.StatusForbidden, "insufficient_scope", create(both, true, nil))
	})
	t.Run("sign-in cannot be forged from another site", func(t *testing.T) {
		body := map[string]string{"email": "admin@example.com", "password": testPassword}
		b.wantError(http.StatusForbidden, "cross_origin_request", req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: body,
			header: map[string]string{"Origin": "https://evil.example"}})
		b.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: body,
			header: map[string]string{"Origin": "http://example.com"}})
	})
}

func TestSessionCookie(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	b.claim()
	rec := b.do(req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: map[string]string{"email": "ADMIN@example.com", "password": testPassword}})
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	set := rec.Header().Get("Set-Cookie")
	require.Regexp(t, `^logister_session=[A-Za-z0-9_-]{43}; Path=/; Expires=[^;]+; Max-Age=\d+; HttpOnly; SameSite=Lax$`, set)
	require.Contains(t, set, "; Max-Age=1209600;", "14 days")

	// Behind TLS (an https public URL), the cookie is Secure.
	tls := setupAuth(t, func(o *account.Options) { o.PublicURL = mustParseURL(t, "https://logister.test") })
	tls.claim()
	rec = tls.do(req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: map[string]string{"email": "admin@example.com", "password": testPassword}})
	require.Contains(t, rec.Header().Get("Set-Cookie"), "; Secure")

	p := sessionFrom(t, b.do(req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: map[string]string{"email": "admin@example.com", "password": testPassword}}))
	rec = b.do(req{method: http.MethodPost, path: "/api/v1/auth/sign-out", as: p})
	require.Equal(t, http.StatusNoContent, rec.Code, rec.Body.String())
	require.Regexp(t, `^logister_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax$`, rec.Header().Get("Set-Cookie"))
	b.wantError(http.StatusUnauthorized, "session_expired", req{method: http.MethodGet, path: "/api/v1/session", as: p})
}

func TestSessionExpiryOverHTTP(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, func(o *account.Options) {
		o.SessionTTL = 24 * time.Hour
		o.SessionIdleTimeout = time.Hour
	})
	admin := b.claim()
	b.user("ada@example.com")
	ada := b.signIn("ada@example.com")
	for range 3 {
		b.clock.Advance(50 * time.Minute)
		b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/session", as: ada})
	}
	b.clock.Advance(time.Hour + time.Second)
	b.wantError(http.StatusUnauthorized, "session_expired", req{method: http.MethodGet, path: "/api/v1/session", as: ada})
	b.wantError(http.StatusUnauthorized, "session_expired", req{method: http.MethodGet, path: "/api/v1/session", as: admin})

	fresh := b.signIn("ada@example.com")
	for range 24 {
		b.clock.Advance(59 * time.Minute)
		b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/session", as: fresh})
	}
	b.clock.Advance(time.Hour)
	b.wantError(http.StatusUnauthorized, "session_expired", req{method: http.MethodGet, path: "/api/v1/session", as: fresh})
}

func TestSessionRevocationOverHTTP(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	admin := b.claim()
	b.user("ada@example.com")
	laptop, phone := b.signIn("ada@example.com"), b.signIn("ada@example.com")
	token := b.token("ada@example.com", account.ScopeRead)

	b.want(http.StatusNoContent, req{method: http.MethodPost, path: "/api/v1/me/password", as: laptop,
		body: map[string]string{"currentPassword": testPassword, "newPassword": "a-new-password"}})
	b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/session", as: laptop})
	b.wantError(http.StatusUnauthorized, "session_expired", req{method: http.MethodGet, path: "/api/v1/session", as: phone})
	b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/session", as: token})

	id := laptop.user["id"].(string)
	b.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/admin/users/" + id + "/disable", as: admin})
	b.wantError(http.StatusUnauthorized, "session_expired", req{method: http.MethodGet, path: "/api/v1/session", as: laptop})
	b.wantError(http.StatusUnauthorized, "invalid_token", req{method: http.MethodGet, path: "/api/v1/session", as: token})
}

func TestTokenScopes(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	b.claim()
	b.user("ada@example.com")
	newToken := req{method: http.MethodPost, path: "/api/v1/me/tokens", body: map[string]string{"name": "x", "scope": "read"}}
	with := func(r req, as *principal) req { r.as = as; return r }
	adminUsers := req{method: http.MethodGet, path: "/api/v1/admin/users"}

	read := b.token("admin@example.com", account.ScopeRead)
	body := b.want(http.StatusOK, with(req{method: http.MethodGet, path: "/api/v1/session"}, read))
	require.Equal(t, "token", body["method"])
	require.Equal(t, "read", body["scope"])
	require.Nil(t, body["csrfToken"])
	b.want(http.StatusOK, with(req{method: http.MethodGet, path: "/api/v1/me/tokens"}, read))
	b.wantError(http.StatusForbidden, "insufficient_scope", with(newToken, read))
	b.wantError(http.StatusForbidden, "insufficient_scope", with(req{method: http.MethodPatch, path: "/api/v1/me", body: map[string]string{"name": "x"}}, read))

	write := b.token("admin@example.com", account.ScopeWrite)
	b.want(http.StatusCreated, with(newToken, write))
	b.wantError(http.StatusForbidden, "insufficient_scope", with(adminUsers, write))
	// A token cannot mint a stronger one.
	b.wantError(http.StatusForbidden, "insufficient_scope", with(req{method: http.MethodPost, path: "/api/v1/me/tokens",
		body: map[string]string{"name": "x", "scope": "admin"}}, write))

	admin := b.token("admin@example.com", account.ScopeAdmin)
	b.want(http.StatusOK, with(adminUsers, admin))
	b.want(http.StatusCreated, with(newToken, admin))

	// An admin-scoped token of someone who is not an administrator reaches nothing more.
	notAdmin := b.token("ada@example.com", account.ScopeAdmin)
	b.wantError(http.StatusForbidden, "admin_required", with(adminUsers, notAdmin))
	b.want(http.StatusCreated, with(newToken, notAdmin))
	b.wantError(http.StatusForbidden, "admin_required", with(adminUsers, b.signIn("ada@example.com")))

	t.Run("revoked", func(t *testing.T) {
		tok := b.token("ada@example.com", account.ScopeRead)
		list := b.want(http.StatusOK, with(req{method: http.MethodGet, path: "/api/v1/me/tokens"}, tok))
		var id string
		for _, item := range list["tokens"].([]any) {
			m := item.(map[string]any)
			if strings.HasPrefix(tok.bearer, m["hint"].(string)) {
				id = m["id"].(string)
			}
		}
		require.NotEmpty(t, id)
		b.want(http.StatusNoContent, with(req{method: http.MethodDelete, path: "/api/v1/me/tokens/" + id}, b.token("ada@example.com", account.ScopeWrite)))
		b.wantError(http.StatusUnauthorized, "invalid_token", with(req{method: http.MethodGet, path: "/api/v1/session"}, tok))
	})
	t.Run("expired", func(t *testing.T) {
		b.clock.Advance(account.DefaultTokenTTL + time.Second)
		b.wantError(http.StatusUnauthorized, "invalid_token", with(req{method: http.MethodGet, path: "/api/v1/session"}, read))
	})
}

func TestSignInRateLimit(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	b.claim()
	attempt := func(ip, email string) *req {
		return &req{method: http.MethodPost, path: "/api/v1/auth/sign-in", ip: ip,
			body: map[string]string{"email": email, "password": "wrong-password"}}
	}

	// 10 a minute per IP, whatever the addresses.
	for i := range 10 {
		b.wantError(http.StatusUnauthorized, "invalid_credentials", *attempt("198.51.100.1", "user"+string(rune('a'+i))+"@example.com"))
	}
	rec := b.do(*attempt("198.51.100.1", "other@example.com"))
	require.Equal(t, http.StatusTooManyRequests, rec.Code, rec.Body.String())
	require.Contains(t, rec.Body.String(), `"code":"too_many_attempts"`)
	retry := rec.Header().Get("Retry-After")
	require.Regexp(t, `^\d+$`, retry)
	require.NotEqual(t, "0", retry)
	// Even the right password waits: the limit counts attempts, not failures.
	b.wantError(http.StatusTooManyRequests, "too_many_attempts", req{method: http.MethodPost, path: "/api/v1/auth/sign-in",
		ip: "198.51.100.1", body: map[string]string{"email": "admin@example.com", "password": testPassword}})
	b.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/auth/sign-in", ip: "198.51.100.2",
		body: map[string]string{"email": "admin@example.com", "password": testPassword}})

	// 20 per 10 minutes per address, from any number of IPs (the address is normalised).
	for i := range 20 {
		email := "victim@example.com"
		if i%2 == 0 {
			email = " Victim@Example.COM"
		}
		b.wantError(http.StatusUnauthorized, "invalid_credentials", *attempt("203.0.113."+string(rune('1'+i%9))+string(rune('0'+i/9)), email))
	}
	b.wantError(http.StatusTooManyRequests, "too_many_attempts", *attempt("203.0.113.200", "victim@example.com"))

	// A new window lets the IP try again; the address stays blocked for its 10 minutes.
	b.clock.Advance(time.Minute)
	b.wantError(http.StatusUnauthorized, "invalid_credentials", *attempt("198.51.100.1", "other@example.com"))
	b.wantError(http.StatusTooManyRequests, "too_many_attempts", *attempt("198.51.100.9", "victim@example.com"))
}

func TestOtherAuthFormsAreRateLimited(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	b.claim()
	for _, tt := range []struct {
		path     string
		body     func(i int) any
		ipLimit  int
		okStatus int
	}{
		{"/api/v1/auth/sign-up", func(i int) any {
			return map[string]string{"name": "A", "email": "s" + string(rune('a'+i)) + "@example.com", "password": testPassword}
		}, 5, http.StatusAccepted},
		{"/api/v1/auth/password/forgot", func(i int) any {
			return map[string]string{"email": "f" + string(rune('a'+i)) + "@example.com"}
		}, 5, http.StatusAccepted},
		{"/api/v1/auth/confirm/resend", func(i int) any {
			return map[string]string{"email": "r" + string(rune('a'+i)) + "@example.com"}
		}, 5, http.StatusAccepted},
	} {
		t.Run(tt.path, func(t *testing.T) {
			ip := "192.0.2." + string(rune('1'+len(tt.path)%8))
			for i := range tt.ipLimit {
				b.want(tt.okStatus, req{method: http.MethodPost, path: tt.path, ip: ip, body: tt.body(i)})
			}
			b.wantError(http.StatusTooManyRequests, "too_many_attempts", req{method: http.MethodPost, path: tt.path, ip: ip, body: tt.body(99)})
		})
	}
	t.Run("per address", func(t *testing.T) {
		for i := range 3 {
			b.want(http.StatusAccepted, req{method: http.MethodPost, path: "/api/v1/auth/password/forgot", ip: "192.0.2.10" + string(rune('0'+i)),
				body: map[string]string{"email": "admin@example.com"}})
		}
		b.wantError(http.StatusTooManyRequests, "too_many_attempts", req{method: http.MethodPost, path: "/api/v1/auth/password/forgot",
			ip: "192.0.2.200", body: map[string]string{"email": "admin@example.com"}})
	})
	t.Run("setup claims", func(t *testing.T) {
		for range 5 {
			b.wantError(http.StatusGone, "setup_complete", req{method: http.MethodPost, path: "/api/v1/setup/" + strings.Repeat("s", 20), ip: "192.0.2.50",
				body: map[string]string{"name": "A", "email": "a@example.com", "password": testPassword}})
		}
		b.wantError(http.StatusTooManyRequests, "too_many_attempts", req{method: http.MethodPost, path: "/api/v1/setup/" + strings.Repeat("s", 20), ip: "192.0.2.50",
			body: map[string]string{"name": "A", "email": "a@example.com", "password": testPassword}})
	})
}
