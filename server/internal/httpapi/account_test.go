package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/account"
)

func TestSetupClaimOverHTTP(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	token, err := b.setup.IssueToken(context.Background(), "")
	require.NoError(t, err)
	path := "/api/v1/setup/" + token

	body := b.want(http.StatusOK, req{method: http.MethodGet, path: path})
	require.Equal(t, true, body["accountCreationAvailable"])
	b.wantError(http.StatusConflict, "setup_required", req{method: http.MethodPost, path: "/api/v1/auth/sign-up",
		body: map[string]string{"name": "Early", "email": "early@example.com", "password": testPassword}})

	b.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: path,
		body: map[string]string{"name": "Admin", "email": "admin@example.com", "password": "short"}})
	b.wantError(http.StatusForbidden, "cross_origin_request", req{method: http.MethodPost, path: path,
		body:   map[string]string{"name": "Admin", "email": "admin@example.com", "password": testPassword},
		header: map[string]string{"Origin": "https://evil.example"}})

	rec := b.do(req{method: http.MethodPost, path: path, body: map[string]string{"name": "Admin", "email": "admin@example.com", "password": testPassword}})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	admin := sessionFrom(t, rec)
	require.Equal(t, true, admin.user["admin"])
	require.Equal(t, true, admin.user["confirmed"])
	b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/admin/users", as: admin})

	b.wantError(http.StatusGone, "setup_complete", req{method: http.MethodPost, path: path,
		body: map[string]string{"name": "Eve", "email": "eve@example.com", "password": testPassword}})
	b.wantError(http.StatusGone, "setup_complete", req{method: http.MethodGet, path: path})
	require.Equal(t, false, b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/instance"})["setupRequired"])
}

func TestSignUpConfirmSignInOverHTTP(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	admin := b.claim()

	body := b.want(http.StatusAccepted, req{method: http.MethodPost, path: "/api/v1/auth/sign-up",
		body: map[string]string{"name": "Ada", "email": "ada@example.com", "password": testPassword}})
	require.NotEmpty(t, body["message"])
	require.Empty(t, b.do(req{method: http.MethodPost, path: "/api/v1/auth/sign-up",
		body: map[string]string{"name": "Ada", "email": "ada@example.com", "password": testPassword}}).Header().Get("Set-Cookie"))

	b.wantError(http.StatusForbidden, "email_not_confirmed", req{method: http.MethodPost, path: "/api/v1/auth/sign-in",
		body: map[string]string{"email": "ada@example.com", "password": testPassword}})

	// The administrator reads the link in the outbox (no SMTP).
	mail := b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/admin/mail", as: admin})
	first := mail["messages"].([]any)[0].(map[string]any)
	require.Equal(t, "ada@example.com", first["to"])
	require.Equal(t, "confirm_email", first["kind"])
	require.Equal(t, "stored", first["status"])
	require.Contains(t, first["text"], "http://logister.test/confirm/")

	token := b.linkTo("ada@example.com")
	body = b.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/auth/confirm", body: map[string]string{"token": token}})
	require.Equal(t, map[string]any{"email": "ada@example.com", "emailChanged": false}, body)
	b.wantError(http.StatusNotFound, "invalid_link", req{method: http.MethodPost, path: "/api/v1/auth/confirm", body: map[string]string{"token": token}})

	ada := b.signIn("ada@example.com")
	session := b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/session", as: ada})
	user := session["user"].(map[string]any)
	require.Equal(t, "ada@example.com", user["email"])
	require.Equal(t, false, user["admin"])
	require.NotContains(t, user, "passwordHash")
	require.NotContains(t, strings.ToLower(b.do(req{method: http.MethodGet, path: "/api/v1/session", as: ada}).Body.String()), "argon2")

	// Password reset.
	b.want(http.StatusAccepted, req{method: http.MethodPost, path: "/api/v1/auth/password/forgot", body: map[string]string{"email": "ada@example.com"}})
	b.want(http.StatusAccepted, req{method: http.MethodPost, path: "/api/v1/auth/password/forgot", body: map[string]string{"email": "nobody@example.com"}})
	reset := b.linkTo("ada@example.com")
	b.want(http.StatusNoContent, req{method: http.MethodPost, path: "/api/v1/auth/password/reset", body: map[string]string{"token": reset, "password": "brand-new-pw"}})
	b.wantError(http.StatusUnauthorized, "session_expired", req{method: http.MethodGet, path: "/api/v1/session", as: ada})
	b.wantError(http.StatusNotFound, "invalid_link", req{method: http.MethodPost, path: "/api/v1/auth/password/reset", body: map[string]string{"token": reset, "password": "brand-new-pw"}})
	b.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: map[string]string{"email": "ada@example.com", "password": "brand-new-pw"}})
	b.wantError(http.StatusUnauthorized, "invalid_credentials", req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: map[string]string{"email": "ada@example.com", "password": testPassword}})
	b.wantError(http.StatusUnauthorized, "invalid_credentials", req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: map[string]string{"email": "nobody@example.com", "password": testPassword}})
}

