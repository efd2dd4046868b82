package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/store"
)

// team is a server with an instance administrator and three users: Olive (who will own
// projects), Adam and Vera, each signed in.
type team struct {
	*authBundle
	root, olive, adam, vera *principal
	oliveU, adamU, veraU    *account.User
}

func setupTeam(t *testing.T, mutate func(*account.Options)) *team {
	t.Helper()
	b := setupAuth(t, mutate)
	tm := &team{authBundle: b, root: b.claim()}
	tm.oliveU, tm.adamU, tm.veraU = b.user("olive@example.com"), b.user("adam@example.com"), b.user("vera@example.com")
	tm.olive, tm.adam, tm.vera = b.session(tm.oliveU), b.session(tm.adamU), b.session(tm.veraU)
	return tm
}

// create makes a project over HTTP as p and returns its JSON.
func (tm *team) create(p *principal, body map[string]any) map[string]any {
	tm.t.Helper()
	return tm.want(http.StatusCreated, req{method: http.MethodPost, path: "/api/v1/projects", body: body, as: p})
}

// shop is a project owned by Olive with Adam as admin and Vera as viewer.
func (tm *team) shop() map[string]any {
	tm.t.Helper()
	p := tm.create(tm.olive, map[string]any{"name": "Shop", "integrationKind": "ruby", "description": "The web shop"})
	id := p["id"].(string)
	tm.want(http.StatusCreated, req{method: http.MethodPost, path: "/api/v1/projects/" + id + "/members", as: tm.olive,
		body: map[string]any{"email": "adam@example.com", "role": "admin"}})
	tm.want(http.StatusCreated, req{method: http.MethodPost, path: "/api/v1/projects/" + id + "/members", as: tm.olive,
		body: map[string]any{"email": "vera@example.com"}})
	return p
}

func (b *authBundle) newKey(projectID string, as *principal) string {
	b.t.Helper()
	body := b.want(http.StatusCreated, req{method: http.MethodPost, path: "/api/v1/projects/" + projectID + "/api-keys", as: as,
		body: map[string]any{"name": "CI"}})
	return body["key"].(string)
}

// ingest sends one body to a public ingestion endpoint with key and returns the status.
func (b *authBundle) ingest(key, path, body string) int {
	b.t.Helper()
	header := map[string]string{"Authorization": "Bearer " + key}
	if strings.HasSuffix(path, "/batch") {
		header["Content-Type"] = "application/x-ndjson"
	}
	rec := b.do(req{method: http.MethodPost, path: path, body: body, header: header})
	if rec.Code >= 400 && rec.Code != http.StatusUnauthorized {
		b.t.Logf("%s: %d %s", path, rec.Code, rec.Body.String())
	}
	return rec.Code
}

func (b *authBundle) count(query string, args ...any) int {
	b.t.Helper()
	var n int
	require.NoError(b.t, b.store.Pool.QueryRow(context.Background(), query, args...).Scan(&n))
	return n
}

func (b *authBundle) projectRowID(id string) int64 {
	b.t.Helper()
	var n int64
	require.NoError(b.t, b.store.Pool.QueryRow(context.Background(), "SELECT id FROM projects WHERE uuid = $1", id).Scan(&n))
	return n
}

func list(body map[string]any, field string) []map[string]any {
	var out []map[string]any
	for _, item := range body[field].([]any) {
		out = append(out, item.(map[string]any))
	}
	return out
}

func TestCreateAndGetProject(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	p := tm.create(tm.olive, map[string]any{"name": "  My Shop ", "integrationKind": "python", "description": "Orders"})
	require.Equal(t, "My Shop", p["name"])
	require.Equal(t, "my-shop", p["slug"])
	require.Equal(t, "python", p["integrationKind"])
	require.Equal(t, "Orders", p["description"])
	require.Equal(t, "owner", p["role"])
	require.Equal(t, "owner", p["access"])
	require.Equal(t, false, p["archived"])
	require.Equal(t, "olive@example.com", p["owner"].(map[string]any)["email"])
	_, err := uuid.Parse(p["id"].(string))
	require.NoError(t, err)

	got := tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects/" + p["id"].(string), as: tm.olive})
	require.Equal(t, p, got)

	// The slug is unique per owner: the same name gets "-2" for Olive, but not for Adam.
	require.Equal(t, "my-shop-2", tm.create(tm.olive, map[string]any{"name": "My Shop"})["slug"])
	require.Equal(t, "my-shop", tm.create(tm.adam, map[string]any{"name": "My Shop"})["slug"])
	require.Equal(t, "http_api", tm.create(tm.adam, map[string]any{"name": "Default kind"})["integrationKind"])
	// A slug asked for and taken is a conflict.
	tm.wantError(http.StatusConflict, "slug_taken", req{method: http.MethodPost, path: "/api/v1/projects", as: tm.olive,
		body: map[string]any{"name": "Other", "slug": "my-shop"}})
	require.Equal(t, "my-shop", tm.create(tm.vera, map[string]any{"name": "Other", "slug": "my-shop"})["slug"])

	t.Run("validation", func(t *testing.T) {
		for _, tt := range []struct {
			body  any
			field string
		}{
			{map[string]any{"name": "   "}, "name"},
			{map[string]any{"name": ""}, "name"},
			{map[string]any{}, "name"},
			{map[string]any{"name": strings.Repeat("x", 201)}, "name"},
			{map[string]any{"name": "x", "integrationKind": "cobol"}, "integrationKind"},
			{map[string]any{"name": "x", "slug": "Not A Slug"}, "slug"},
			{map[string]any{"name": "x", "description": strings.Repeat("d", 2001)}, "description"},
			{map[string]any{"name": "x", "owner": "someone"}, "owner"},
		} {
			body := tm.wantError(http.StatusUnprocessableEntity, "validation_failed",
				req{method: http.MethodPost, path: "/api/v1/projects", as: tm.olive, body: tt.body})
			require.Contains(t, body["fields"], tt.field, "%v", tt.body)
		}
	})
}

