package project

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/mail"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

// owner creates a confirmed user to own projects.
func owner(t *testing.T, st *store.Store, email string) *account.User {
	t.Helper()
	accounts := account.NewService(st.DB, mail.NewOutbox(st.DB, slog.New(slog.DiscardHandler)), account.Options{
		PublicURL: mustURL(t), Argon2: &account.Argon2Params{Memory: 64, Time: 1, Threads: 1},
	})
	u, err := accounts.CreateUser(context.Background(), account.NewUser{Email: email, Name: "Owner", Password: "password-1234", Confirmed: true})
	require.NoError(t, err)
	return u
}

func TestSlugsArePerOwner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	svc := New(st.DB, Options{})
	ada, bob := owner(t, st, "ada@example.com"), owner(t, st, "bob@example.com")

	slugs := func(ownerID *int64, name string, n int) []string {
		var out []string
		for range n {
			p, err := svc.CreateProject(ctx, NewProject{Name: name, OwnerID: ownerID})
			require.NoError(t, err)
			out = append(out, p.Slug)
		}
		return out
	}
	require.Equal(t, []string{"shop", "shop-2"}, slugs(&ada.ID, "Shop", 2))
	require.Equal(t, []string{"shop", "shop-2"}, slugs(&bob.ID, "Shop", 2))
	require.Equal(t, []string{"shop", "shop-2"}, slugs(nil, "Shop", 2), "projects without an owner share one namespace")
	long := strings.Repeat("a", 200)
	got := slugs(&ada.ID, long, 11)
	require.Equal(t, strings.Repeat("a", 50), got[0])
	require.Equal(t, strings.Repeat("a", 50)+"-11", got[10])

	_, err := svc.CreateProject(ctx, NewProject{Name: "X", Slug: "shop", OwnerID: &ada.ID})
	require.Equal(t, "slug_taken", codeOf(err))
	p, err := svc.CreateProject(ctx, NewProject{Name: "X", Slug: strings.Repeat("b", 63), OwnerID: &ada.ID})
	require.NoError(t, err)
	require.Len(t, p.Slug, 63)

	// The CLI names projects by UUID or by a slug only one project has.
	_, err = svc.Find(ctx, "shop")
	require.Equal(t, "ambiguous_slug", codeOf(err))
	found, err := svc.Find(ctx, p.UUID.String())
	require.NoError(t, err)
	require.Equal(t, p.ID, found.ID)
	found, err = svc.Find(ctx, strings.Repeat("b", 63))
	require.NoError(t, err)
	require.Equal(t, p.ID, found.ID)
	_, err = svc.Find(ctx, "1")
	require.Equal(t, apperr.KindNotFound, apperr.KindOf(err), "row ids name nothing")
}

func codeOf(err error) string {
	var ae *apperr.Error
	if err == nil || !asAppErr(err, &ae) {
		return ""
	}
	return ae.Code
}

func TestArchiveAndDeleteStopIngestionWithinTheCacheTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	svc := New(st.DB, Options{DeletionGrace: -1, PurgeChunk: 2})
	clk := &clock{t: time.Now()}
	auth := NewAuthenticator(st.DB)
	auth.now = clk.now
	ada := owner(t, st, "ada@example.com")
	actor := Actor{User: ada}

	for _, action := range []string{"revoke", "archive", "delete"} {
		v, err := svc.CreateOwned(ctx, actor, NewProject{Name: action})
		require.NoError(t, err)
		acc, err := svc.Access(ctx, actor, v.UUID)
		require.NoError(t, err)
		token, key, err := svc.CreateProjectKey(ctx, acc, "k")
		require.NoError(t, err)
		_, err = auth.Authenticate(ctx, token)
		require.NoError(t, err)

		switch action {
		case "revoke":
			_, err = svc.RevokeKey(ctx, acc, key.UUID)
		case "archive":
			_, err = svc.Archive(ctx, acc)
		default:
			err = svc.Delete(ctx, acc)
		}
		require.NoError(t, err)
		_, err = auth.Authenticate(ctx, token)
		require.NoError(t, err, "%s: still cached", action)
		clk.advance(auth.CacheTTL + time.Millisecond)
		_, err = auth.Authenticate(ctx, token)
		require.Equal(t, apperr.KindUnauthorized, apperr.KindOf(err), action)
	}
}

func TestDeletionResumesAndBlocksChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	svc := New(st.DB, Options{DeletionGrace: -1, PurgeChunk: 2})
	ada := owner(t, st, "ada@example.com")
	actor := Actor{User: ada}
	v, err := svc.CreateOwned(ctx, actor, NewProject{Name: "Doomed"})
	require.NoError(t, err)
	acc, err := svc.Access(ctx, actor, v.UUID)
	require.NoError(t, err)
	for range 5 {
		_, _, err := svc.CreateProjectKey(ctx, acc, "k")
		require.NoError(t, err)
	}

	// A deletion interrupted after its first step (say, by a restart) leaves the project archived,
	// its keys revoked and the deletion marked...
	p, err := store.RequestProjectDeletion(ctx, st.DB, acc.Project.ID)
	require.NoError(t, err)
	require.NotNil(t, p.ArchivedAt)
	require.NotNil(t, p.DeletionRequestedAt)
	acc, err = svc.Access(ctx, actor, v.UUID)
	require.NoError(t, err)
	// ... which may not be restored or changed, or get keys...
	_, err = svc.Restore(ctx, acc)
	require.Equal(t, "deletion_requested", codeOf(err))
	_, err = svc.Update(ctx, acc, Change{Name: ptrTo("New")})
	require.Equal(t, "deletion_requested", codeOf(err))
	_, _, err = svc.CreateProjectKey(ctx, acc, "k")
	require.Equal(t, "project_archived", codeOf(err))
	keys, err := svc.Keys(ctx, acc)
	require.NoError(t, err)
	for _, k := range keys {
		require.NotNil(t, k.RevokedAt)
	}
	// ... and deleting again finishes it.
	require.NoError(t, svc.Delete(ctx, acc))
	_, err = svc.Access(ctx, actor, v.UUID)
	require.Equal(t, apperr.KindNotFound, apperr.KindOf(err))
	var left int
	require.NoError(t, st.DB.NewSelect().TableExpr("api_keys").ColumnExpr("count(*)").Scan(ctx, &left))
	require.Zero(t, left)
	// Deleting what is gone is harmless.
	require.NoError(t, svc.Delete(ctx, acc))
}

func TestAccess(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	svc := New(st.DB, Options{})
	ada, bob, cy := owner(t, st, "ada@example.com"), owner(t, st, "bob@example.com"), owner(t, st, "cy@example.com")
	v, err := svc.CreateOwned(ctx, Actor{User: ada}, NewProject{Name: "Shop"})
	require.NoError(t, err)
	require.NoError(t, store.InsertMember(ctx, st.DB, &store.ProjectMember{ProjectID: v.ID, UserID: bob.ID, Role: store.RoleViewer}))

	for _, tt := range []struct {
		actor       Actor
		role, level Role
	}{
		{Actor{User: ada}, RoleOwner, RoleOwner},
		{Actor{User: bob}, RoleViewer, RoleViewer},
		{Actor{User: bob, InstanceAdmin: true}, RoleViewer, RoleOwner},
		{Actor{User: cy, InstanceAdmin: true}, "", RoleOwner},
	} {
		acc, err := svc.Access(ctx, tt.actor, v.UUID)
		require.NoError(t, err)
		require.Equal(t, tt.role, acc.Role)
		require.Equal(t, tt.level, acc.Level)
	}
	_, err = svc.Access(ctx, Actor{User: cy}, v.UUID)
	require.Equal(t, apperr.KindNotFound, apperr.KindOf(err))

	acc, err := svc.Access(ctx, Actor{User: bob}, v.UUID)
	require.NoError(t, err)
	require.NoError(t, acc.Require(RoleViewer))
	require.Equal(t, "insufficient_role", codeOf(acc.Require(RoleAdmin)))
	require.True(t, RoleOwner.Includes(RoleAdmin))
	require.False(t, RoleAdmin.Includes(RoleOwner))
	require.False(t, Role("root").Includes(RoleViewer))

	// ActorOf: instance administrators act as such with a session or an admin-scoped token only.
	root := &account.User{ID: 1, Admin: true}
	require.True(t, ActorOf(&account.Principal{User: root, Scope: account.ScopeAdmin}).InstanceAdmin)
	require.False(t, ActorOf(&account.Principal{User: root, Scope: account.ScopeWrite}).InstanceAdmin)
	require.False(t, ActorOf(&account.Principal{User: &account.User{ID: 2}, Scope: account.ScopeAdmin}).InstanceAdmin)
}

func ptrTo[T any](v T) *T { return &v }
