package httpapi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
)

// maxAppBody is the largest request body of the app and admin API (JSON forms, all small).
const maxAppBody = 1 << 20

// newRequestValidator returns middleware that, for every request matching an operation in spec
// except the public ingestion ones, first authenticates it as the operation's security
// requirements say (auth.go), then validates its parameters and body. Requests that match no
// operation are left to the router, which answers 404 or 405.
func newRequestValidator(spec *openapi3.T, auth *authenticator) (echo.MiddlewareFunc, error) {
	spec.Servers = nil // match paths as they are, whatever host serves them
	router, err := legacy.NewRouter(spec)
	if err != nil {
		return nil, fmt.Errorf("httpapi: build validation router: %w", err)
	}
	// The ingestion paths skip the router: they are the hot path, and all they would get from it is
	// being skipped.
	ingestPaths := map[string]bool{}
	// appRoutes are the methods and Echo route patterns of every other operation (GET /a/:id): a
	// request Echo routes to one of them that the spec's router does not match (an escaped slash in
	// a parameter, say) must not reach the handler unauthenticated.
	appRoutes := map[string]bool{}
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			if slices.Contains(op.Tags, "ingest") {
				ingestPaths[path] = true
			} else {
				appRoutes[method+" "+echoPattern(path)] = true
			}
		}
	}
	opts := &openapi3filter.Options{
		// Security is checked by auth.authenticate first, so that an anonymous request gets 401
		// whatever else is wrong with it.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		MultiError:         true,
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if ingestPaths[req.URL.Path] {
				return next(c)
			}
			route, params, err := router.FindRoute(req)
			if err != nil && appRoutes[req.Method+" "+c.Path()] {
				return apperr.NotFound("No API endpoint matches %s %s.", req.Method, req.URL.Path)
			}
			if err != nil || slices.Contains(route.Operation.Tags, "ingest") {
				// Unknown routes are the router's business; the public ingestion endpoints accept
				// whatever the SDKs send and validate it themselves, as the reference server does.
				return next(c)
			}
			if err := textParameters(req, params); err != nil {
				return err
			}
			if err := limitBody(req); err != nil {
				return err
			}
			req = req.WithContext(withRequestInfo(c, auth.publicURL))
			input := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
			p, err := auth.authenticate(req, route.Operation, route.Spec, input)
			if err != nil {
				return err
			}
			if p != nil {
				req = req.WithContext(account.WithPrincipal(req.Context(), p))
				input.Request = req
			}
			acc, err := auth.authorizeProject(req.Context(), route.Operation, params, p)
			if err != nil {
				return err
			}
			if acc != nil {
				req = req.WithContext(withProjectAccess(req.Context(), acc))
				input.Request = req
			}
			c.SetRequest(req)
			if err := openapi3filter.ValidateRequest(req.Context(), input); err != nil {
				return validationError(err)
			}
			return next(c)
		}
	}, nil
}

// echoPattern turns an OpenAPI path template (/projects/{projectId}) into Echo's (/projects/:projectId).
func echoPattern(path string) string {
	return strings.NewReplacer("{", ":", "}", "").Replace(path)
}

// textParameters refuses path and query parameters that are not UTF-8 text without NUL characters,
// which no operation accepts and PostgreSQL text cannot hold.
func textParameters(req *http.Request, path map[string]string) error {
	bad := func(name, v string) error {
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return apperr.Invalid("invalid_request", "Parameter %q must be UTF-8 text without NUL characters.", name)
		}
		return nil
	}
	for name, v := range path {
		if err := bad(name, v); err != nil {
			return err
		}
	}
	for name, vs := range req.URL.Query() {
		for _, v := range vs {
			if err := bad(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// limitBody refuses app API bodies over maxAppBody. A body of unknown length (chunked) is read
// into memory here, within the limit, so that nothing later reads an unbounded stream.
func limitBody(req *http.Request) error {
	tooLarge := apperr.TooLarge("request_bytes", "The request body is too large.", maxAppBody, max(req.ContentLength, 0))
	if req.ContentLength > maxAppBody {
		return tooLarge
	}
	if req.ContentLength >= 0 || req.Body == nil || req.Body == http.NoBody {
		return nil // the server reads no more than Content-Length
	}
	data, err := io.ReadAll(io.LimitReader(req.Body, maxAppBody+1))
	if err != nil {
		return fmt.Errorf("httpapi: read request body: %w", err)
	}
	if len(data) > maxAppBody {
		return tooLarge
	}
	req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(data)), int64(len(data))
	return nil
}

// validationError turns kin-openapi's errors into a 400 whose messages name the offending input but
// do not dump the schema. When the only problems are body fields that break the schema (the JSON
// itself is fine), it is a 422 naming each field instead, as the domain's own validation does.
func validationError(err error) error {
	var (
		msgs   []string
		fields []apperr.FieldError
		other  bool // a problem that is not a body field: parameter, malformed JSON, ...
	)
	var collect func(where string, inBody bool, err error)
	collect = func(where string, inBody bool, err error) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, inner := range e {
				collect(where, inBody, inner)
			}
		case *openapi3filter.RequestError:
			where, inBody = "request body", true
			if p := e.Parameter; p != nil {
				where, inBody = fmt.Sprintf("%s parameter %q", p.In, p.Name), false
			}
			if e.Err != nil {
				collect(where, inBody, e.Err)
			} else {
				other = true
				msgs = append(msgs, where+": "+e.Reason)
			}
		case *openapi3.SchemaError:
			msgs = append(msgs, where+": "+schemaMessage(e))
			if inBody {
				fields = append(fields, bodyFieldError(e))
			} else {
				other = true
			}
		default:
			other = true
			if where == "" {
				where = "request"
			}
			msgs = append(msgs, where+" does not match the API description")
		}
	}
	collect("", false, err)
	if !other && len(fields) > 0 {
		return apperr.InvalidFields(fields...)
	}
	e := apperr.Invalid("invalid_request", "The request is invalid: %s.", strings.Join(msgs, "; "))
	if len(msgs) > 1 {
		e.Details = msgs
	}
	return e
}

func schemaMessage(e *openapi3.SchemaError) string {
	if ptr := e.JSONPointer(); len(ptr) > 0 {
		return fmt.Sprintf("%s at /%s", e.Reason, strings.Join(ptr, "/"))
	}
	return e.Reason
}

// propertyReason matches kin-openapi's reasons about a named property of an object.
var propertyReason = regexp.MustCompile(`^property "([^"]+)" is (missing|unsupported)$`)

// bodyFieldError names the body field a schema error is about, with a message for a form.
func bodyFieldError(e *openapi3.SchemaError) apperr.FieldError {
	field := strings.Join(e.JSONPointer(), ".")
	msg := e.Reason
	if m := propertyReason.FindStringSubmatch(e.Reason); m != nil {
		if ptr := e.JSONPointer(); len(ptr) == 0 || ptr[len(ptr)-1] != m[1] {
			field = strings.Trim(field+"."+m[1], ".")
		}
		msg = map[string]string{"missing": "is required", "unsupported": "is not a known field"}[m[2]]
	}
	if field == "" {
		field = "body"
	}
	return apperr.FieldError{Field: field, Message: msg}
}