func TestListProjects(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()
	other := tm.create(tm.adam, map[string]any{"name": "Adam's"})
	archived := tm.create(tm.olive, map[string]any{"name": "Old"})
	tm.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/projects/" + archived["id"].(string) + "/archive", as: tm.olive})

	names := func(as *principal, query string) map[string]string {
		body := tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects" + query, as: as})
		out := map[string]string{}
		for _, p := range list(body, "projects") {
			out[p["name"].(string)] = p["role"].(string) + "/" + p["access"].(string)
		}
		return out
	}
	require.Equal(t, map[string]string{"Shop": "owner/owner"}, names(tm.olive, ""))
	require.Equal(t, map[string]string{"Shop": "owner/owner"}, names(tm.olive, "?state=active"))
	require.Equal(t, map[string]string{"Old": "owner/owner"}, names(tm.olive, "?state=archived"))
	require.Equal(t, map[string]string{"Shop": "owner/owner", "Old": "owner/owner"}, names(tm.olive, "?state=all"))
	require.Equal(t, map[string]string{"Shop": "admin/admin", "Adam's": "owner/owner"}, names(tm.adam, ""))
	require.Equal(t, map[string]string{"Shop": "viewer/viewer"}, names(tm.vera, ""))
	// Instance administrators see only their own projects here (all of them in the admin API).
	require.Equal(t, map[string]string{}, names(tm.root, "?state=all"))
	tm.wantError(http.StatusBadRequest, "invalid_request", req{method: http.MethodGet, path: "/api/v1/projects?state=deleted", as: tm.olive})

	// An instance administrator opening a project they have no role in has owner access.
	got := tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects/" + other["id"].(string), as: tm.root})
	require.Nil(t, got["role"])
	require.Equal(t, "owner", got["access"])
	require.Equal(t, "viewer", tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects/" + shop["id"].(string), as: tm.vera})["access"])
}

func TestUpdateProject(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()
	tm.create(tm.olive, map[string]any{"name": "Taken"})
	path := "/api/v1/projects/" + shop["id"].(string)

	got := tm.want(http.StatusOK, req{method: http.MethodPatch, path: path, as: tm.adam,
		body: map[string]any{"name": "Web Shop", "slug": "web-shop", "description": "", "integrationKind": "javascript"}})
	require.Equal(t, "Web Shop", got["name"])
	require.Equal(t, "web-shop", got["slug"])
	require.Equal(t, "", got["description"])
	require.Equal(t, "javascript", got["integrationKind"])
	require.Equal(t, "admin", got["access"])
	got = tm.want(http.StatusOK, req{method: http.MethodPatch, path: path, as: tm.adam, body: map[string]any{"description": "d"}})
	require.Equal(t, "Web Shop", got["name"], "fields left out stay")

	tm.wantError(http.StatusConflict, "slug_taken", req{method: http.MethodPatch, path: path, as: tm.olive, body: map[string]any{"slug": "taken"}})
	for _, body := range []any{map[string]any{}, map[string]any{"name": " "}, map[string]any{"integrationKind": "cobol"},
		map[string]any{"slug": "-x"}, map[string]any{"archived": true}} {
		tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPatch, path: path, as: tm.olive, body: body})
	}
	tm.wantError(http.StatusForbidden, "insufficient_role", req{method: http.MethodPatch, path: path, as: tm.vera, body: map[string]any{"name": "x"}})
}

