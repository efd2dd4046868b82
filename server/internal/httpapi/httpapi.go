// Package httpapi is Logister's HTTP layer: it builds the Echo server, implements the generated
// api.StrictServerInterface by calling domain services, serves the embedded web app, and maps every
// error to the one JSON error shape in exactly one place (errors.go).
package httpapi

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/netip"
	"net/url"

	"github.com/labstack/echo/v4"
	"go.yaml.in/yaml/v3"

	"github.com/logister/logister/api"
	"github.com/logister/logister/api/public"
	apispec "github.com/logister/logister/api/spec"
	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/clientip"
	"github.com/logister/logister/server/internal/dashboard"
	"github.com/logister/logister/server/internal/deploy"
	"github.com/logister/logister/server/internal/health"
	"github.com/logister/logister/server/internal/mail"
	"github.com/logister/logister/server/internal/metrics"
	"github.com/logister/logister/server/internal/monitor"
	"github.com/logister/logister/server/internal/project"
	"github.com/logister/logister/server/internal/ratelimit"
	"github.com/logister/logister/server/internal/telemetry"
	"github.com/logister/logister/server/internal/triage"
)

// Readiness is what the HTTP layer needs to answer readiness questions.
type Readiness interface {
	Check(ctx context.Context) health.Report
}

// Setup is what the HTTP layer needs from the first-run setup service.
type Setup interface {
	Required(ctx context.Context) (bool, error)
	Check(ctx context.Context, token string) error
	Claim(ctx context.Context, token string, in account.NewUser, client account.ClientInfo) (*account.User, *account.NewSession, error)
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
	// Accounts authenticates app API requests (sessions, personal access tokens) and runs the
	// account flows.
	Accounts *account.Service
	// PublicURL is the instance's base URL (LOGISTER_PUBLIC_URL): its origin may send
	// state-changing requests, and https makes the session cookie Secure.
	PublicURL *url.URL
	// Mail is the e-mail outbox, which the admin API lists.
	Mail *mail.Outbox
	// Projects runs projects, their members and keys, and decides who may do what in a project.
	Projects *project.Service
	// Issues runs the triage API (the "issues" tag); nil answers its operations with 500.
	Issues *triage.Service
	// Telemetry serves the events feed and traces; nil answers their operations with 500.
	Telemetry *telemetry.Service
	// Dashboard builds the signed-in user's dashboard; nil answers it with 500.
	Dashboard *dashboard.Service
	// Monitors runs the check-in monitors API; nil answers its operations with 500.
	Monitors *monitor.Service
	// Deployments serves deployments and issues' deployment context; nil answers them with 500.
	Deployments *deploy.Service
	// Auth and Intake serve the public ingestion endpoints.
	Auth   Authenticator
	Intake Intake
	// RateLimiter counts the public endpoints' rate limits; nil counts in this process alone.
	RateLimiter *ratelimit.Limiter
	// RateLimits are the instance's limits; fields left zero take the reference defaults.
	RateLimits ratelimit.Policy
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the client; nil trusts none.
	TrustedProxies []netip.Prefix
}

// Server implements the generated strict server interface.
type Server struct {
	deps     Deps
	specYAML []byte
	// limiter counts the account forms' rate limits (auth_limits.go).
	limiter *ratelimit.Limiter
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
	validator, err := newRequestValidator(spec, newAuthenticator(deps.Accounts, deps.Projects, deps.PublicURL))
	if err != nil {
		return nil, err
	}

	ips := clientip.New(deps.TrustedProxies)
	limiter := deps.RateLimiter
	if limiter == nil {
		limiter = ratelimit.New(ratelimit.Options{Logger: deps.Logger})
	}
	lim := &limits{limiter: limiter, policy: deps.RateLimits.WithDefaults(), ips: ips, metrics: deps.Metrics}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.IPExtractor = ips.String // c.RealIP(), in the access log too, believes only trusted proxies
	e.HTTPErrorHandler = errorHandler(deps.Logger)
	e.Pre(canonicalIngestPaths)
	e.Use(
		requestID,
		accessLog(deps.Logger, deps.Metrics),
		recoverPanics(deps.Logger),
		securityHeaders,
		validator,
	)

	s := &Server{deps: deps, specYAML: specYAML, limiter: limiter}
	api.RegisterHandlers(e, api.NewStrictHandler(s, nil))
	// Every public ingestion route gets the pre-auth guard, before its handler touches the request.
	public.RegisterHandlers(guardedRouter{e, preAuthLimit(lim, deps.Auth)}, &ingestServer{auth: deps.Auth, intake: deps.Intake, limits: lim})
	registerApp(e, deps.App)
	return e, nil
}
