package project

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/ratelimit"
	"github.com/logister/logister/server/internal/store"
	"github.com/logister/logister/server/internal/testdb"
)

func TestSetRateLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	svc := NewService(st.DB, "logister")
	p, err := svc.Create(ctx, "Limited", "")
	require.NoError(t, err)
	require.Equal(t, store.RateLimitOverrides{}, p.RateLimits, "a new project inherits everything")

	got, err := svc.SetRateLimits(ctx, p.Slug, RateLimitChange{Requests: SetTo(5000), PeriodSeconds: SetTo(10)})
	require.NoError(t, err)
	require.Equal(t, 5000, *got.RateLimits.Requests)
	require.Equal(t, 10, *got.RateLimits.PeriodSeconds)
	require.Nil(t, got.RateLimits.AuthFailures)

	// Keep leaves a value, Inherit clears it; the stored row agrees.
	_, err = svc.SetRateLimits(ctx, p.UUID.String(), RateLimitChange{PeriodSeconds: Inherit, AuthFailures: SetTo(3)})
	require.NoError(t, err)
	stored, err := store.FindProject(ctx, st.DB, p.Slug)
	require.NoError(t, err)
	require.Equal(t, 5000, *stored.RateLimits.Requests)
	require.Nil(t, stored.RateLimits.PeriodSeconds)
	require.Equal(t, 3, *stored.RateLimits.AuthFailures)

	instance := ratelimit.Policy{Requests: 1200, AuthFailures: 120, PreAuth: 12_000, Period: time.Minute}
	require.Equal(t, ratelimit.Policy{Requests: 5000, AuthFailures: 3, PreAuth: 12_000, Period: time.Minute},
		RateLimits(instance, stored.RateLimits))

	for _, change := range []RateLimitChange{
		{Requests: SetTo(0)}, {Requests: SetTo(10_000_001)}, {PeriodSeconds: SetTo(86_401)}, {AuthFailures: SetTo(-1)},
	} {
		_, err := svc.SetRateLimits(ctx, p.Slug, change)
		require.Equal(t, apperr.KindInvalid, apperr.KindOf(err), "%+v", change)
	}
	_, err = svc.SetRateLimits(ctx, "nope", RateLimitChange{})
	require.Equal(t, apperr.KindNotFound, apperr.KindOf(err))

	// The database refuses out-of-range values too (migration 0004).
	bad := 86_401
	require.Error(t, store.SetProjectRateLimits(ctx, st.DB, p.ID, store.RateLimitOverrides{PeriodSeconds: &bad}))
}

func TestAuthenticateCarriesRateLimitOverrides(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testdb.New(t)
	svc := NewService(st.DB, "logister")
	p, err := svc.Create(ctx, "Overridden", "")
	require.NoError(t, err)
	_, err = svc.SetRateLimits(ctx, p.Slug, RateLimitChange{Requests: SetTo(50), AuthFailures: SetTo(7)})
	require.NoError(t, err)
	token, key, err := svc.CreateKey(ctx, p.Slug, "")
	require.NoError(t, err)

	clk := &clock{t: time.Now()}
	auth := NewAuthenticator(st.DB)
	auth.now = clk.now
	got, err := auth.Authenticate(ctx, token)
	require.NoError(t, err)
	require.Equal(t, 50, *got.RateLimits.Requests)
	require.Equal(t, 7, *got.RateLimits.AuthFailures)
	require.Nil(t, got.RateLimits.PeriodSeconds)

	// A revoked key fails like any other, but says whose overrides govern the auth-failure limit.
	require.NoError(t, store.RevokeAPIKey(ctx, st.DB, key.ID))
	clk.advance(auth.CacheTTL + time.Millisecond)
	_, err = auth.Authenticate(ctx, token)
	require.Equal(t, apperr.KindUnauthorized, apperr.KindOf(err))
	var unusable *UnusableKeyError
	require.True(t, errors.As(err, &unusable))
	require.Equal(t, 7, *unusable.RateLimits.AuthFailures)
	var ae *apperr.Error
	require.True(t, errors.As(err, &ae))
	require.Equal(t, "Unauthorized", ae.Message, "the client learns nothing more")

	// An unknown key has no project.
	_, err = auth.Authenticate(ctx, "logister_unknown")
	require.False(t, errors.As(err, &unusable))
	require.Equal(t, apperr.KindUnauthorized, apperr.KindOf(err))
}
