package account

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHashRoundTrip(t *testing.T) {
	t.Parallel()
	h := NewHasher(Argon2Params{Memory: 64, Time: 1, Threads: 1})
	encoded := h.Hash("correct horse battery staple")
	require.Regexp(t, `^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`, encoded)
	require.NotEqual(t, encoded, h.Hash("correct horse battery staple"), "every hash has its own salt")

	ok, stale, err := h.Verify("correct horse battery staple", encoded)
	require.NoError(t, err)
	require.True(t, ok)
	require.False(t, stale)

	ok, _, err = h.Verify("correct horse battery stapler", encoded)
	require.NoError(t, err)
	require.False(t, ok)
	ok, _, err = h.Verify("", encoded)
	require.NoError(t, err)
	require.False(t, ok)

	// A hash made with other costs still verifies, and is reported stale so sign-in upgrades it.
	other := NewHasher(Argon2Params{Memory: 128, Time: 2, Threads: 1})
	ok, stale, err = other.Verify("correct horse battery staple", encoded)
	require.NoError(t, err)
	require.True(t, ok)
	require.True(t, stale)
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	t.Parallel()
	h := NewHasher(Argon2Params{Memory: 64, Time: 1, Threads: 1})
	good := h.Hash("pw-123456")
	parts := strings.Split(good, "$")
	for name, bad := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuu5r8iIzzV9G5n6tbb1Yd9HjnVpsx5bS6",
		"argon2i":        strings.Replace(good, "argon2id", "argon2i", 1),
		"wrong version":  strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":    strings.Join([]string{"", parts[1], parts[2], "m=4194304,t=1,p=1", parts[4], parts[5]}, "$"),
		"bad salt":       strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"missing digest": strings.Join(parts[:5], "$"),
	} {
		_, _, err := h.Verify("pw-123456", bad)
		require.ErrorIs(t, err, errBadHash, name)
	}
}

func TestDefaultArgon2FollowsOWASP(t *testing.T) {
	t.Parallel()
	// Production costs are not lowered for tests (tests pass their own through Options.Argon2).
	require.Equal(t, Argon2Params{Memory: 46 * 1024, Time: 1, Threads: 1}, DefaultArgon2)
}

func TestCSRFTokenIsBoundToTheSession(t *testing.T) {
	t.Parallel()
	a, b := newSecret(), newSecret()
	require.Equal(t, csrfToken(a), csrfToken(a))
	require.NotEqual(t, csrfToken(a), csrfToken(b))
	require.NotContains(t, csrfToken(a), a)
}
