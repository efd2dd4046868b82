package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/logister/logister/api/public"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/intake"
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
}

// Intake accepts decoded events; *intake.Service implements it.
type Intake interface {
	Event(ctx context.Context, key intake.Key, body []byte) (*intake.Accepted, error)
	CheckIn(ctx context.Context, key intake.Key, body []byte) (*intake.Accepted, error)
	Batch(ctx context.Context, key intake.Key, body []byte, contentType, contentEncoding string) (*intake.BatchOutcome, error)
	Deployment(ctx context.Context, key intake.Key, body []byte) (*intake.Accepted, error)
}

// ingestServer implements the public ingestion endpoints.
type ingestServer struct {
	auth   Authenticator
	intake Intake
}

var _ public.ServerInterface = (*ingestServer)(nil)

// IngestEvent stores one event: 201, or 200 for a repeat.
func (s *ingestServer) IngestEvent(c echo.Context) error {
	return s.single(c, s.intake.Event)
}

// IngestCheckIn stores one check-in: 201, or 200 for a repeat.
func (s *ingestServer) IngestCheckIn(c echo.Context) error {
	return s.single(c, s.intake.CheckIn)
}

// IngestDeployment upserts a deployment: always 201.
func (s *ingestServer) IngestDeployment(c echo.Context) error {
	key, body, err := s.begin(c)
	if err != nil {
		return err
	}
	a, err := s.intake.Deployment(c.Request().Context(), key, body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, public.IngestAccepted{Id: a.ID, Status: public.IngestAcceptedStatusAccepted})
}

func (s *ingestServer) single(c echo.Context, accept func(context.Context, intake.Key, []byte) (*intake.Accepted, error)) error {
	key, body, err := s.begin(c)
	if err != nil {
		return err
	}
	a, err := accept(c.Request().Context(), key, body)
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
	key, body, err := s.begin(c)
	if err != nil {
		return err
	}
	req := c.Request()
	outcome, err := s.intake.Batch(req.Context(), key, body, req.Header.Get(echo.HeaderContentType), req.Header.Get(echo.HeaderContentEncoding))
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

// begin authenticates the request and reads its body, within the size limit.
func (s *ingestServer) begin(c echo.Context) (intake.Key, []byte, error) {
	req := c.Request()
	key, err := s.auth.Authenticate(req.Context(), token(req))
	if err != nil {
		return intake.Key{}, nil, err
	}
	if req.ContentLength > maxBody {
		return intake.Key{}, nil, errRequestTooLarge(req.ContentLength)
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, maxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return intake.Key{}, nil, errRequestTooLarge(0)
	}
	if err != nil {
		return intake.Key{}, nil, apperr.Invalid("unreadable_body", "The request body could not be read.")
	}
	return intake.Key{ProjectID: key.ProjectID, APIKeyID: key.KeyID}, body, nil
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
