// Package httpapi is Logister's HTTP layer: it builds the Echo server, implements the generated
// api.StrictServerInterface by calling domain services, serves the embedded web app, and maps every
// error to the one JSON error shape in exactly one place (errors.go).
package httpapi

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/labstack/echo/v4"
	"go.yaml.in/yaml/v3"

	"github.com/logister/logister/api"
	"github.com/logister/logister/api/public"
	apispec "github.com/logister/logister/api/spec"
	"github.com/logister/logister/server/internal/health"
	"github.com/logister/logister/server/internal/metrics"
)

// Readiness is what the HTTP layer needs to answer readiness questions.
type Readiness interface {
	Check(ctx context.Context) health.Report
}

// Setup is what the HTTP layer needs from the first-run setup service.
type Setup interface {
	Required(ctx context.Context) (bool, error)
	Check(ctx context.Context, token string) error
}

// Deps are the services the HTTP layer calls. Every field is required unless its comment says otherwise.
type Deps struct {
	Logger       *slog.Logger
	Metrics      *metrics.Registry
	Health       Readiness
	Setup        Setup
	InstanceName string
	Version      string
	// Commit is the source revision, or "".
	Commit string
	// App is the built web app; nil serves a page that says how to build it.
	App fs.FS
	// Auth and Intake serve the public ingestion endpoints.
	Auth   Authenticator
	Intake Intake
}

// Server implements the generated strict server interface.
type Server struct {
	deps     Deps
	specYAML []byte
}

var _ api.StrictServerInterface = (*Server)(nil)

// New builds the Echo instance with every route, middleware and the error handler.
func New(deps Deps) (*echo.Echo, error) {
	spec, err := apispec.GetSwagger()
	if err != nil {
		return nil, fmt.Errorf("httpapi: load embedded spec: %w", err)
	}
	specYAML, err := yaml.Marshal(spec)
	if err != nil {
		return nil, fmt.Errorf("httpapi: render spec: %w", err)
	}
	validator, err := newRequestValidator(spec)
	if err != nil {
		return nil, err
	}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(deps.Logger)
	e.Pre(canonicalIngestPaths)
	e.Use(
		requestID,
		accessLog(deps.Logger, deps.Metrics),
		recoverPanics(deps.Logger),
		securityHeaders,
		validator,
	)

	s := &Server{deps: deps, specYAML: specYAML}
	api.RegisterHandlers(e, api.NewStrictHandler(s, nil))
	public.RegisterHandlers(e, &ingestServer{auth: deps.Auth, intake: deps.Intake})
	registerApp(e, deps.App)
	return e, nil
}
