package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/logister/logister/api/public"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/clientip"
	"github.com/logister/logister/server/internal/intake"
	"github.com/logister/logister/server/internal/metrics"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/ratelimit"
	"github.com/logister/logister/server/internal/store"
)

// ingestPath matches the public ingestion paths with the optional ".json" suffix and trailing slash
// that the reference server accepts.
var ingestPath = regexp.MustCompile(`^(/api/v1/(?:ingest_events(?:/batch)?|check_ins|deployments))(?:\.json)?/?$`)

// canonicalIngestPaths rewrites /api/v1/ingest_events.json/ and the like to the canonical path
// before routing.
func canonicalIngestPaths(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if m := ingestPath.FindStringSubmatch(req.URL.Path); m != nil && m[1] != req.URL.Path {
			req.URL.Path, req.URL.RawPath = m[1], ""
		}
		return next(c)
	}
}

// maxBody is the largest request body of the ingestion endpoints (reference 1.3), checked against
// Content-Length and while reading chunked bodies.
const maxBody = 2 << 20

// Authenticator resolves an ingest key to its project.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (*store.ActiveKey, error)
	// Cached reports whether Authenticate would answer for token without the database.
	Cached(token string) bool
}

// Intake accepts decoded events; *intake.Service implements it.
type Intake interface {
	Event(ctx context.Context, key intake.Key, body []byte) (*intake.Accepted, error)
	CheckIn(ctx context.Context, key intake.Key, body []byte) (*intake.Accepted, error)
	Batch(ctx context.Context, key intake.Key, body []byte, contentType, contentEncoding string, charge func(envelopes int) error) (*intake.BatchOutcome, error)
	Deployment(ctx context.Context, key intake.Key, body []byte) (*intake.Accepted, error)
}

// ingestServer implements the public ingestion endpoints.
type ingestServer struct {
	auth   Authenticator
	intake Intake
	limits *limits
}

// The rate-limit scopes of the endpoints (reference section 2): single events and batches share one.
const (
	scopeIngest     = "ingest"
	scopeCheckIn    = "check_in"
	scopeDeployment = "deployment"
)

var _ public.ServerInterface = (*ingestServer)(nil)

// IngestEvent stores one event: 201, or 200 for a repeat.
func (s *ingestServer) IngestEvent(c echo.Context) error {
	return s.single(c, scopeIngest, s.intake.Event)
}

// IngestCheckIn stores one check-in: 201, or 200 for a repeat.
func (s *ingestServer) IngestCheckIn(c echo.Context) error {
	return s.single(c, scopeCheckIn, s.intake.CheckIn)
}

// IngestDeployment upserts a deployment: always 201.
func (s *ingestServer) IngestDeployment(c echo.Context) error {
	r, err := s.begin(c, scopeDeployment)
	if err != nil {
		return err
	}
	a, err := s.intake.Deployment(c.Request().Context(), r.key, r.body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, public.IngestAccepted{Id: a.ID, Status: public.IngestAcceptedStatusAccepted})
}

func (s *ingestServer) single(c echo.Context, scope string, accept func(context.Context, intake.Key, []byte) (*intake.Accepted, error)) error {
	r, err := s.begin(c, scope)
	if err != nil {
		return err
	}
	a, err := accept(c.Request().Context(), r.key, r.body)
	if err != nil {
		return err
	}
	out := public.IngestAccepted{Id: a.ID, Status: public.IngestAcceptedStatusAccepted}
	if a.Span {
		out.Type = ptr(public.IngestAcceptedTypeSpan)
	}
	status := http.StatusCreated
	if a.Duplicate {
		out.Duplicate = ptr(true)
		status = http.StatusOK
	}
	return c.JSON(status, out)
}

// IngestBatch stores up to 100 envelopes atomically: 202, or 422 with a result per envelope.
func (s *ingestServer) IngestBatch(c echo.Context, params public.IngestBatchParams) error {
	r, err := s.begin(c, scopeIngest)
	if err != nil {
		return err
	}
	req := c.Request()
	// A batch counts its envelopes (reference 1.8): one at authentication, the rest once decoded,
	// before anything is stored.
	charge := func(envelopes int) error {
		if envelopes <= 1 {
			return nil
		}
		return s.limits.take(c, ratelimit.Request{Rule: r.rule, Amount: int64(envelopes - 1)})
	}
	outcome, err := s.intake.Batch(req.Context(), r.key, r.body, req.Header.Get(echo.HeaderContentType), req.Header.Get(echo.HeaderContentEncoding), charge)
	if err != nil {
		return err
	}
	out := public.BatchResult{SchemaVersion: public.N1, Status: public.BatchResultStatusAccepted, Results: make([]public.BatchEntryResult, len(outcome.Entries))}
	if params.XLogisterBatchId != nil {
		id := *params.XLogisterBatchId
		if len(id) > 128 {
			id = strings.ToValidUTF8(id[:128], "")
		}
		out.BatchId = &id
	}
	for i, e := range outcome.Entries {
		r := public.BatchEntryResult{Index: i, Type: ptr(public.BatchEntryResultTypeEvent)}
		if e.Span {
			r.Type = ptr(public.BatchEntryResultTypeSpan)
		}
		switch {
		case e.Accepted != nil: // stored (or a repeat of a stored event)
			r.Status, r.Id, r.Duplicate = public.BatchEntryResultStatusAccepted, &e.Accepted.ID, &e.Accepted.Duplicate
			out.Accepted++
			if e.Accepted.Duplicate {
				out.Duplicates++
			}
		case e.RolledBack:
			r.Status, r.Errors = public.BatchEntryResultStatusRolledBack, &e.Errors
		default:
			r.Status, r.Errors = public.BatchEntryResultStatusRejected, &e.Errors
		}
		out.Results[i] = r
	}
	if outcome.Rejected {
		out.Status = public.BatchResultStatusRejected
		return c.JSON(http.StatusUnprocessableEntity, out)
	}
	return c.JSON(http.StatusAccepted, out)
}

