package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/deploy"
	"github.com/logister/logister/server/internal/health"
	"github.com/logister/logister/server/internal/httpapi"
	"github.com/logister/logister/server/internal/intake"
	"github.com/logister/logister/server/internal/logging"
	"github.com/logister/logister/server/internal/metrics"
)

// deployment sends a deployment through the public API with key; fields are the body's members,
// and at is its deployed_at.
func (b *authBundle) deployment(key string, at time.Time, fields map[string]any) {
	b.t.Helper()
	d := map[string]any{"environment": "production", "repository": "acme/shop", "deployed_at": at.UTC().Format(time.RFC3339Nano)}
	for k, v := range fields {
		d[k] = v
	}
	body, err := json.Marshal(map[string]any{"deployment": d})
	require.NoError(b.t, err)
	require.Equal(b.t, http.StatusCreated, b.ingest(key, "/api/v1/deployments", string(body)))
}

// sha is a 40-digit commit SHA made of one hex digit.
func sha(digit string) string { return strings.Repeat(digit, 40) }

func deploymentsPath(projectID string, query url.Values) string {
	p := "/api/v1/projects/" + projectID + "/deployments"
	if len(query) > 0 {
		p += "?" + query.Encode()
	}
	return p
}

// releases lists the releases of a page of deployments, in order.
func releases(body map[string]any) []string {
	var out []string
	for _, d := range list(body, "deployments") {
		out = append(out, d["release"].(string))
	}
	return out
}

// deploymentsFixture is a project with deployments of two repositories in two environments.
type deploymentsFixture struct {
	*team
	shop, key string
	now       time.Time
}

// setupDeployments ingests, newest first:
//
//	1.2.0 acme/shop production  now-1h  branch feature_x%, release_url in the metadata
//	web-1 acme/web  production  now-1h  (the same time as 1.2.0)
//	1.1.0 acme/shop production  now-2h  PR 42
//	2.0.0 acme/api  production  now-3h
//	1.1.0 acme/shop staging     now-4h
//	1.0.0 acme/shop production  now-5h
func setupDeployments(t *testing.T) *deploymentsFixture {
	t.Helper()
	tm := setupTeam(t, nil)
	f := &deploymentsFixture{team: tm, shop: tm.shop()["id"].(string), now: tm.clock.Now()}
	f.key = tm.newKey(f.shop, tm.olive)
	h := func(n int) time.Time { return f.now.Add(-time.Duration(n) * time.Hour) }
	tm.deployment(f.key, h(5), map[string]any{"release": "1.0.0", "commit_sha": sha("a"), "branch": "main"})
	tm.deployment(f.key, h(4), map[string]any{"release": "1.1.0", "commit_sha": sha("b"), "environment": "staging"})
	tm.deployment(f.key, h(3), map[string]any{"release": "2.0.0", "commit_sha": sha("c"), "repository": "acme/api"})
	tm.deployment(f.key, h(2), map[string]any{"release": "1.1.0", "commit_sha": sha("d"), "pull_request_number": 42})
	tm.deployment(f.key, h(1), map[string]any{"release": "1.2.0", "commit_sha": sha("e"), "branch": "feature_x%",
		"release_url": "https://releases.example.com/shop/1.2.0", "pull_request_url": "javascript:alert(1)"})
	tm.deployment(f.key, h(1), map[string]any{"release": "web-1", "commit_sha": sha("f"), "repository": "acme/web"})
	return f
}

func (f *deploymentsFixture) list(query url.Values) map[string]any {
	f.t.Helper()
	return f.want(http.StatusOK, req{method: http.MethodGet, path: deploymentsPath(f.shop, query), as: f.vera})
}

