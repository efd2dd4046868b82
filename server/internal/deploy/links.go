package deploy

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/logister/logister/server/internal/store"
)

// DefaultWebURL is the GitHub web host links point to unless configured otherwise.
const DefaultWebURL = "https://github.com"

// Links are a deployment's links on the GitHub web host; "" when there is none.
type Links struct {
	Commit      string
	Compare     string
	PullRequest string
	Release     string
}

// repositoryPattern is an owner/name as ingestion accepts it, safe in a URL path as is.
var repositoryPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)

// commitPattern is a commit SHA as ingestion stores it.
var commitPattern = regexp.MustCompile(`^[0-9a-f]{7,40}$`)

// ShortSHA is the first 7 characters of a commit SHA (reference 8.8).
func ShortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// BuildLinks returns d's links on the web host webURL (no trailing slash; "" is DefaultWebURL),
// given the commit of the deployment before it ("" when none), as reference 8.8 says:
//
//   - commit: <web>/<repo>/commit/<sha>;
//   - compare: <web>/<repo>/compare/<previous>...<sha>, else the metadata's compare_url;
//   - pull request: <web>/<repo>/pull/<n> from pull_request_number, else the metadata's
//     pull_request_url;
//   - release: the metadata's release_url, else <web>/<repo>/releases/tag/<release>.
//
// URLs from the metadata (which clients send) are used only when they are absolute http(s) URLs,
// so a link never runs script. Nothing is built on a repository or commit ingestion would refuse.
func BuildLinks(webURL string, d *store.Deployment, previousSHA string) Links {
	webURL = strings.TrimRight(webURL, "/")
	if webURL == "" {
		webURL = DefaultWebURL
	}
	meta := metadataURLs(d.Metadata)
	var l Links
	repo := ""
	if repositoryPattern.MatchString(d.RepositoryFullName) {
		repo = webURL + "/" + d.RepositoryFullName
	}
	if repo != "" && commitPattern.MatchString(d.CommitSHA) {
		l.Commit = repo + "/commit/" + d.CommitSHA
		if commitPattern.MatchString(previousSHA) {
			l.Compare = repo + "/compare/" + previousSHA + "..." + d.CommitSHA
		}
	}
	if l.Compare == "" {
		l.Compare = meta.Compare
	}
	if d.PullRequestNumber != nil && *d.PullRequestNumber > 0 && repo != "" {
		l.PullRequest = repo + "/pull/" + strconv.Itoa(*d.PullRequestNumber)
	} else {
		l.PullRequest = meta.PullRequest
	}
	l.Release = meta.Release
	if l.Release == "" && repo != "" && d.Release != "" {
		l.Release = repo + "/releases/tag/" + url.PathEscape(d.Release)
	}
	return l
}

// metadataURLs reads the links a deployment's metadata carries (ingest.DecodeDeployment writes
// them), keeping only absolute http(s) URLs.
func metadataURLs(raw json.RawMessage) Links {
	var m struct {
		PullRequestURL any `json:"pull_request_url"`
		ReleaseURL     any `json:"release_url"`
		CompareURL     any `json:"compare_url"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return Links{}
	}
	return Links{PullRequest: webLink(m.PullRequestURL), Release: webLink(m.ReleaseURL), Compare: webLink(m.CompareURL)}
}

// webLink returns v when it is a string holding an absolute http or https URL, else "".
func webLink(v any) string {
	s, ok := v.(string)
	if !ok || len(s) > 2048 {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}