func TestValidationErrors(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	admin := b.claim()
	for _, tt := range []struct {
		name   string
		r      req
		status int
		code   string
		fields map[string]any
	}{
		{"malformed JSON", req{method: http.MethodPost, path: "/api/v1/auth/sign-up", body: `{"name": "A",`}, 400, "invalid_request", nil},
		{"not an object", req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: `[]`}, 422, "validation_failed", map[string]any{"body": "value must be an object"}},
		{"missing fields", req{method: http.MethodPost, path: "/api/v1/auth/sign-up", body: `{"name": "A"}`}, 422, "validation_failed",
			map[string]any{"email": "is required", "password": "is required"}},
		{"unknown field", req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: `{"email": "a@example.com", "password": "x", "remember": true}`}, 422, "validation_failed",
			map[string]any{"remember": "is not a known field"}},
		{"short password", req{method: http.MethodPost, path: "/api/v1/auth/sign-up", body: map[string]string{"name": "A", "email": "a@example.com", "password": "1234"}}, 422, "validation_failed",
			map[string]any{"password": "minimum string length is 8"}},
		{"bad address", req{method: http.MethodPost, path: "/api/v1/auth/sign-up", body: map[string]string{"name": "A", "email": "nope", "password": testPassword}}, 422, "validation_failed",
			map[string]any{"email": "must be an e-mail address such as ada@example.com"}},
		{"long name", req{method: http.MethodPatch, path: "/api/v1/me", as: admin, body: map[string]string{"name": strings.Repeat("n", 101)}}, 422, "validation_failed",
			map[string]any{"name": "maximum string length is 100"}},
		{"bad scope", req{method: http.MethodPost, path: "/api/v1/me/tokens", as: admin, body: map[string]any{"name": "t", "scope": "root"}}, 422, "validation_failed", nil},
		{"lifetime too long", req{method: http.MethodPost, path: "/api/v1/me/tokens", as: admin, body: map[string]any{"name": "t", "scope": "read", "expiresInDays": 367}}, 422, "validation_failed",
			map[string]any{"expiresInDays": "number must be at most 366"}},
		{"bad cursor", req{method: http.MethodGet, path: "/api/v1/admin/users?cursor=%25%25", as: admin}, 400, "invalid_request", nil},
		{"bad limit", req{method: http.MethodGet, path: "/api/v1/admin/mail?limit=1000", as: admin}, 400, "invalid_request", nil},
		{"huge body", req{method: http.MethodPost, path: "/api/v1/auth/sign-in", body: `{"email":"` + strings.Repeat("a", 2<<20) + `"}`}, 413, "request_bytes", nil},
		{"huge chunked body", req{method: http.MethodPost, path: "/api/v1/auth/sign-in", chunked: true, body: `{"email":"` + strings.Repeat("a", 2<<20) + `"}`}, 413, "request_bytes", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			body := b.wantError(tt.status, tt.code, tt.r)
			if tt.fields != nil {
				require.Equal(t, tt.fields, body["fields"])
			}
		})
	}
}