func TestArchiveRevokesKeysAndRestoreKeepsThemRevoked(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	tm.keys.CacheTTL = 0 // every ingestion request reads the key afresh
	shop := tm.shop()
	id := shop["id"].(string)
	keys := []string{tm.newKey(id, tm.adam), tm.newKey(id, tm.olive)}
	revoked := tm.newKey(id, tm.olive)
	listKeys := func() []map[string]any {
		return list(tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects/" + id + "/api-keys", as: tm.adam}), "apiKeys")
	}
	// Revoke one beforehand: its time must survive the archive.
	for _, k := range listKeys() {
		if strings.HasPrefix(revoked, k["hint"].(string)) {
			tm.want(http.StatusNoContent, req{method: http.MethodDelete, path: "/api/v1/projects/" + id + "/api-keys/" + k["id"].(string), as: tm.adam})
		}
	}
	var revokedAt string
	require.NoError(t, tm.store.Pool.QueryRow(context.Background(), "SELECT revoked_at::text FROM api_keys WHERE revoked_at IS NOT NULL").Scan(&revokedAt))
	for _, k := range keys {
		require.Equal(t, http.StatusCreated, tm.ingest(k, "/api/v1/ingest_events", `{"event":{"event_type":"log","message":"hi"}}`))
	}

	tm.wantError(http.StatusForbidden, "insufficient_role", req{method: http.MethodPost, path: "/api/v1/projects/" + id + "/archive", as: tm.adam})
	got := tm.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/projects/" + id + "/archive", as: tm.olive})
	require.Equal(t, true, got["archived"])
	require.NotEmpty(t, got["archivedAt"])
	// Every key was revoked in the same transaction as the archive: same time.
	require.Equal(t, 0, tm.count("SELECT count(*) FROM api_keys WHERE revoked_at IS NULL"))
	require.Equal(t, 1, tm.count(`SELECT count(DISTINCT k.revoked_at) FROM api_keys k JOIN projects p ON p.id = k.project_id
		WHERE k.revoked_at = p.archived_at`))
	require.Equal(t, 1, tm.count("SELECT count(*) FROM api_keys WHERE revoked_at::text = $1", revokedAt), "the earlier revocation keeps its time")
	for _, k := range listKeys() {
		require.Equal(t, false, k["active"])
		require.NotEmpty(t, k["revokedAt"])
	}
	for _, k := range keys {
		require.Equal(t, http.StatusUnauthorized, tm.ingest(k, "/api/v1/ingest_events", `{"event":{"event_type":"log","message":"hi"}}`))
	}
	tm.wantError(http.StatusConflict, "already_archived", req{method: http.MethodPost, path: "/api/v1/projects/" + id + "/archive", as: tm.olive})
	tm.wantError(http.StatusConflict, "project_archived", req{method: http.MethodPost, path: "/api/v1/projects/" + id + "/api-keys", as: tm.olive,
		body: map[string]any{"name": "new"}})
	// Archived projects are still readable by their team.
	tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects/" + id, as: tm.vera})

	got = tm.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/projects/" + id + "/restore", as: tm.olive})
	require.Equal(t, false, got["archived"])
	require.Nil(t, got["archivedAt"])
	for _, k := range keys {
		require.Equal(t, http.StatusUnauthorized, tm.ingest(k, "/api/v1/ingest_events", `{"event":{"event_type":"log","message":"hi"}}`),
			"restoring does not bring keys back")
	}
	require.Equal(t, 0, tm.count("SELECT count(*) FROM api_keys WHERE revoked_at IS NULL"))
	fresh := tm.newKey(id, tm.adam)
	require.Equal(t, http.StatusCreated, tm.ingest(fresh, "/api/v1/ingest_events", `{"event":{"event_type":"log","message":"hi"}}`))
	tm.wantError(http.StatusConflict, "not_archived", req{method: http.MethodPost, path: "/api/v1/projects/" + id + "/restore", as: tm.olive})
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop := tm.shop()
	id := shop["id"].(string)
	path := "/api/v1/projects/" + id + "/api-keys"

	created := tm.want(http.StatusCreated, req{method: http.MethodPost, path: path, as: tm.adam, body: map[string]any{"name": " Production "}})
	key := created["key"].(string)
	require.Regexp(t, `^logister_[0-9a-f]{48}$`, key)
	require.Equal(t, "Production", created["name"])
	require.Equal(t, key[:len("logister_")+4], created["hint"])
	require.Equal(t, true, created["active"])
	require.Nil(t, created["lastUsedAt"])
	require.Equal(t, 0, tm.count("SELECT count(*) FROM api_keys WHERE token_digest = $1 OR token_hint = $1", key), "only the digest is stored")

	keys := list(tm.want(http.StatusOK, req{method: http.MethodGet, path: path, as: tm.olive}), "apiKeys")
	require.Len(t, keys, 1)
	require.Nil(t, keys[0]["key"], "the plaintext is shown once")
	require.Nil(t, keys[0]["lastUsedAt"])

	// Using the key shows when it was last used.
	require.Equal(t, http.StatusCreated, tm.ingest(key, "/api/v1/ingest_events", `{"event":{"event_type":"log","message":"hi"}}`))
	keys = list(tm.want(http.StatusOK, req{method: http.MethodGet, path: path, as: tm.olive}), "apiKeys")
	require.NotEmpty(t, keys[0]["lastUsedAt"])

	for _, body := range []any{map[string]any{}, map[string]any{"name": ""}, map[string]any{"name": "   "}, map[string]any{"name": strings.Repeat("n", 201)}} {
		tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: path, as: tm.adam, body: body})
	}
	tm.wantError(http.StatusForbidden, "insufficient_role", req{method: http.MethodGet, path: path, as: tm.vera})

	kid := keys[0]["id"].(string)
	tm.want(http.StatusNoContent, req{method: http.MethodDelete, path: path + "/" + kid, as: tm.adam})
	tm.want(http.StatusNoContent, req{method: http.MethodDelete, path: path + "/" + kid, as: tm.adam}) // no change, no error
	keys = list(tm.want(http.StatusOK, req{method: http.MethodGet, path: path, as: tm.olive}), "apiKeys")
	require.Len(t, keys, 1, "a revoked key stays listed")
	require.Equal(t, false, keys[0]["active"])
	require.NotEmpty(t, keys[0]["revokedAt"])
	require.NotEmpty(t, keys[0]["lastUsedAt"])
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodDelete, path: path + "/" + uuid.NewString(), as: tm.adam})
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodDelete, path: path + "/1", as: tm.adam})
}

func TestMembers(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	p := tm.create(tm.olive, map[string]any{"name": "Shop"})
	id := p["id"].(string)
	members := "/api/v1/projects/" + id + "/members"

	added := tm.want(http.StatusCreated, req{method: http.MethodPost, path: members, as: tm.olive, body: map[string]any{"email": " ADAM@example.com", "role": "admin"}})
	require.Equal(t, "admin", added["role"])
	require.Equal(t, "adam@example.com", added["user"].(map[string]any)["email"])
	require.Contains(t, tm.lastMailTo("adam@example.com"), "added you to the project Shop")
	added = tm.want(http.StatusCreated, req{method: http.MethodPost, path: members, as: tm.adam, body: map[string]any{"email": "vera@example.com"}})
	require.Equal(t, "viewer", added["role"], "viewer is the default role")

	team := list(tm.want(http.StatusOK, req{method: http.MethodGet, path: members, as: tm.vera}), "members")
	var roles []string
	for _, m := range team {
		roles = append(roles, m["user"].(map[string]any)["email"].(string)+":"+m["role"].(string))
	}
	require.Equal(t, []string{"olive@example.com:owner", "adam@example.com:admin", "vera@example.com:viewer"}, roles)

	tm.wantError(http.StatusConflict, "already_member", req{method: http.MethodPost, path: members, as: tm.olive, body: map[string]any{"email": "vera@example.com"}})
	tm.wantError(http.StatusConflict, "already_owner", req{method: http.MethodPost, path: members, as: tm.adam, body: map[string]any{"email": "olive@example.com"}})
	for _, body := range []any{map[string]any{"email": "not an address"}, map[string]any{"email": "x@example.com", "role": "owner"},
		map[string]any{"email": "x@example.com", "role": "superuser"}, map[string]any{}} {
		tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPost, path: members, as: tm.olive, body: body})
	}
	tm.wantError(http.StatusForbidden, "insufficient_role", req{method: http.MethodPost, path: members, as: tm.vera, body: map[string]any{"email": "x@example.com"}})

	vera := members + "/" + tm.veraU.UUID.String()
	adam := members + "/" + tm.adamU.UUID.String()
	olive := members + "/" + tm.oliveU.UUID.String()
	got := tm.want(http.StatusOK, req{method: http.MethodPatch, path: vera, as: tm.adam, body: map[string]any{"role": "admin"}})
	require.Equal(t, "admin", got["role"])
	tm.want(http.StatusOK, req{method: http.MethodPatch, path: vera, as: tm.olive, body: map[string]any{"role": "viewer"}})
	tm.wantError(http.StatusConflict, "owner_role_fixed", req{method: http.MethodPatch, path: olive, as: tm.adam, body: map[string]any{"role": "viewer"}})
	tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPatch, path: vera, as: tm.adam, body: map[string]any{"role": "owner"}})
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodPatch, path: members + "/" + uuid.NewString(), as: tm.adam, body: map[string]any{"role": "viewer"}})

	// Removing: viewers may only leave; the owner cannot go.
	tm.wantError(http.StatusForbidden, "insufficient_role", req{method: http.MethodDelete, path: adam, as: tm.vera})
	tm.wantError(http.StatusConflict, "owner_cannot_leave", req{method: http.MethodDelete, path: olive, as: tm.adam})
	tm.wantError(http.StatusConflict, "owner_cannot_leave", req{method: http.MethodDelete, path: olive, as: tm.olive})
	tm.want(http.StatusNoContent, req{method: http.MethodDelete, path: vera, as: tm.vera})
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: "/api/v1/projects/" + id, as: tm.vera}) // gone with the membership
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodDelete, path: vera, as: tm.adam})
	tm.want(http.StatusNoContent, req{method: http.MethodDelete, path: adam, as: tm.olive})
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: members, as: tm.adam})

	// Deleting a member's account removes the membership; deleting an owner's is refused.
	tm.want(http.StatusCreated, req{method: http.MethodPost, path: members, as: tm.olive, body: map[string]any{"email": "vera@example.com"}})
	tm.want(http.StatusNoContent, req{method: http.MethodDelete, path: "/api/v1/admin/users/" + tm.veraU.UUID.String(), as: tm.root})
	require.Equal(t, 0, tm.count("SELECT count(*) FROM project_members"))
	tm.wantError(http.StatusConflict, "user_owns_data", req{method: http.MethodDelete, path: "/api/v1/admin/users/" + tm.oliveU.UUID.String(), as: tm.root})
}

