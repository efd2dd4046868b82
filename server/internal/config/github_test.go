package config_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/config"
)

func TestGitHubWebURL(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	require.NoError(t, err)
	require.Equal(t, "https://github.com", c.GitHubWebURL)

	c, err = config.Load(env(map[string]string{"LOGISTER_GITHUB_WEB_URL": " https://ghe.example.com/ "}))
	require.NoError(t, err)
	require.Equal(t, "https://ghe.example.com", c.GitHubWebURL, "trimmed, without the trailing slash")

	c, err = config.Load(env(map[string]string{"LOGISTER_GITHUB_WEB_URL": "http://git.internal:8080/github//"}))
	require.NoError(t, err)
	require.Equal(t, "http://git.internal:8080/github", c.GitHubWebURL)

	for _, bad := range []string{"github.com", "ftp://github.com", "https://", "https://ghe.example.com/?x=1", "https://ghe.example.com/#top", "https://u:p@ghe.example.com"} {
		_, err := config.Load(env(map[string]string{"LOGISTER_GITHUB_WEB_URL": bad}))
		require.ErrorContains(t, err, "LOGISTER_GITHUB_WEB_URL: must be", bad)
	}
}
