package deploy_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/deploy"
	"github.com/logister/logister/server/internal/store"
)

func TestShortSHA(t *testing.T) {
	t.Parallel()
	require.Equal(t, "9fceb02", deploy.ShortSHA("9fceb02d0ae598e95dc970b74767f19372d61af8"))
	require.Equal(t, "9fceb02", deploy.ShortSHA("9fceb02"))
	require.Equal(t, "", deploy.ShortSHA(""))
}

func TestBuildLinks(t *testing.T) {
	t.Parallel()
	const sha, prev = "9fceb02d0ae598e95dc970b74767f19372d61af8", "1a410ef"
	pr := 42
	base := store.Deployment{RepositoryFullName: "acme/shop", CommitSHA: sha, Release: "1.4.2"}
	with := func(change func(*store.Deployment)) *store.Deployment {
		d := base
		change(&d)
		return &d
	}
	for _, c := range []struct {
		name, web string
		d         *store.Deployment
		prev      string
		want      deploy.Links
	}{
		{"the first deployment", "", &base, "", deploy.Links{
			Commit:  "https://github.com/acme/shop/commit/" + sha,
			Release: "https://github.com/acme/shop/releases/tag/1.4.2",
		}},
		{"with a previous one and a pull request", "https://github.com/", with(func(d *store.Deployment) { d.PullRequestNumber = &pr }), prev, deploy.Links{
			Commit:      "https://github.com/acme/shop/commit/" + sha,
			Compare:     "https://github.com/acme/shop/compare/" + prev + "..." + sha,
			PullRequest: "https://github.com/acme/shop/pull/42",
			Release:     "https://github.com/acme/shop/releases/tag/1.4.2",
		}},
		{"another web host", "https://ghe.example.com/git", with(func(d *store.Deployment) { d.PullRequestNumber = &pr }), prev, deploy.Links{
			Commit:      "https://ghe.example.com/git/acme/shop/commit/" + sha,
			Compare:     "https://ghe.example.com/git/acme/shop/compare/" + prev + "..." + sha,
			PullRequest: "https://ghe.example.com/git/acme/shop/pull/42",
			Release:     "https://ghe.example.com/git/acme/shop/releases/tag/1.4.2",
		}},
		{"metadata links", "", with(func(d *store.Deployment) {
			d.Metadata = json.RawMessage(`{"pull_request_url":"https://gitlab.example.com/mr/7","release_url":"HTTPS://rel.example.com/1.4.2",
				"compare_url":"http://ci.example.com/compare"}`)
		}), "", deploy.Links{
			Commit: "https://github.com/acme/shop/commit/" + sha, Compare: "http://ci.example.com/compare",
			PullRequest: "https://gitlab.example.com/mr/7", Release: "HTTPS://rel.example.com/1.4.2",
		}},
		{"the number wins over a metadata pull request; a previous deployment over a metadata compare", "", with(func(d *store.Deployment) {
			d.PullRequestNumber = &pr
			d.Metadata = json.RawMessage(`{"pull_request_url":"https://elsewhere.example.com/pull/1","compare_url":"https://ci.example.com/c"}`)
		}), prev, deploy.Links{
			Commit:      "https://github.com/acme/shop/commit/" + sha,
			Compare:     "https://github.com/acme/shop/compare/" + prev + "..." + sha,
			PullRequest: "https://github.com/acme/shop/pull/42",
			Release:     "https://github.com/acme/shop/releases/tag/1.4.2",
		}},
		{"unsafe or malformed metadata is ignored", "", with(func(d *store.Deployment) {
			d.Metadata = json.RawMessage(`{"pull_request_url":"javascript:alert(1)","release_url":"//evil.example.com/x","compare_url":42}`)
		}), "", deploy.Links{
			Commit:  "https://github.com/acme/shop/commit/" + sha,
			Release: "https://github.com/acme/shop/releases/tag/1.4.2",
		}},
		{"metadata that is not an object", "", with(func(d *store.Deployment) { d.Metadata = json.RawMessage(`[1]`) }), "", deploy.Links{
			Commit:  "https://github.com/acme/shop/commit/" + sha,
			Release: "https://github.com/acme/shop/releases/tag/1.4.2",
		}},
		{"a release with spaces and slashes is escaped", "", with(func(d *store.Deployment) { d.Release = "v2 beta/1?x#y" }), "", deploy.Links{
			Commit:  "https://github.com/acme/shop/commit/" + sha,
			Release: "https://github.com/acme/shop/releases/tag/v2%20beta%2F1%3Fx%23y",
		}},
		{"a previous commit that is not a SHA is no comparison", "", &base, "HEAD~1", deploy.Links{
			Commit:  "https://github.com/acme/shop/commit/" + sha,
			Release: "https://github.com/acme/shop/releases/tag/1.4.2",
		}},
		{"nothing is built on a repository ingestion would refuse", "", with(func(d *store.Deployment) {
			d.RepositoryFullName = "acme/shop/../../evil"
			d.PullRequestNumber = &pr
		}), prev, deploy.Links{}},
	} {
		require.Equal(t, c.want, deploy.BuildLinks(c.web, c.d, c.prev), c.name)
	}
}