// lastMailTo is the text of the newest e-mail to an address.
func (b *authBundle) lastMailTo(to string) string {
	b.t.Helper()
	page, err := b.outbox.List(context.Background(), "", 200)
	require.NoError(b.t, err)
	for _, m := range page.Messages {
		if m.To == to {
			return m.Text
		}
	}
	b.t.Fatalf("no mail to %s", to)
	return ""
}

func TestInvitations(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	p := tm.create(tm.olive, map[string]any{"name": "Shop"})
	id := p["id"].(string)
	members := "/api/v1/projects/" + id + "/members"
	invitations := "/api/v1/projects/" + id + "/invitations"

	t.Run("a new user signs up with the invitation and lands in the project", func(t *testing.T) {
		inv := tm.want(http.StatusAccepted, req{method: http.MethodPost, path: members, as: tm.olive,
			body: map[string]any{"email": "Newbie@Example.com", "role": "admin"}})
		require.Equal(t, "newbie@example.com", inv["email"])
		require.Equal(t, "admin", inv["role"])
		require.Equal(t, "olive@example.com", inv["invitedBy"].(map[string]any)["email"])
		require.Contains(t, tm.lastMailTo("newbie@example.com"), "invites you to the project Shop")
		token := tm.linkTo("newbie@example.com")

		pending := list(tm.want(http.StatusOK, req{method: http.MethodGet, path: invitations, as: tm.olive}), "invitations")
		require.Len(t, pending, 1)
		require.Equal(t, inv["id"], pending[0]["id"])

		shown := tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/invitations/" + token})
		require.Equal(t, "newbie@example.com", shown["email"])
		require.Equal(t, "Shop", shown["projectName"])
		require.Equal(t, "admin", shown["role"])

		rec := tm.do(req{method: http.MethodPost, path: "/api/v1/auth/sign-up", body: map[string]any{
			"name": "Newbie", "email": "newbie@example.com", "password": testPassword, "invitationToken": token}})
		require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
		newbie := sessionFrom(t, rec)
		projects := list(tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects", as: newbie}), "projects")
		require.Len(t, projects, 1)
		require.Equal(t, id, projects[0]["id"])
		require.Equal(t, "admin", projects[0]["role"])
		require.Empty(t, list(tm.want(http.StatusOK, req{method: http.MethodGet, path: invitations, as: tm.olive}), "invitations"))
		tm.wantError(http.StatusNotFound, "invalid_link", req{method: http.MethodGet, path: "/api/v1/invitations/" + token})
	})

	t.Run("an existing user is added directly", func(t *testing.T) {
		tm.want(http.StatusCreated, req{method: http.MethodPost, path: members, as: tm.olive, body: map[string]any{"email": "adam@example.com", "role": "admin"}})
		tm.want(http.StatusCreated, req{method: http.MethodPost, path: members, as: tm.olive, body: map[string]any{"email": "vera@example.com"}})
		require.Zero(t, tm.count("SELECT count(*) FROM account_tokens WHERE email IN ('adam@example.com', 'vera@example.com')"), "no invitation")
	})

	t.Run("invitations into several projects; confirming the address joins them all", func(t *testing.T) {
		other := tm.create(tm.adam, map[string]any{"name": "Other"})
		tm.want(http.StatusAccepted, req{method: http.MethodPost, path: members, as: tm.olive, body: map[string]any{"email": "late@example.com"}})
		tm.want(http.StatusAccepted, req{method: http.MethodPost, path: "/api/v1/projects/" + other["id"].(string) + "/members", as: tm.adam,
			body: map[string]any{"email": "late@example.com", "role": "admin"}})
		// A newer invitation into the same project replaces the older one.
		tm.want(http.StatusAccepted, req{method: http.MethodPost, path: members, as: tm.olive, body: map[string]any{"email": "late@example.com", "role": "viewer"}})
		require.Len(t, list(tm.want(http.StatusOK, req{method: http.MethodGet, path: invitations, as: tm.olive}), "invitations"), 1)

		// Signing up without the link: nothing joins until the address is confirmed.
		tm.want(http.StatusAccepted, req{method: http.MethodPost, path: "/api/v1/auth/sign-up",
			body: map[string]any{"name": "Late", "email": "late@example.com", "password": testPassword}})
		u, err := tm.accounts.UserByEmail(context.Background(), "late@example.com")
		require.NoError(t, err)
		require.Equal(t, 0, tm.count("SELECT count(*) FROM project_members WHERE user_id = $1", u.ID))
		tm.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/auth/confirm", body: map[string]any{"token": tm.confirmLinkTo("late@example.com")}})
		require.Equal(t, 2, tm.count("SELECT count(*) FROM project_members WHERE user_id = $1", u.ID))
		require.Equal(t, 1, tm.count("SELECT count(*) FROM project_members WHERE user_id = $1 AND role = 'admin'", u.ID))
	})

	t.Run("a signed-in user accepts with the link", func(t *testing.T) {
		// Someone whose account exists already (created by an operator, say) holds an invitation.
		carl := tm.user("carl@example.com")
		inviteID, err := tm.accounts.InviteToProject(context.Background(), tm.store.DB, account.ProjectInvite{
			Inviter: tm.oliveU, Email: "carl@example.com", ProjectID: tm.projectRowID(id), ProjectName: "Shop", Role: "viewer"})
		require.NoError(t, err)
		require.NotEqual(t, uuid.Nil, inviteID.ID)
		token := tm.linkTo("carl@example.com")
		tm.wantError(http.StatusForbidden, "invitation_for_another_address", req{method: http.MethodPost,
			path: "/api/v1/invitations/" + token + "/accept", as: tm.vera})
		got := tm.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/invitations/" + token + "/accept", as: tm.session(carl)})
		require.Equal(t, id, got["id"])
		require.Equal(t, "viewer", got["role"])
		tm.wantError(http.StatusNotFound, "invalid_link", req{method: http.MethodPost, path: "/api/v1/invitations/" + token + "/accept", as: tm.session(carl)})
		// An instance invitation is not a project invitation.
		tm.want(http.StatusCreated, req{method: http.MethodPost, path: "/api/v1/admin/invitations", as: tm.root, body: map[string]any{"email": "solo@example.com"}})
		tm.wantError(http.StatusNotFound, "invalid_link", req{method: http.MethodPost,
			path: "/api/v1/invitations/" + tm.linkTo("solo@example.com") + "/accept", as: tm.session(carl)})
	})

	t.Run("revoking an invitation", func(t *testing.T) {
		inv := tm.want(http.StatusAccepted, req{method: http.MethodPost, path: members, as: tm.olive, body: map[string]any{"email": "nope@example.com"}})
		token := tm.linkTo("nope@example.com")
		tm.wantError(http.StatusForbidden, "insufficient_role", req{method: http.MethodDelete, path: invitations + "/" + inv["id"].(string), as: tm.vera})
		tm.want(http.StatusNoContent, req{method: http.MethodDelete, path: invitations + "/" + inv["id"].(string), as: tm.adam})
		tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodDelete, path: invitations + "/" + inv["id"].(string), as: tm.adam})
		tm.wantError(http.StatusNotFound, "invalid_link", req{method: http.MethodPost, path: "/api/v1/auth/sign-up", body: map[string]any{
			"name": "Nope", "email": "nope@example.com", "password": testPassword, "invitationToken": token}})
	})
}

