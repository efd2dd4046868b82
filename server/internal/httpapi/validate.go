package httpapi

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"

	"github.com/logister/logister/server/internal/apperr"
)

// newRequestValidator returns middleware that validates every request that matches an operation
// in spec (parameters and bodies) before it reaches a handler, except the public ingestion ones. Requests that match no operation are
// left to the router, which answers 404 or 405.
func newRequestValidator(spec *openapi3.T) (echo.MiddlewareFunc, error) {
	spec.Servers = nil // match paths as they are, whatever host serves them
	router, err := legacy.NewRouter(spec)
	if err != nil {
		return nil, fmt.Errorf("httpapi: build validation router: %w", err)
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		MultiError:         true,
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			route, params, err := router.FindRoute(req)
			if err != nil || slices.Contains(route.Operation.Tags, "ingest") {
				// Unknown routes are the router's business; the public ingestion endpoints accept
				// whatever the SDKs send and validate it themselves, as the reference server does.
				return next(c)
			}
			err = openapi3filter.ValidateRequest(req.Context(), &openapi3filter.RequestValidationInput{
				Request: req, PathParams: params, Route: route, Options: opts,
			})
			if err != nil {
				return validationError(err)
			}
			return next(c)
		}
	}, nil
}

// validationError turns kin-openapi's errors into a 400 whose messages name the offending input but
// do not dump the schema.
func validationError(err error) error {
	var msgs []string
	var collect func(where string, err error)
	collect = func(where string, err error) {
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, inner := range e {
				collect(where, inner)
			}
		case *openapi3filter.RequestError:
			where = "request body"
			if p := e.Parameter; p != nil {
				where = fmt.Sprintf("%s parameter %q", p.In, p.Name)
			}
			if e.Err != nil {
				collect(where, e.Err)
			} else {
				msgs = append(msgs, where+": "+e.Reason)
			}
		case *openapi3.SchemaError:
			msgs = append(msgs, where+": "+schemaMessage(e))
		default:
			if where == "" {
				where = "request"
			}
			msgs = append(msgs, where+" does not match the API description")
		}
	}
	collect("", err)
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
