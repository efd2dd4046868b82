package ingest

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/logister/logister/server/internal/apperr"
)

// Deployment is one normalised deployment ready to upsert on (repository, environment, release).
type Deployment struct {
	Release     string
	Environment string // "production" when none is given
	Repository  string // owner/name
	CommitSHA   string // lower-case hex, 7 to 40 digits
	Branch      string // without refs/heads/
	DeployedAt  time.Time
	// PullRequestNumber is the pull request's number when it is an integer.
	PullRequestNumber *int
	// Metadata is a JSON object with the members that are known of pull_request_number,
	// pull_request_url, release_tag, release_url, compare_url, workflow_run_url and deployment_url.
	Metadata json.RawMessage
}

// Alias paths of ProjectDeploymentIndexer, after the keys were snake-cased (so the camelCase
// aliases of the reference collapse into these).
var (
	deployCommitPaths = [][]string{{"commit_sha"}, {"git_sha"}, {"sha"}, {"git", "sha"}, {"git", "commit_sha"},
		{"github", "sha"}, {"github", "commit_sha"}, {"deployment", "commit_sha"}}
	deployRepositoryPaths = [][]string{{"repository"}, {"repo"}, {"github_repository"}, {"github", "repository"},
		{"github", "repo"}, {"git", "repository"}, {"deployment", "repository"}}
	deployBranchPaths = [][]string{{"branch"}, {"git", "branch"}, {"github", "branch"}, {"deployment", "branch"},
		{"ref"}, {"github", "ref"}}
	deployReleasePaths     = [][]string{{"release"}, {"deployment", "release"}}
	deployEnvironmentPaths = [][]string{{"environment"}, {"deployment", "environment"}}
	deployDeployedAtPaths  = [][]string{{"deployed_at"}, {"deployment", "deployed_at"}}
	deployPRNumberPaths    = [][]string{{"pull_request_number"}, {"pull_request", "number"},
		{"github", "pull_request", "number"}, {"github", "event", "pull_request", "number"}, {"deployment", "pull_request_number"}}
	deployPRURLPaths = [][]string{{"pull_request_url"}, {"pull_request", "html_url"}, {"github", "pull_request", "html_url"},
		{"github", "event", "pull_request", "html_url"}, {"deployment", "pull_request_url"}}
	deployReleaseURLPaths = [][]string{{"release_url"}, {"github_release_url"}, {"github", "release", "html_url"},
		{"github", "event", "release", "html_url"}, {"deployment", "release_url"}}
	deployReleaseTagPaths = [][]string{{"release_tag"}, {"tag"}, {"tag_name"}, {"github", "release", "tag_name"},
		{"github", "event", "release", "tag_name"}, {"deployment", "release_tag"}}
	deployURLPaths = []struct {
		key   string
		paths [][]string
	}{
		{"compare_url", [][]string{{"compare_url"}, {"github", "compare_url"}, {"deployment", "compare_url"}}},
		{"workflow_run_url", [][]string{{"workflow_run_url"}, {"github", "workflow_run_url"}, {"deployment", "workflow_run_url"}}},
		{"deployment_url", [][]string{{"deployment_url"}, {"github", "deployment_url"}, {"deployment", "url"}}},
	}
	deployKeys = []string{"release", "environment", "repository", "repo", "github_repository", "commit_sha", "sha", "branch", "deployed_at"}

	repositoryPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	commitSHAPattern  = regexp.MustCompile(`^[0-9a-f]{7,40}$`)
	pullRefPattern    = regexp.MustCompile(`^refs/pull/([0-9]+)/`)
)

// Deployment validation messages (ProjectDeploymentIndexer#required_errors, ProjectDeployment).
const (
	msgReleaseBlank     = "Release can't be blank"
	msgRepositoryBlank  = "Repository can't be blank"
	msgCommitBlank      = "Commit sha can't be blank"
	msgCommitInvalid    = "Commit sha must be a 7 to 40 character commit SHA"
	msgRepositoryFormat = "Repository full name must look like owner/repository"
)