// confirmLinkTo returns the token of the newest confirmation link mailed to an address.
func (b *authBundle) confirmLinkTo(to string) string {
	b.t.Helper()
	page, err := b.outbox.List(context.Background(), "", 200)
	require.NoError(b.t, err)
	for _, m := range page.Messages {
		if m.To == to && m.Kind == "confirm_email" {
			match := mailLink.FindStringSubmatch(m.Text)
			require.NotNil(b.t, match, m.Text)
			return match[1]
		}
	}
	b.t.Fatalf("no confirmation mail to %s", to)
	return ""
}

func TestInvitationsWhenSignupIsByInvitation(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, func(o *account.Options) { o.Signup = account.SignupInvite })
	p := tm.create(tm.olive, map[string]any{"name": "Shop"})
	members := "/api/v1/projects/" + p["id"].(string) + "/members"
	// Project owners may add existing users, but only instance administrators invite new people.
	tm.want(http.StatusCreated, req{method: http.MethodPost, path: members, as: tm.olive, body: map[string]any{"email": "adam@example.com", "role": "admin"}})
	tm.wantError(http.StatusForbidden, "invitation_not_allowed", req{method: http.MethodPost, path: members, as: tm.adam, body: map[string]any{"email": "new@example.com"}})
	tm.wantError(http.StatusForbidden, "invitation_not_allowed", req{method: http.MethodPost, path: members, as: tm.olive, body: map[string]any{"email": "new@example.com"}})
	tm.want(http.StatusAccepted, req{method: http.MethodPost, path: members, as: tm.root, body: map[string]any{"email": "new@example.com"}})
	rec := tm.do(req{method: http.MethodPost, path: "/api/v1/auth/sign-up", body: map[string]any{
		"name": "New", "email": "new@example.com", "password": testPassword, "invitationToken": tm.linkTo("new@example.com")}})
	require.Equal(t, http.StatusCreated, rec.Code, rec.Body.String())
	require.Len(t, list(tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects", as: sessionFrom(t, rec)}), "projects"), 1)
}

// TestDeleteProjectRemovesAllItsData fills a project's every table through the public API and the
// team API, deletes it, and counts what is left of it in every table keyed by project (none) and
// of another project (all).
func TestDeleteProjectRemovesAllItsData(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	tm.keys.CacheTTL = 0
	shop, kept := tm.shop(), tm.create(tm.olive, map[string]any{"name": "Kept"})
	fill := func(id string) {
		key := tm.newKey(id, tm.olive)
		for i := range 4 {
			for path, body := range map[string]string{
				"/api/v1/ingest_events": fmt.Sprintf(`{"event":{"uuid":%q,"event_type":"error","message":"boom %d","context":{"environment":"production"}}}`, uuid.NewString(), i),
				"/api/v1/ingest_events/batch": fmt.Sprintf(`{"event":{"uuid":%q,"event_type":"log","message":"a"}}`+"\n"+
					`{"event":{"uuid":%q,"event_type":"metric","message":"m","context":{"value":1}}}`+"\n"+
					`{"event":{"uuid":%q,"event_type":"transaction","message":"GET /"}}`+"\n"+
					`{"event":{"uuid":%q,"event_type":"span","message":"GET /","trace_id":"t1","span_id":%q}}`,
					uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString(), uuid.NewString()[:16]),
				"/api/v1/check_ins":   fmt.Sprintf(`{"check_in":{"slug":"job-%d","status":"ok"}}`, i),
				"/api/v1/deployments": fmt.Sprintf(`{"deployment":{"release":"1.%d","environment":"production","repository":"acme/shop","commit_sha":"abcdef%d"}}`, i, i),
			} {
				code := tm.ingest(key, path, body)
				require.True(t, code == http.StatusCreated || code == http.StatusAccepted, "%s: %d", path, code)
			}
		}
		tm.want(http.StatusAccepted, req{method: http.MethodPost, path: "/api/v1/projects/" + id + "/members", as: tm.olive,
			body: map[string]any{"email": "pending@example.com"}})
	}
	fill(shop["id"].(string))
	fill(kept["id"].(string))
	shopID, keptID := tm.projectRowID(shop["id"].(string)), tm.projectRowID(kept["id"].(string))
	// Every table with a project_id column, whether purged in chunks or by a cascade.
	var tables []string
	require.NoError(t, tm.store.DB.NewRaw(`SELECT c.relname FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid
		WHERE a.attname = 'project_id' AND NOT a.attisdropped AND c.relnamespace = current_schema()::regnamespace
		  AND c.relkind IN ('r', 'p') AND NOT c.relispartition`).Scan(context.Background(), &tables))
	for _, table := range store.PurgeTableNames() {
		require.Contains(t, tables, table)
	}
	rows := func(projectID int64) map[string]int {
		out := map[string]int{}
		for _, table := range tables {
			out[table] = tm.count("SELECT count(*) FROM "+table+" WHERE project_id = $1", projectID)
		}
		return out
	}
	before := rows(shopID)
	for _, table := range store.PurgeTableNames() {
		require.Positive(t, before[table], "the test fills %s", table)
	}
	require.Greater(t, before["telemetry_events"], 7, "more rows than one purge chunk")
	keptBefore := rows(keptID)

	tm.wantError(http.StatusForbidden, "insufficient_role", req{method: http.MethodDelete, path: "/api/v1/projects/" + shop["id"].(string), as: tm.adam})
	tm.want(http.StatusNoContent, req{method: http.MethodDelete, path: "/api/v1/projects/" + shop["id"].(string), as: tm.olive})
	for table, n := range rows(shopID) {
		require.Zero(t, n, table)
	}
	require.Equal(t, 0, tm.count("SELECT count(*) FROM projects WHERE id = $1", shopID))
	require.Equal(t, keptBefore, rows(keptID), "another project keeps everything")
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: "/api/v1/projects/" + shop["id"].(string), as: tm.olive})
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodDelete, path: "/api/v1/projects/" + shop["id"].(string), as: tm.olive})
	// Olive owns no more than "Kept"; her account still cannot go while she does.
	tm.wantError(http.StatusConflict, "user_owns_data", req{method: http.MethodDelete, path: "/api/v1/admin/users/" + tm.oliveU.UUID.String(), as: tm.root})
}

