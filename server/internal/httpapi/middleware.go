package httpapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/logister/logister/api/public"
	"github.com/logister/logister/server/internal/logging"
	"github.com/logister/logister/server/internal/metrics"
	"github.com/logister/logister/server/internal/ratelimit"
)

// requestID gives every request an id: the client's X-Request-Id when it is short and plain,
// otherwise a new random one. The id is echoed in the response header, put into the request
// context for logging, and included in error bodies.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !plainRequestID.MatchString(id) {
			var b [16]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		req := c.Request()
		c.SetRequest(req.WithContext(logging.WithRequestID(req.Context(), id)))
		return next(c)
	}
}

// plainRequestID is what a client-sent request id must match to be logged and echoed.
var plainRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,128}$`)

// quietRoutes are polled constantly by probes and scrapers; they are logged at debug level only.
var quietRoutes = map[string]bool{"/up": true, "/health/ready": true, "/metrics": true}

// accessLog writes one log line per request and records its metrics. It runs outside the error
// handler's reach, so it calls the handler itself to learn the final status.
func accessLog(logger *slog.Logger, reg *metrics.Registry) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			elapsed := time.Since(start)
			req, res := c.Request(), c.Response()
			route := c.Path()
			if route == "" || route == "/*" {
				route = "other" // unmatched paths and web-app files: keep the label set bounded
			}
			reg.ObserveRequest(req.Method, route, res.Status, elapsed)

			level := slog.LevelInfo
			if quietRoutes[route] {
				level = slog.LevelDebug
			}
			logger.LogAttrs(req.Context(), level, "request",
				slog.String("method", req.Method),
				slog.String("path", req.URL.Path),
				slog.String("route", route),
				slog.Int("status", res.Status),
				slog.Int64("bytes", res.Size),
				slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
				slog.String("remote_ip", c.RealIP()),
				slog.String("user_agent", req.UserAgent()),
			)
			return nil
		}
	}
}

// recoverPanics turns a panic in a handler into an ordinary internal error (a generic 500 for the
// client) and logs it with its stack.
func recoverPanics(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				r := recover()
				if r == nil {
					return
				}
				if r == http.ErrAbortHandler {
					panic(r)
				}
				stack := make([]byte, 16<<10)
				stack = stack[:runtime.Stack(stack, false)]
				logger.ErrorContext(c.Request().Context(), "panic serving request",
					"panic", fmt.Sprint(r), "stack", string(stack))
				err = fmt.Errorf("panic: %v", r)
			}()
			return next(c)
		}
	}
}

// securityHeaders sets conservative browser security headers on every response.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		if !strings.HasPrefix(c.Request().URL.Path, "/api/v1/") {
			// The web app and the API reference load only their own assets. Swagger UI sets inline styles.
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "+
				"style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'")
		}
		return next(c)
	}
}

// preAuthCounted is set in the echo.Context of a request whose pre-auth count preAuthLimit took.
const preAuthCounted = "logister.preAuthCounted"

// preAuthLimit guards the public ingestion endpoints (and only those): every request counts per
// client IP before its body is read, and those over the pre-auth limit are refused. A request whose
// key the authenticator answers from memory is counted by ingestServer.begin, in the same round
// trip as its key's own counter; any other one is counted here, before authentication may query
// the database, so a flood of unknown keys meets the limit first.
func preAuthLimit(l *limits, auth Authenticator) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if auth.Cached(token(c.Request())) {
				return next(c)
			}
			if err := l.take(c, ratelimit.Request{Rule: l.preAuth(c), Amount: 1}); err != nil {
				return err
			}
			c.Set(preAuthCounted, true)
			return next(c)
		}
	}
}

// guardedRouter registers routes on an Echo with guard in front of each route's own middleware.
// It is the router of package public, whose routes are all public ingestion endpoints, so none can
// be added without the guard. (An echo.Group would also catch every unmatched path.)
type guardedRouter struct {
	e     *echo.Echo
	guard echo.MiddlewareFunc
}

var _ public.EchoRouter = guardedRouter{}

func (r guardedRouter) add(method, path string, h echo.HandlerFunc, m []echo.MiddlewareFunc) *echo.Route {
	return r.e.Add(method, path, h, append([]echo.MiddlewareFunc{r.guard}, m...)...)
}

// CONNECT registers a guarded route.
func (r guardedRouter) CONNECT(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodConnect, path, h, m)
}

// DELETE registers a guarded route.
func (r guardedRouter) DELETE(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodDelete, path, h, m)
}

// GET registers a guarded route.
func (r guardedRouter) GET(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodGet, path, h, m)
}

// HEAD registers a guarded route.
func (r guardedRouter) HEAD(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodHead, path, h, m)
}

// OPTIONS registers a guarded route.
func (r guardedRouter) OPTIONS(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodOptions, path, h, m)
}

// PATCH registers a guarded route.
func (r guardedRouter) PATCH(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodPatch, path, h, m)
}

// POST registers a guarded route.
func (r guardedRouter) POST(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodPost, path, h, m)
}

// PUT registers a guarded route.
func (r guardedRouter) PUT(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodPut, path, h, m)
}

// TRACE registers a guarded route.
func (r guardedRouter) TRACE(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) *echo.Route {
	return r.add(http.MethodTrace, path, h, m)
}