// DecodeDeployment decodes a POST /api/v1/deployments body ({"deployment":{...}} or
// {"DEPLOYMENT":{...}}, reference 1.10). Keys are snake-cased recursively and every alias path of
// the reference is read.
//
// Errors are *apperr.Error: KindInvalid (400) for malformed JSON or when no envelope names a
// deployment key; KindUnprocessable (422) with "Release can't be blank", "Repository can't be
// blank", "Commit sha can't be blank" or "Commit sha must be a 7 to 40 character commit SHA", or
// else "Repository full name must look like owner/repository".
func DecodeDeployment(body []byte, opts Options) (*Deployment, error) {
	root, err := parseTree(body)
	if err != nil {
		return nil, invalidJSON(err)
	}
	p := envelopeCandidate(root, deployKeys, "deployment", "DEPLOYMENT")
	if p == nil {
		return nil, missingParam("deployment")
	}
	stripped := func(paths [][]string) string { return presence(trimSpaceASCII(p.firstValue(paths...).str())) }

	d := &Deployment{
		Release:     stripped(deployReleasePaths),
		Environment: stripped(deployEnvironmentPaths),
		Repository:  normalizeRepository(p.firstValue(deployRepositoryPaths...).str()),
		CommitSHA:   strings.ToLower(trimSpaceASCII(p.firstValue(deployCommitPaths...).str())),
		DeployedAt:  opts.now(),
	}
	if d.Environment == "" {
		d.Environment = "production"
	}
	if d.Repository == "" {
		d.Repository = opts.FallbackRepository
	}
	branchRaw := p.firstValue(deployBranchPaths...).str()
	d.Branch = presence(strings.TrimPrefix(trimSpaceASCII(branchRaw), "refs/heads/"))
	if v := p.firstValue(deployDeployedAtPaths...); v != nil {
		if t, ok := parseRawTime(v.raw); ok {
			d.DeployedAt = t
		}
	}

	var problems []string
	if d.Release == "" {
		problems = append(problems, msgReleaseBlank)
	}
	if d.Repository == "" {
		problems = append(problems, msgRepositoryBlank)
	}
	switch {
	case presence(d.CommitSHA) == "":
		problems = append(problems, msgCommitBlank)
	case !commitSHAPattern.MatchString(d.CommitSHA):
		problems = append(problems, msgCommitInvalid)
	}
	if problems != nil {
		return nil, apperr.Unprocessable(problems...)
	}
	if !repositoryPattern.MatchString(d.Repository) {
		return nil, apperr.Unprocessable(msgRepositoryFormat)
	}

	// Metadata (ProjectDeploymentIndexer#github_metadata).
	webURL := strings.TrimRight(opts.GitHubWebURL, "/")
	if webURL == "" {
		webURL = "https://github.com"
	}
	meta := []byte{'{'}
	add := func(key string, val []byte) {
		if len(meta) > 1 {
			meta = append(meta, ',')
		}
		meta = append(appendQuotedString(meta, key), ':')
		meta = append(meta, val...)
	}
	pr := stripped(deployPRNumberPaths)
	if pr == "" {
		if m := pullRefPattern.FindStringSubmatch(branchRaw); m != nil {
			pr = m[1]
		}
	}
	if pr != "" {
		if n, err := strconv.Atoi(pr); err == nil {
			d.PullRequestNumber = &n
			add("pull_request_number", strconv.AppendInt(nil, int64(n), 10))
		} else {
			add("pull_request_number", appendQuotedString(nil, pr))
		}
	}
	prURL := stripped(deployPRURLPaths)
	if prURL == "" && pr != "" {
		prURL = webURL + "/" + d.Repository + "/pull/" + pr
	}
	tag := stripped(deployReleaseTagPaths)
	releaseURL := stripped(deployReleaseURLPaths)
	if releaseURL == "" && tag != "" {
		releaseURL = webURL + "/" + d.Repository + "/releases/tag/" + urlEncode(tag)
	}
	for _, kv := range [...][2]string{{"pull_request_url", prURL}, {"release_tag", tag}, {"release_url", releaseURL}} {
		if kv[1] != "" {
			add(kv[0], appendQuotedString(nil, kv[1]))
		}
	}
	for _, u := range deployURLPaths {
		if v := stripped(u.paths); v != "" {
			add(u.key, appendQuotedString(nil, v))
		}
	}
	meta = append(meta, '}')
	d.Metadata = meta
	return d, nil
}

// normalizeRepository reduces a repository reference to owner/name
// (ProjectDeployment.normalize_repository_full_name).
func normalizeRepository(v string) string {
	v = trimSpaceASCII(v)
	for _, prefix := range [...]string{"https://github.com/", "git@github.com:"} {
		if len(v) >= len(prefix) && strings.EqualFold(v[:len(prefix)], prefix) {
			v = v[len(prefix):]
		}
	}
	v = strings.TrimPrefix(v, "/")
	v = strings.TrimSuffix(v, ".git")
	parts := strings.Split(v, "/")
	for len(parts) > 0 && parts[len(parts)-1] == "" { // Ruby's split drops trailing empty fields
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 2 {
		parts = parts[:2]
	}
	return presence(strings.Join(parts, "/"))
}

// urlEncode percent-encodes everything but A-Z a-z 0-9 _ . - ~ (ERB::Util.url_encode).
func urlEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-' || c == '~' {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
		}
	}
	return b.String()
}