// TestDeletedThenRecreatedProject: the old key of a deleted project fails cleanly (401), and a new
// project with the same name starts empty.
func TestDeletedThenRecreatedProject(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	tm.keys.CacheTTL = 0
	first := tm.create(tm.olive, map[string]any{"name": "Shop"})
	oldKey := tm.newKey(first["id"].(string), tm.olive)
	event := `{"event":{"event_type":"error","message":"boom"}}`
	require.Equal(t, http.StatusCreated, tm.ingest(oldKey, "/api/v1/ingest_events", event))
	tm.want(http.StatusNoContent, req{method: http.MethodDelete, path: "/api/v1/projects/" + first["id"].(string), as: tm.olive})

	second := tm.create(tm.olive, map[string]any{"name": "Shop"})
	require.Equal(t, "shop", second["slug"], "the slug is free again")
	require.NotEqual(t, first["id"], second["id"])
	require.Equal(t, http.StatusUnauthorized, tm.ingest(oldKey, "/api/v1/ingest_events", event))
	require.Equal(t, http.StatusUnauthorized, tm.ingest(oldKey, "/api/v1/check_ins", `{"check_in":{"slug":"x","status":"ok"}}`))
	require.Equal(t, 0, tm.count("SELECT count(*) FROM error_events"), "nothing was resurrected")

	newKey := tm.newKey(second["id"].(string), tm.olive)
	require.Equal(t, http.StatusCreated, tm.ingest(newKey, "/api/v1/ingest_events", event))
	secondID := tm.projectRowID(second["id"].(string))
	require.Equal(t, 1, tm.count("SELECT count(*) FROM error_groups WHERE project_id = $1 AND occurrence_count = 1", secondID))
	require.Equal(t, 1, tm.count("SELECT count(*) FROM error_events"))
}