func TestListDeployments(t *testing.T) {
	t.Parallel()
	f := setupDeployments(t)

	body := f.list(nil)
	require.Equal(t, 6.0, body["total"])
	require.NotContains(t, body, "nextCursor")
	require.Equal(t, []string{"web-1", "1.2.0", "1.1.0", "2.0.0", "1.1.0", "1.0.0"}, releases(body),
		"newest first; the same time by id, the later one first")
	ds := list(body, "deployments")

	// 1.1.0 in production: compared with 1.0.0 (same repository and environment), not with the
	// staging deployment or the other repository's in between.
	d := ds[2]
	require.Equal(t, "acme/shop", d["repository"])
	require.Equal(t, "production", d["environment"])
	require.Equal(t, sha("d"), d["commitSha"])
	require.Equal(t, "ddddddd", d["shortCommitSha"])
	require.Equal(t, "api", d["source"])
	require.Equal(t, 42.0, d["pullRequestNumber"])
	require.Equal(t, sha("a"), d["previousCommitSha"])
	require.Equal(t, utc(f.now.Add(-2*time.Hour).Format(time.RFC3339Nano)), utc(d["deployedAt"]))
	require.NotContains(t, d, "branch")
	_, err := uuid.Parse(d["id"].(string))
	require.NoError(t, err)
	require.Equal(t, map[string]any{
		"commit":      "https://github.com/acme/shop/commit/" + sha("d"),
		"compare":     "https://github.com/acme/shop/compare/" + sha("a") + "..." + sha("d"),
		"pullRequest": "https://github.com/acme/shop/pull/42",
		"release":     "https://github.com/acme/shop/releases/tag/1.1.0",
	}, d["links"])

	// 1.2.0: its release link from the metadata; a pull request URL that is not http(s) is dropped.
	d = ds[1]
	require.Equal(t, "feature_x%", d["branch"])
	require.Equal(t, sha("d"), d["previousCommitSha"])
	require.Equal(t, map[string]any{
		"commit":  "https://github.com/acme/shop/commit/" + sha("e"),
		"compare": "https://github.com/acme/shop/compare/" + sha("d") + "..." + sha("e"),
		"release": "https://releases.example.com/shop/1.2.0",
	}, d["links"])

	// The first deployment of a repository and environment has nothing to compare with.
	for _, i := range []int{0, 3, 4, 5} {
		require.NotContains(t, ds[i], "previousCommitSha", ds[i]["release"])
		require.NotContains(t, ds[i]["links"], "compare", ds[i]["release"])
		require.Contains(t, ds[i]["links"], "commit")
	}
	require.Equal(t, "main", ds[5]["branch"])
	require.Equal(t, "https://github.com/acme/api/releases/tag/2.0.0", ds[3]["links"].(map[string]any)["release"])

	// Instance administrators may read, non-members may not.
	f.want(http.StatusOK, req{method: http.MethodGet, path: deploymentsPath(f.shop, nil), as: f.root})
	f.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: deploymentsPath(f.shop, nil), as: f.signInStranger()})

	// Another project's list is empty.
	other := f.create(f.olive, map[string]any{"name": "Other"})["id"].(string)
	body = f.want(http.StatusOK, req{method: http.MethodGet, path: deploymentsPath(other, nil), as: f.olive})
	require.Empty(t, body["deployments"])
	require.Equal(t, 0.0, body["total"])
}