func TestInviteOnlySignUpOverHTTP(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, func(o *account.Options) { o.Signup = account.SignupInvite })
	admin := b.claim()
	b.wantError(http.StatusForbidden, "invitation_required", req{method: http.MethodPost, path: "/api/v1/auth/sign-up",
		body: map[string]string{"name": "Ada", "email": "ada@example.com", "password": testPassword}})

	inv := b.want(http.StatusCreated, req{method: http.MethodPost, path: "/api/v1/admin/invitations", as: admin, body: map[string]string{"email": "Ada@Example.com"}})
	require.Equal(t, "ada@example.com", inv["email"])
	token := b.linkTo("ada@example.com")
	got := b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/invitations/" + token})
	require.Equal(t, "ada@example.com", got["email"])
	b.wantError(http.StatusNotFound, "invalid_link", req{method: http.MethodGet, path: "/api/v1/invitations/" + strings.Repeat("x", 43)})

	rec := b.do(req{method: http.MethodPost, path: "/api/v1/auth/sign-up",
		body: map[string]string{"name": "Ada", "email": "ada@example.com", "password": testPassword, "invitationToken": token}})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	ada := sessionFrom(t, rec)
	b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/session", as: ada})
	b.wantError(http.StatusConflict, "email_taken", req{method: http.MethodPost, path: "/api/v1/admin/invitations", as: admin, body: map[string]string{"email": "ada@example.com"}})
	b.wantError(http.StatusForbidden, "admin_required", req{method: http.MethodPost, path: "/api/v1/admin/invitations", as: ada, body: map[string]string{"email": "bob@example.com"}})
}

func TestMeOverHTTP(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	b.claim()
	b.user("ada@example.com")
	b.user("bob@example.com")
	ada := b.signIn("ada@example.com")

	me := b.want(http.StatusOK, req{method: http.MethodPatch, path: "/api/v1/me", as: ada, body: map[string]string{"name": " Ada Lovelace "}})
	require.Equal(t, "Ada Lovelace", me["name"])

	b.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: "/api/v1/me/password", as: ada,
		body: map[string]string{"currentPassword": "wrong", "newPassword": "a-new-password"}})

	b.want(http.StatusAccepted, req{method: http.MethodPost, path: "/api/v1/me/email", as: ada,
		body: map[string]string{"currentPassword": testPassword, "email": "lovelace@example.com"}})
	session := b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/session", as: ada})
	require.Equal(t, "lovelace@example.com", session["user"].(map[string]any)["pendingEmail"])
	body := b.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/auth/confirm", body: map[string]string{"token": b.linkTo("lovelace@example.com")}})
	require.Equal(t, true, body["emailChanged"])
	session = b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/session", as: ada})
	require.Equal(t, "lovelace@example.com", session["user"].(map[string]any)["email"])
	require.NotContains(t, session["user"], "pendingEmail")

	created := b.want(http.StatusCreated, req{method: http.MethodPost, path: "/api/v1/me/tokens", as: ada,
		body: map[string]any{"name": "deploy", "scope": "write", "expiresInDays": 7}})
	require.Regexp(t, `^logister_pat_[0-9a-f]{64}$`, created["token"])
	require.Equal(t, "write", created["scope"])
	list := b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/me/tokens", as: ada})
	tokens := list["tokens"].([]any)
	require.Len(t, tokens, 1)
	require.NotContains(t, tokens[0], "token", "the plaintext is shown once")

	bob := b.signIn("bob@example.com")
	b.wantError(http.StatusNotFound, "not_found", req{method: http.MethodDelete, path: "/api/v1/me/tokens/" + created["id"].(string), as: bob})
	b.wantError(http.StatusNotFound, "not_found", req{method: http.MethodDelete, path: "/api/v1/me/tokens/not-a-uuid", as: ada})
	b.want(http.StatusNoContent, req{method: http.MethodDelete, path: "/api/v1/me/tokens/" + created["id"].(string), as: ada})
	b.wantError(http.StatusUnauthorized, "invalid_token", req{method: http.MethodGet, path: "/api/v1/session", as: &principal{bearer: created["token"].(string)}})
}