// TestGuessingIDs: no project path lets anyone reach another project's things, whatever ids they
// put in it.
func TestGuessingIDs(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	mine := tm.create(tm.olive, map[string]any{"name": "Mine"})
	foreign := tm.create(tm.adam, map[string]any{"name": "Foreign"})
	fid := foreign["id"].(string)
	tm.want(http.StatusCreated, req{method: http.MethodPost, path: "/api/v1/projects/" + fid + "/members", as: tm.adam,
		body: map[string]any{"email": "vera@example.com", "role": "admin"}})
	foreignInv := tm.want(http.StatusAccepted, req{method: http.MethodPost, path: "/api/v1/projects/" + fid + "/members", as: tm.adam,
		body: map[string]any{"email": "someone@example.com"}})
	tm.newKey(fid, tm.adam)
	foreignKey := list(tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects/" + fid + "/api-keys", as: tm.adam}), "apiKeys")[0]

	mid := mine["id"].(string)
	for _, r := range []req{
		// Another project's key, member, owner and invitation, under my project's path.
		{method: http.MethodDelete, path: "/api/v1/projects/" + mid + "/api-keys/" + foreignKey["id"].(string)},
		{method: http.MethodPatch, path: "/api/v1/projects/" + mid + "/members/" + tm.veraU.UUID.String(), body: map[string]any{"role": "viewer"}},
		{method: http.MethodDelete, path: "/api/v1/projects/" + mid + "/members/" + tm.veraU.UUID.String()},
		{method: http.MethodDelete, path: "/api/v1/projects/" + mid + "/members/" + tm.adamU.UUID.String()},
		{method: http.MethodDelete, path: "/api/v1/projects/" + mid + "/invitations/" + foreignInv["id"].(string)},
		// The foreign project itself, by uuid, by slug, by row id; made-up ids.
		{method: http.MethodGet, path: "/api/v1/projects/" + fid},
		{method: http.MethodGet, path: "/api/v1/projects/foreign"},
		{method: http.MethodGet, path: fmt.Sprintf("/api/v1/projects/%d", tm.projectRowID(fid))},
		{method: http.MethodGet, path: "/api/v1/projects/" + uuid.NewString()},
		{method: http.MethodGet, path: "/api/v1/projects/" + uuid.NewString() + "/members"},
		{method: http.MethodPost, path: "/api/v1/projects/" + fid + "/api-keys", body: map[string]any{"name": "x"}},
		{method: http.MethodDelete, path: "/api/v1/projects/" + fid + "/api-keys/" + foreignKey["id"].(string)},
		{method: http.MethodDelete, path: "/api/v1/projects/" + fid},
		// An invalid body does not reveal a project either.
		{method: http.MethodPatch, path: "/api/v1/projects/" + fid, body: `{"nonsense": 1}`},
	} {
		r.as = tm.olive
		tm.wantError(http.StatusNotFound, "not_found", r)
	}
	// Nothing changed over there.
	require.Equal(t, true, list(tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects/" + fid + "/api-keys", as: tm.adam}), "apiKeys")[0]["active"])
	require.Len(t, list(tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects/" + fid + "/invitations", as: tm.adam}), "invitations"), 1)
	require.Len(t, list(tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/projects/" + fid + "/members", as: tm.adam}), "members"), 2)
}

func TestProjectTokenScopes(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	p := tm.create(tm.olive, map[string]any{"name": "Shop"})
	foreign := tm.create(tm.adam, map[string]any{"name": "Foreign"})
	path := "/api/v1/projects/" + p["id"].(string)

	read := tm.token("olive@example.com", account.ScopeRead)
	tm.want(http.StatusOK, req{method: http.MethodGet, path: path, as: read})
	tm.wantError(http.StatusForbidden, "insufficient_scope", req{method: http.MethodPatch, path: path, as: read, body: map[string]any{"name": "x"}})
	tm.wantError(http.StatusForbidden, "insufficient_scope", req{method: http.MethodDelete, path: path, as: read})
	write := tm.token("olive@example.com", account.ScopeWrite)
	tm.want(http.StatusOK, req{method: http.MethodPatch, path: path, as: write, body: map[string]any{"name": "x"}})

	// An instance administrator's powers over other people's projects need the admin scope.
	fpath := "/api/v1/projects/" + foreign["id"].(string)
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: fpath, as: tm.token("admin@example.com", account.ScopeRead)})
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodPatch, path: fpath, as: tm.token("admin@example.com", account.ScopeWrite),
		body: map[string]any{"name": "x"}})
	tm.want(http.StatusOK, req{method: http.MethodPatch, path: fpath, as: tm.token("admin@example.com", account.ScopeAdmin), body: map[string]any{"name": "x"}})
	// ... and an admin-scoped token of someone who is not an instance administrator grants nothing more.
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: fpath, as: tm.token("vera@example.com", account.ScopeAdmin)})
}

func TestAdminProjects(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	tm.shop()
	for i := range 5 {
		tm.create(tm.adam, map[string]any{"name": fmt.Sprintf("Adam %d", i)})
	}
	old := tm.create(tm.vera, map[string]any{"name": "Old"})
	tm.want(http.StatusOK, req{method: http.MethodPost, path: "/api/v1/projects/" + old["id"].(string) + "/archive", as: tm.vera})
	ownerless, err := tm.projects.Create(context.Background(), "From the CLI", "")
	require.NoError(t, err)

	page := tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/admin/projects?limit=3", as: tm.root})
	projects := list(page, "projects")
	require.Len(t, projects, 3)
	require.Equal(t, ownerless.UUID.String(), projects[0]["id"], "newest first")
	require.Nil(t, projects[0]["owner"])
	require.Equal(t, "Old", projects[1]["name"])
	require.NotEmpty(t, page["nextCursor"])
	var all []string
	for cursor := ""; ; {
		path := "/api/v1/admin/projects?limit=3"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		page := tm.want(http.StatusOK, req{method: http.MethodGet, path: path, as: tm.root})
		for _, p := range list(page, "projects") {
			all = append(all, p["name"].(string))
		}
		next, ok := page["nextCursor"].(string)
		if !ok {
			break
		}
		cursor = next
	}
	require.Len(t, all, 8)
	require.Contains(t, all, "Shop")

	search := func(query string) []string {
		var names []string
		for _, p := range list(tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/admin/projects?" + query, as: tm.root}), "projects") {
			names = append(names, p["name"].(string))
		}
		slices.Sort(names)
		return names
	}
	require.Equal(t, []string{"Adam 3"}, search("q=adam+3"))
	require.Equal(t, []string{"Shop"}, search("q=SHO"))
	require.Equal(t, []string{"Old"}, search("q=vera@example.com"))
	require.Equal(t, []string{"Old"}, search("state=archived"))
	require.Len(t, search("state=active"), 7)
	require.Equal(t, []string{"Old"}, search("q="+old["id"].(string)))
	shop := list(tm.want(http.StatusOK, req{method: http.MethodGet, path: "/api/v1/admin/projects?q=shop", as: tm.root}), "projects")[0]
	require.EqualValues(t, 2, shop["memberCount"])
	require.Equal(t, "olive@example.com", shop["owner"].(map[string]any)["email"])
	tm.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, path: "/api/v1/admin/projects?cursor=nope", as: tm.root})
}

