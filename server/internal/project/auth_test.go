package project

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	svc := NewService(st.DB, "logister")
	p, err := svc.Create(ctx, "Shop", "ruby")
	require.NoError(t, err)
	token, key, err := svc.CreateKey(ctx, p.Slug, "")
	require.NoError(t, err)
	require.Equal(t, "Default", key.Name)
	require.Equal(t, token[:len("logister_")+4], key.TokenHint)

	clk := &clock{t: time.Now()}
	auth := NewAuthenticator(st.DB)
	auth.now = clk.now

	got, err := auth.Authenticate(ctx, token)
	require.NoError(t, err)
	require.Equal(t, p.ID, got.ProjectID)
	require.Equal(t, key.ID, got.KeyID)

	for _, bad := range []string{"", "logister_" + "00000000", token + "x", string(make([]byte, 300))} {
		_, err := auth.Authenticate(ctx, bad)
		require.Equal(t, apperr.KindUnauthorized, apperr.KindOf(err), "%q", bad)
	}

	t.Run("revocation takes effect within the cache TTL", func(t *testing.T) {
		require.NoError(t, store.RevokeAPIKey(ctx, st.DB, key.ID))
		_, err := auth.Authenticate(ctx, token)
		require.NoError(t, err, "still cached")
		clk.advance(auth.CacheTTL + time.Millisecond)
		_, err = auth.Authenticate(ctx, token)
		require.Equal(t, apperr.KindUnauthorized, apperr.KindOf(err))
	})

	t.Run("archiving the project stops its keys", func(t *testing.T) {
		other, otherKey, err := svc.CreateKey(ctx, p.Slug, "second")
		require.NoError(t, err)
		_, err = auth.Authenticate(ctx, other)
		require.NoError(t, err)
		require.NoError(t, store.ArchiveProject(ctx, st.DB, otherKey.ProjectID))
		clk.advance(auth.CacheTTL + time.Millisecond)
		_, err = auth.Authenticate(ctx, other)
		require.Equal(t, apperr.KindUnauthorized, apperr.KindOf(err))
	})
}

func TestLastUsedAtIsCoalesced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	svc := NewService(st.DB, "logister")
	p, err := svc.Create(ctx, "Api", "")
	require.NoError(t, err)
	token, key, err := svc.CreateKey(ctx, p.Slug, "")
	require.NoError(t, err)

	lastUsed := func() *time.Time {
		var k store.APIKey
		require.NoError(t, st.DB.NewSelect().Model(&k).Where("id = ?", key.ID).Scan(ctx))
		return k.LastUsedAt
	}
	require.Nil(t, lastUsed())

	// Two instances: each writes at most once per interval, and the database refuses the second write.
	a, b := NewAuthenticator(st.DB), NewAuthenticator(st.DB)
	_, err = a.Authenticate(ctx, token)
	require.NoError(t, err)
	first := lastUsed()
	require.NotNil(t, first)
	for range 3 {
		_, err = a.Authenticate(ctx, token)
		require.NoError(t, err)
		_, err = b.Authenticate(ctx, token)
		require.NoError(t, err)
	}
	require.Equal(t, first.UnixMicro(), lastUsed().UnixMicro())
	wrote, err := store.TouchAPIKey(ctx, st.DB, key.ID, 5*time.Minute)
	require.NoError(t, err)
	require.False(t, wrote)
	wrote, err = store.TouchAPIKey(ctx, st.DB, key.ID, 0)
	require.NoError(t, err)
	require.True(t, wrote)
}

func TestCreateValidatesAndSlugs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc := NewService(testdb.New(t).DB, "logister")
	for _, tt := range []struct{ name, slug string }{
		{"\tAcme Store!! ", "acme-store"}, {"ÜberApp Café", "uberapp-cafe"}, {"!!!", "project"},
	} {
		p, err := svc.Create(ctx, tt.name, "")
		require.NoError(t, err)
		require.Equal(t, tt.slug, p.Slug)
		require.Equal(t, "http_api", p.IntegrationKind)
	}
	_, err := svc.Create(ctx, "  ", "")
	require.Equal(t, apperr.KindUnprocessable, apperr.KindOf(err))
	_, err = svc.Create(ctx, "x", "fortran")
	require.Equal(t, apperr.KindUnprocessable, apperr.KindOf(err))
	_, _, err = svc.CreateKey(ctx, "missing", "")
	require.Equal(t, apperr.KindNotFound, apperr.KindOf(err))
}