func TestAdminOverHTTP(t *testing.T) {
	t.Parallel()
	b := setupAuth(t, nil)
	admin := b.claim()
	adminID := admin.user["id"].(string)
	for _, e := range []string{"ann@example.com", "bea@example.org", "cid@example.com"} {
		b.user(e)
	}
	b.want(http.StatusAccepted, req{method: http.MethodPost, path: "/api/v1/auth/sign-up",
		body: map[string]string{"name": "Dee", "email": "dee@example.com", "password": testPassword}})

	page := b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/admin/users?limit=2", as: admin})
	require.Len(t, page["users"], 2)
	require.Equal(t, "dee@example.com", page["users"].([]any)[0].(map[string]any)["email"])
	next := b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/admin/users?limit=2&cursor=" + page["nextCursor"].(string), as: admin})
	require.Len(t, next["users"], 2)
	found := b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/admin/users?q=example.org", as: admin})
	require.Len(t, found["users"], 1)
	dee := page["users"].([]any)[0].(map[string]any)
	require.Equal(t, false, dee["confirmed"])
	deeID := dee["id"].(string)

	b.want(http.StatusAccepted, req{method: http.MethodPost, path: "/api/v1/admin/users/" + deeID + "/resend-confirmation", as: admin})
	confirmed := b.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/admin/users/" + deeID + "/confirm", as: admin})
	require.Equal(t, true, confirmed["confirmed"])
	b.wantError(http.StatusConflict, "already_confirmed", req{method: http.MethodPost, path: "/api/v1/admin/users/" + deeID + "/resend-confirmation", as: admin})

	disabled := b.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/admin/users/" + deeID + "/disable", as: admin})
	require.Equal(t, true, disabled["disabled"])
	b.wantError(http.StatusForbidden, "account_disabled", req{method: http.MethodPost, path: "/api/v1/auth/sign-in",
		body: map[string]string{"email": "dee@example.com", "password": testPassword}})
	enabled := b.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/admin/users/" + deeID + "/enable", as: admin})
	require.Equal(t, false, enabled["disabled"])
	b.signIn("dee@example.com")

	b.wantError(http.StatusConflict, "cannot_disable_self", req{method: http.MethodPost, path: "/api/v1/admin/users/" + adminID + "/disable", as: admin})
	b.wantError(http.StatusConflict, "cannot_delete_self", req{method: http.MethodDelete, path: "/api/v1/admin/users/" + adminID, as: admin})
	b.want(http.StatusNoContent, req{method: http.MethodDelete, path: "/api/v1/admin/users/" + deeID, as: admin})
	b.wantError(http.StatusNotFound, "not_found", req{method: http.MethodDelete, path: "/api/v1/admin/users/" + deeID, as: admin})
	b.wantError(http.StatusNotFound, "not_found", req{method: http.MethodPost, path: "/api/v1/admin/users/nope/confirm", as: admin})

	inst := b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/admin/instance", as: admin})
	require.Equal(t, "1.2.3", inst["version"])
	require.Equal(t, "open", inst["signup"])
	require.Equal(t, []any{
		map[string]any{"name": "database", "configured": true, "ok": true},
		map[string]any{"name": "redis", "configured": false},
		map[string]any{"name": "smtp", "configured": false},
		map[string]any{"name": "s3", "configured": false},
		map[string]any{"name": "clickhouse", "configured": false},
		map[string]any{"name": "github", "configured": false},
	}, inst["services"])

	mail := b.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/admin/mail?limit=1", as: admin})
	require.Len(t, mail["messages"], 1)
	require.NotEmpty(t, mail["nextCursor"])
}