func TestAdminProjectRateLimits(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	p := tm.shop()
	path := "/api/v1/admin/projects/" + p["id"].(string) + "/rate-limits"

	got := tm.want(http.StatusOK, req{method: http.MethodGet, path: path, as: tm.root})
	require.Equal(t, map[string]any{"requests": nil, "periodSeconds": nil, "authFailures": nil}, got["overrides"])
	require.Equal(t, map[string]any{"requests": 1200.0, "periodSeconds": 60.0, "authFailures": 120.0, "preAuth": 12000.0}, got["effective"])

	got = tm.want(http.StatusOK, req{method: http.MethodPut, path: path, as: tm.root,
		body: map[string]any{"requests": 5000, "periodSeconds": 10, "authFailures": nil}})
	require.Equal(t, map[string]any{"requests": 5000.0, "periodSeconds": 10.0, "authFailures": nil}, got["overrides"])
	require.Equal(t, map[string]any{"requests": 5000.0, "periodSeconds": 10.0, "authFailures": 120.0, "preAuth": 12000.0}, got["effective"])
	require.Equal(t, got, tm.want(http.StatusOK, req{method: http.MethodGet, path: path, as: tm.root}))
	stored, err := store.FindProject(context.Background(), tm.store.DB, p["id"].(string))
	require.NoError(t, err)
	require.Equal(t, 5000, *stored.RateLimits.Requests)
	require.Nil(t, stored.RateLimits.AuthFailures)

	for _, body := range []any{
		map[string]any{"requests": 0, "periodSeconds": nil, "authFailures": nil},
		map[string]any{"requests": nil, "periodSeconds": 86401, "authFailures": nil},
		map[string]any{"requests": nil, "periodSeconds": nil, "authFailures": 10000001},
		map[string]any{"requests": nil, "periodSeconds": nil},
		map[string]any{"requests": "many", "periodSeconds": nil, "authFailures": nil},
	} {
		tm.wantError(http.StatusUnprocessableEntity, "validation_failed", req{method: http.MethodPut, path: path, as: tm.root, body: body})
	}
	// Owners cannot set their own limits (reference section 2).
	tm.wantError(http.StatusForbidden, "admin_required", req{method: http.MethodPut, path: path, as: tm.olive,
		body: map[string]any{"requests": 1, "periodSeconds": nil, "authFailures": nil}})
	tm.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: "/api/v1/admin/projects/" + uuid.NewString() + "/rate-limits", as: tm.root})
	got = tm.want(http.StatusOK, req{method: http.MethodPut, path: path, as: tm.root,
		body: map[string]any{"requests": nil, "periodSeconds": nil, "authFailures": nil}})
	require.Equal(t, 1200.0, got["effective"].(map[string]any)["requests"], "null inherits")
}

func TestRemovingAMemberClearsTheirAssignments(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	shop, other := tm.shop(), tm.shop()
	for _, p := range []map[string]any{shop, other} {
		key := tm.newKey(p["id"].(string), tm.olive)
		for _, what := range []string{"alpha", "beta", "gamma"} {
			require.Equal(t, http.StatusCreated, tm.ingest(key, "/api/v1/ingest_events", fmt.Sprintf(`{"event":{"event_type":"error","message":"%s failed"}}`, what)))
		}
		require.Equal(t, 3, tm.count("SELECT count(*) FROM error_groups WHERE project_id = $1", tm.projectRowID(p["id"].(string))))
	}
	shopID, otherID := tm.projectRowID(shop["id"].(string)), tm.projectRowID(other["id"].(string))
	// Vera has two groups of the shop and one of the other project; Adam one of the shop.
	assign := func(projectID int64, user *account.User, n int) {
		_, err := tm.store.Pool.Exec(context.Background(), `UPDATE error_groups SET assigned_user_id = $1, assigned_by_user_id = $2, assigned_at = now()
			WHERE id IN (SELECT id FROM error_groups WHERE project_id = $3 AND assigned_user_id IS NULL ORDER BY id LIMIT $4)`,
			user.ID, tm.oliveU.ID, projectID, n)
		require.NoError(t, err)
	}
	assign(shopID, tm.veraU, 2)
	assign(shopID, tm.adamU, 1)
	assign(otherID, tm.veraU, 1)

	tm.want(http.StatusNoContent, req{method: http.MethodDelete, path: "/api/v1/projects/" + shop["id"].(string) + "/members/" + tm.veraU.UUID.String(), as: tm.adam})
	require.Equal(t, 0, tm.count("SELECT count(*) FROM error_groups WHERE project_id = $1 AND assigned_user_id = $2", shopID, tm.veraU.ID))
	require.Equal(t, 0, tm.count("SELECT count(*) FROM error_groups WHERE project_id = $1 AND assigned_user_id IS NULL AND (assigned_at IS NOT NULL OR assigned_by_user_id IS NOT NULL)", shopID))
	require.Equal(t, 1, tm.count("SELECT count(*) FROM error_groups WHERE project_id = $1 AND assigned_user_id = $2", shopID, tm.adamU.ID))
	require.Equal(t, 1, tm.count("SELECT count(*) FROM error_groups WHERE project_id = $1 AND assigned_user_id = $2", otherID, tm.veraU.ID),
		"assignments in her other projects stay")

	// Leaving clears them too.
	tm.want(http.StatusNoContent, req{method: http.MethodDelete, path: "/api/v1/projects/" + shop["id"].(string) + "/members/" + tm.adamU.UUID.String(), as: tm.adam})
	require.Equal(t, 0, tm.count("SELECT count(*) FROM error_groups WHERE project_id = $1 AND assigned_user_id IS NOT NULL", shopID))
}
