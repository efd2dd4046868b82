package config_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/config"
)

func TestAccountDefaults(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, "open", c.Signup)
	require.Empty(t, c.AdminEmails)
	require.Equal(t, 14*24*time.Hour, c.SessionTTL)
	require.Equal(t, 72*time.Hour, c.SessionIdleTimeout)
}

func TestAccountValues(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(map[string]string{
		"LOGISTER_SIGNUP":               "Invite",
		"LOGISTER_ADMIN_EMAILS":         " Boss@Example.com, ops@example.com ,,",
		"LOGISTER_SESSION_TTL":          "12h",
		"LOGISTER_SESSION_IDLE_TIMEOUT": "24h",
	}))
	require.NoError(t, err)
	require.Equal(t, "invite", c.Signup)
	require.Equal(t, []string{"boss@example.com", "ops@example.com"}, c.AdminEmails)
	require.Equal(t, 12*time.Hour, c.SessionTTL)
	require.Equal(t, 12*time.Hour, c.SessionIdleTimeout, "the idle timeout never exceeds the lifetime")
}

func TestAccountProblems(t *testing.T) {
	t.Parallel()
	_, err := config.Load(env(map[string]string{
		"LOGISTER_SIGNUP":       "closed",
		"LOGISTER_ADMIN_EMAILS": "boss@example.com, not-an-address",
		"LOGISTER_SESSION_TTL":  "forever",
	}))
	require.ErrorContains(t, err, `LOGISTER_SIGNUP: must be open or invite (got "closed")`)
	require.ErrorContains(t, err, `LOGISTER_ADMIN_EMAILS: "not-an-address" is not an e-mail address`)
	require.ErrorContains(t, err, `LOGISTER_SESSION_TTL: must be a positive duration`)
}