// authorized is an authenticated request within its key's rate limit.
type authorized struct {
	key  intake.Key
	body []byte
	// rule is the key's counter for the endpoint.
	rule ratelimit.Rule
}

// begin authenticates the request, counts it against its key's limit for the endpoint's scope, and
// reads its body, within the size limit. A failed authentication counts against the client's
// auth-failure limit. The request's pre-auth count, unless preAuthLimit took it already, travels
// in the same round trip.
func (s *ingestServer) begin(c echo.Context, scope string) (authorized, error) {
	req := c.Request()
	var counts []ratelimit.Request
	if c.Get(preAuthCounted) == nil {
		counts = append(counts, ratelimit.Request{Rule: s.limits.preAuth(c), Amount: 1})
	}
	key, err := s.auth.Authenticate(req.Context(), token(req))
	if apperr.KindOf(err) == apperr.KindUnauthorized {
		counts = append(counts, ratelimit.Request{Rule: s.limits.authFailure(err, c), Amount: 1})
		if limited := s.limits.take(c, counts...); limited != nil {
			return authorized{}, limited
		}
		return authorized{}, err
	}
	if err != nil {
		return authorized{}, err
	}
	rule := s.limits.submission(key, scope)
	if err := s.limits.take(c, append(counts, ratelimit.Request{Rule: rule, Amount: 1})...); err != nil {
		return authorized{}, err
	}
	if req.ContentLength > maxBody {
		return authorized{}, errRequestTooLarge(req.ContentLength)
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return authorized{}, errRequestTooLarge(0)
	}
	if err != nil {
		return authorized{}, apperr.Invalid("unreadable_body", "The request body could not be read.")
	}
	return authorized{key: intake.Key{ProjectID: key.ProjectID, APIKeyID: key.KeyID}, body: body, rule: rule}, nil
}

func errRequestTooLarge(actual int64) error {
	return apperr.TooLarge("request_bytes", "telemetry request exceeds 2097152 bytes", maxBody, actual)
}

// token extracts the ingest key: a bearer token wins over X-Api-Key (reference 1.2).
func token(req *http.Request) string {
	if auth := req.Header.Get(echo.HeaderAuthorization); strings.HasPrefix(auth, "Bearer ") {
		return strings.TrimSpace(auth[len("Bearer "):])
	}
	return strings.TrimSpace(req.Header.Get("X-Api-Key"))
}

// limits applies the public API's rate limits (reference section 2). Each check sets the
// X-RateLimit-* headers, so a response carries those of the last limit its request was counted
// against; a refusal is an apperr RateLimited, which errors.go answers with 429 and Retry-After.
type limits struct {
	limiter *ratelimit.Limiter
	policy  ratelimit.Policy // the instance's; projects may override some of it
	ips     *clientip.Resolver
	metrics *metrics.Registry
}

// take counts every request against its rule, in one round trip, and returns an apperr
// RateLimited for the first one over its limit. The X-RateLimit-* headers describe that one, or
// the last counter when all are within their limits.
func (l *limits) take(c echo.Context, reqs ...ratelimit.Request) error {
	ds := l.limiter.TakeAll(c.Request().Context(), reqs...)
	i := slices.IndexFunc(ds, func(d ratelimit.Decision) bool { return !d.Allowed })
	d := ds[len(ds)-1]
	if i >= 0 {
		d = ds[i]
	}
	h := c.Response().Header()
	h.Set("X-RateLimit-Limit", strconv.FormatInt(d.Limit, 10))
	h.Set("X-RateLimit-Remaining", strconv.FormatInt(d.Remaining, 10))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(d.Reset.Unix(), 10))
	if i < 0 {
		return nil
	}
	rule := reqs[i].Rule
	l.metrics.ObserveRateLimited(string(rule.Kind))
	return apperr.RateLimited(d.Limit, int64(rule.Period/time.Second), int64(d.RetryAfter/time.Second))
}

// clientIdentity is the identity per-IP counters count the request's client by.
func (l *limits) clientIdentity(c echo.Context) string {
	return "ip:" + clientip.Bucket(l.ips.Addr(c.Request()))
}

// preAuth is the counter of every request from the client to the public endpoints, before
// authentication. It is instance-wide: projects cannot override it.
func (l *limits) preAuth(c echo.Context) ratelimit.Rule {
	return ratelimit.Rule{Kind: ratelimit.KindPreAuth, Scope: "all", Identity: l.clientIdentity(c),
		Limit: l.policy.PreAuth, Period: l.policy.Period}
}

// submission is the counter of key's submissions to the endpoints of scope.
func (l *limits) submission(key *store.ActiveKey, scope string) ratelimit.Rule {
	p := project.RateLimits(l.policy, key.RateLimits)
	return ratelimit.Rule{Kind: ratelimit.KindSubmission, Scope: scope,
		Identity: "api_key:" + strconv.FormatInt(key.KeyID, 10), Limit: p.Requests, Period: p.Period}
}

// authFailure is the counter of the client's failed authentications. A revoked key or one of an
// archived project is counted with that project's overrides.
func (l *limits) authFailure(err error, c echo.Context) ratelimit.Rule {
	p := l.policy
	var unusable *project.UnusableKeyError
	if errors.As(err, &unusable) {
		p = project.RateLimits(p, unusable.RateLimits)
	}
	return ratelimit.Rule{Kind: ratelimit.KindAuthFailure, Scope: "all", Identity: l.clientIdentity(c),
		Limit: p.AuthFailures, Period: p.Period}
}