func TestListDeploymentsFilters(t *testing.T) {
	t.Parallel()
	f := setupDeployments(t)
	for _, c := range []struct {
		query url.Values
		want  []string
	}{
		{url.Values{"repository": {"acme/api"}}, []string{"2.0.0"}},
		{url.Values{"repository": {"acme/sho"}}, nil},
		{url.Values{"environment": {"staging"}}, []string{"1.1.0"}},
		{url.Values{"repository": {"acme/shop"}, "environment": {"production"}}, []string{"1.2.0", "1.1.0", "1.0.0"}},
		{url.Values{"source": {"api"}}, []string{"web-1", "1.2.0", "1.1.0", "2.0.0", "1.1.0", "1.0.0"}},
		{url.Values{"source": {"manual"}}, nil},
		{url.Values{"q": {"1.1"}}, []string{"1.1.0", "1.1.0"}},
		{url.Values{"q": {"  1.1  "}}, []string{"1.1.0", "1.1.0"}},
		{url.Values{"q": {"CCCCCCC"}}, []string{"2.0.0"}},  // the commit, any case
		{url.Values{"q": {"ACME/API"}}, []string{"2.0.0"}}, // the repository
		{url.Values{"q": {"main"}}, []string{"1.0.0"}},     // the branch
		{url.Values{"q": {"_"}}, []string{"1.2.0"}},        // a literal underscore, not any character
		{url.Values{"q": {"%"}}, []string{"1.2.0"}},        // a literal percent sign
		{url.Values{"q": {`\`}}, nil},                      // a lone backslash is a character too
		{url.Values{"q": {"x%"}, "environment": {"production"}}, []string{"1.2.0"}},
		{url.Values{"q": {"1.1"}, "environment": {"staging"}}, []string{"1.1.0"}},
	} {
		body := f.list(c.query)
		require.Equal(t, c.want, releases(body), c.query.Encode())
		require.Equal(t, float64(len(c.want)), body["total"], c.query.Encode())
	}
	for _, bad := range []url.Values{
		{"source": {"github"}}, {"limit": {"0"}}, {"limit": {"101"}}, {"limit": {"ten"}},
		{"repository": {strings.Repeat("a", 201)}}, {"q": {strings.Repeat("a", 201)}},
	} {
		f.wantError(http.StatusBadRequest, "invalid_request", req{method: http.MethodGet, path: deploymentsPath(f.shop, bad), as: f.vera})
	}
	// Text PostgreSQL cannot hold is refused, not a server error.
	for _, raw := range []string{"q=%00", "q=a%ffb", "repository=acme%00", "environment=%fe"} {
		f.wantError(http.StatusBadRequest, "invalid_request", req{method: http.MethodGet, path: deploymentsPath(f.shop, nil) + "?" + raw, as: f.vera})
	}
}

func TestListDeploymentsPaging(t *testing.T) {
	t.Parallel()
	f := setupDeployments(t)
	all := releases(f.list(nil))

	for _, limit := range []int{1, 2, 3, 4, 5, 6, 7} {
		var got []string
		cursor := ""
		pages := 0
		for {
			q := url.Values{"limit": {strconv.Itoa(limit)}}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			body := f.list(q)
			pages++
			require.Equal(t, 6.0, body["total"], "the total counts every page")
			page := releases(body)
			require.LessOrEqual(t, len(page), limit)
			got = append(got, page...)
			next, ok := body["nextCursor"].(string)
			if !ok {
				break
			}
			require.Len(t, page, limit, "only a full page has a next one")
			cursor = next
		}
		require.Equal(t, all, got, "limit %d", limit)
		require.Equal(t, (6+limit-1)/limit, pages, "limit %d: no empty last page", limit)
	}

	// Paging through the production deployments of acme/shop, two at a time.
	q := url.Values{"repository": {"acme/shop"}, "environment": {"production"}, "limit": {"2"}}
	body := f.list(q)
	require.Equal(t, []string{"1.2.0", "1.1.0"}, releases(body))
	cursor := body["nextCursor"].(string)
	q.Set("cursor", cursor)
	body = f.list(q)
	require.Equal(t, []string{"1.0.0"}, releases(body))
	require.Equal(t, 3.0, body["total"])

	// A cursor belongs to its filters and project; a made-up one is refused.
	for _, bad := range []url.Values{
		{"cursor": {cursor}},
		{"cursor": {cursor}, "repository": {"acme/shop"}},
		{"cursor": {cursor}, "repository": {"acme/shop"}, "environment": {"production"}, "q": {"1"}},
		{"cursor": {"bm90LWEtY3Vyc29y"}},
		{"cursor": {cursor[:len(cursor)-2] + "AA"}},
	} {
		f.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, path: deploymentsPath(f.shop, bad), as: f.vera})
	}
	f.wantError(http.StatusBadRequest, "invalid_request", req{method: http.MethodGet,
		path: deploymentsPath(f.shop, url.Values{"cursor": {"not a cursor!"}}), as: f.vera})
	other := f.create(f.olive, map[string]any{"name": "Other"})["id"].(string)
	f.wantError(http.StatusBadRequest, "invalid_cursor", req{method: http.MethodGet, as: f.olive,
		path: deploymentsPath(other, url.Values{"cursor": {cursor}, "repository": {"acme/shop"}, "environment": {"production"}, "limit": {"2"}})})
	// The page size is not part of the filters.
	q.Set("limit", "1")
	require.Equal(t, []string{"1.0.0"}, releases(f.list(q)))
}

// TestDeploymentLinksOnAnotherWebHost runs a server whose LOGISTER_GITHUB_WEB_URL is a GitHub
// Enterprise host: inferred links, at ingestion and when listing, point there.
func TestDeploymentLinksOnAnotherWebHost(t *testing.T) {
	t.Parallel()
	tm := setupTeam(t, nil)
	const web = "https://ghe.example.com/"
	logger := logging.New(io.Discard, "json", slog.LevelDebug)
	in := intake.NewService(newCommitter(t, tm.store), tm.store)
	in.GitHubWebURL = web
	e, err := httpapi.New(httpapi.Deps{
		Logger: logger, Metrics: metrics.New(tm.store.SQLDB()), Health: health.NewChecker(tm.store, nil, logger),
		Setup: tm.setup, Accounts: tm.accounts, PublicURL: testPublicURL, Mail: tm.outbox, Projects: tm.projects,
		InstanceName: "Test Instance", Version: "1.2.3", Auth: tm.keys, Intake: in,
		Deployments: deploy.New(tm.store.DB, web),
	})
	require.NoError(t, err)
	tm.e = e

	shop := tm.shop()["id"].(string)
	key := tm.newKey(shop, tm.olive)
	now := tm.clock.Now()
	tm.deployment(key, now.Add(-time.Hour), map[string]any{"release": "v1", "commit_sha": "1234567"})
	tm.deployment(key, now, map[string]any{"release": "v2 beta/1", "commit_sha": "89abcdef", "branch": "refs/pull/7/head", "release_tag": "v2"})
	body := tm.want(http.StatusOK, req{method: http.MethodGet, path: deploymentsPath(shop, nil), as: tm.vera})
	ds := list(body, "deployments")
	require.Equal(t, 7.0, ds[0]["pullRequestNumber"], "the pull request of a refs/pull/ ref")
	require.Equal(t, "89abcde", ds[0]["shortCommitSha"])
	require.Equal(t, map[string]any{
		"commit":      "https://ghe.example.com/acme/shop/commit/89abcdef",
		"compare":     "https://ghe.example.com/acme/shop/compare/1234567...89abcdef",
		"pullRequest": "https://ghe.example.com/acme/shop/pull/7",
		"release":     "https://ghe.example.com/acme/shop/releases/tag/v2",
	}, ds[0]["links"])
	require.Equal(t, "https://ghe.example.com/acme/shop/releases/tag/v1", ds[1]["links"].(map[string]any)["release"])
}

// issueAt ingests an error occurrence through the public API, in its own group (fingerprint),
// and returns the group's id.
func (b *authBundle) issueAt(key, projectID, fingerprint, env, release string, at time.Time) string {
	b.t.Helper()
	ctx := map[string]any{"environment": env}
	if release != "" {
		ctx["release"] = release
	}
	body, err := json.Marshal(map[string]any{"event": map[string]any{
		"event_type": "error", "level": "error", "message": "Boom " + fingerprint, "fingerprint": fingerprint,
		"occurred_at": at.UTC().Format(time.RFC3339Nano), "context": ctx,
	}})
	require.NoError(b.t, err)
	require.Equal(b.t, http.StatusCreated, b.ingest(key, "/api/v1/ingest_events", string(body)))
	var id string
	require.NoError(b.t, b.store.Pool.QueryRow(context.Background(),
		`SELECT uuid FROM error_groups WHERE project_id = $1 AND fingerprint = $2`, b.projectRowID(projectID), fingerprint).Scan(&id))
	return id
}

func TestIssueDeploymentContext(t *testing.T) {
	t.Parallel()
	f := setupDeployments(t)
	get := func(issue string) map[string]any {
		return f.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(f.shop, "/"+issue+"/deployment"), as: f.vera})
	}
	deployment := func(c map[string]any, field string) (release, env, commit string) {
		d := c[field].(map[string]any)
		return d["release"].(string), d["environment"].(string), d["commitSha"].(string)
	}

	// The release's deployment in the issue's environment, with the one before it.
	c := get(f.issueAt(f.key, f.shop, "prod-1.1", "production", "1.1.0", f.now.Add(-110*time.Minute)))
	require.Equal(t, "release", c["match"])
	r, env, commit := deployment(c, "deployment")
	require.Equal(t, []string{"1.1.0", "production", sha("d")}, []string{r, env, commit})
	require.Equal(t, "https://github.com/acme/shop/compare/"+sha("a")+"..."+sha("d"), c["deployment"].(map[string]any)["links"].(map[string]any)["compare"])
	require.Equal(t, sha("a"), c["deployment"].(map[string]any)["previousCommitSha"])
	r, env, commit = deployment(c, "previous")
	require.Equal(t, []string{"1.0.0", "production", sha("a")}, []string{r, env, commit})
	require.NotContains(t, c["previous"].(map[string]any)["links"], "compare", "1.0.0 was the first")
	require.Equal(t, 10.0, c["minutesAfterDeploy"])

	// In staging, the staging deployment of the release (which has no previous one).
	c = get(f.issueAt(f.key, f.shop, "staging-1.1", "staging", "1.1.0", f.now.Add(-4*time.Hour+90*time.Second)))
	require.Equal(t, "release", c["match"])
	r, env, _ = deployment(c, "deployment")
	require.Equal(t, []string{"1.1.0", "staging"}, []string{r, env})
	require.NotContains(t, c, "previous")
	require.Equal(t, 1.0, c["minutesAfterDeploy"], "whole minutes")

	// In an environment without a deployment of the release: the newest in any environment. An
	// issue first seen before that deployment has no minutes after it.
	c = get(f.issueAt(f.key, f.shop, "qa-1.1", "qa", "1.1.0", f.now.Add(-3*time.Hour)))
	require.Equal(t, "release", c["match"])
	r, env, _ = deployment(c, "deployment")
	require.Equal(t, []string{"1.1.0", "production"}, []string{r, env})
	require.NotContains(t, c, "minutesAfterDeploy")

	// An unknown release: the newest deployment at or before the first occurrence, in the
	// issue's environment when there is one there.
	c = get(f.issueAt(f.key, f.shop, "unknown-release", "production", "9.9.9", f.now.Add(-150*time.Minute)))
	require.Equal(t, "before_first_seen", c["match"])
	r, env, _ = deployment(c, "deployment")
	require.Equal(t, []string{"2.0.0", "production"}, []string{r, env})
	require.NotContains(t, c, "previous")
	require.Equal(t, 30.0, c["minutesAfterDeploy"])

	c = get(f.issueAt(f.key, f.shop, "staging-no-release", "staging", "", f.now.Add(-30*time.Minute)))
	require.Equal(t, "before_first_seen", c["match"])
	r, env, _ = deployment(c, "deployment")
	require.Equal(t, []string{"1.1.0", "staging"}, []string{r, env}, "staging's, though newer ones went elsewhere")
	require.Equal(t, 210.0, c["minutesAfterDeploy"])

	c = get(f.issueAt(f.key, f.shop, "dev-exact", "development", "", f.now.Add(-time.Hour)))
	require.Equal(t, "before_first_seen", c["match"])
	r, _, _ = deployment(c, "deployment")
	require.Equal(t, "web-1", r, "no deployment in development: the newest at or before, in any environment")
	require.Equal(t, 0.0, c["minutesAfterDeploy"], "at the deployment's time")

	// Nothing fits: first seen before every deployment, with an unknown release.
	c = get(f.issueAt(f.key, f.shop, "too-early", "production", "0.1", f.now.Add(-6*time.Hour)))
	require.Equal(t, map[string]any{"match": "none"}, c)

	// A project without deployments.
	other := f.create(f.olive, map[string]any{"name": "Other"})["id"].(string)
	otherIssue := f.issueAt(f.newKey(other, f.olive), other, "other", "production", "1.1.0", f.now)
	c = f.want(http.StatusOK, req{method: http.MethodGet, path: issuesPath(other, "/"+otherIssue+"/deployment"), as: f.olive})
	require.Equal(t, map[string]any{"match": "none"}, c)

	// Unknown issues, ids that are not uuids, and another project's issues are 404.
	for _, id := range []string{uuid.NewString(), "nope", otherIssue} {
		f.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: issuesPath(f.shop, "/"+id+"/deployment"), as: f.vera})
	}
	f.wantError(http.StatusNotFound, "not_found", req{method: http.MethodGet, path: issuesPath(other, "/"+otherIssue+"/deployment"), as: f.vera})
}
