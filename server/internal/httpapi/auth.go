package httpapi

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/project"
)

// Authentication and authorisation of the app and admin API, in one place.
//
// openapi.yaml decides who may call what: the document's top-level `security` requires a session
// cookie or a personal access token of every operation, `security: []` makes one public,
// `x-logister-admin-only: true` reserves one for instance administrators, and
// `x-logister-project-role: viewer|admin|owner` names the role an operation on
// /api/v1/projects/{projectId}/... needs in that project. The request validator (validate.go) runs
// authenticate, then authorizeProject, for every operation it matches, before parameters and body
// are checked: an anonymous request to a protected operation is always 401, and a request about a
// project the caller may not see is always 404, whatever it sends.

const (
	// sessionCookieName is the cookie of browser sessions (the sessionCookie scheme in openapi.yaml).
	sessionCookieName = "logister_session"
	// csrfHeader carries the session's CSRF token on state-changing requests.
	csrfHeader = "X-CSRF-Token"
	// adminOnlyExtension marks operations for instance administrators in openapi.yaml.
	adminOnlyExtension = "x-logister-admin-only"
	// projectRoleExtension names the project role an operation with a {projectId} needs.
	projectRoleExtension = "x-logister-project-role"
	// projectIDParam is the path parameter that names a project.
	projectIDParam = "projectId"
)

// authenticator resolves the principal of app API requests, and their access to the project a
// request is about.
type authenticator struct {
	accounts  *account.Service
	projects  *project.Service
	publicURL *url.URL
	options   *openapi3filter.Options
}

func newAuthenticator(accounts *account.Service, projects *project.Service, publicURL *url.URL) *authenticator {
	a := &authenticator{accounts: accounts, projects: projects, publicURL: publicURL}
	a.options = &openapi3filter.Options{AuthenticationFunc: a.authenticateScheme, MultiError: true}
	return a
}

// attempt is one request's authentication, shared by the checks of its security schemes.
type attempt struct {
	adminOnly bool
	principal *account.Principal
}

type attemptKey struct{}

// authenticate enforces the operation's security requirements. It returns the principal, or nil
// for a public operation. Errors are apperr kinds: 401 without usable credentials, 403 for a
// cross-site or CSRF-less request, a token whose scope is too narrow, or a non-administrator on an
// admin-only operation.
func (a *authenticator) authenticate(req *http.Request, op *openapi3.Operation, spec *openapi3.T, input *openapi3filter.RequestValidationInput) (*account.Principal, error) {
	security := op.Security
	if security == nil {
		security = &spec.Security
	}
	if len(*security) == 0 {
		// Public. A state-changing request still must not come from another site's page: that
		// would let a page sign its visitor into an account of the page's choosing (login CSRF).
		if !safeMethod(req.Method) {
			return nil, a.checkOrigin(req)
		}
		return nil, nil
	}
	at := &attempt{adminOnly: isAdminOnly(op)}
	ctx := context.WithValue(req.Context(), attemptKey{}, at)
	in := *input
	in.Options = a.options
	if err := openapi3filter.ValidateSecurityRequirements(ctx, &in, *security); err != nil {
		return nil, mostTelling(err)
	}
	return at.principal, nil
}

// authenticateScheme is the openapi3filter.AuthenticationFunc: it checks one security scheme of the
// operation's requirements.
func (a *authenticator) authenticateScheme(ctx context.Context, in *openapi3filter.AuthenticationInput) error {
	at, ok := ctx.Value(attemptKey{}).(*attempt)
	if !ok {
		return errors.New("httpapi: authentication outside authenticate")
	}
	req := in.RequestValidationInput.Request
	scheme := in.SecurityScheme
	var (
		p   *account.Principal
		err error
	)
	switch {
	case scheme.Type == "http" && strings.EqualFold(scheme.Scheme, "bearer"):
		token, ok := bearerToken(req)
		if !ok {
			return errUnauthenticated()
		}
		if p, err = a.accounts.AuthenticateToken(ctx, token); err != nil {
			return err
		}
		if err := checkScope(p.Scope, req.Method, at.adminOnly); err != nil {
			return err
		}
	case scheme.Type == "apiKey" && scheme.In == "cookie":
		if _, ok := bearerToken(req); ok {
			return errUnauthenticated() // an explicit token wins over a cookie the browser adds
		}
		cookie, err := req.Cookie(scheme.Name)
		if err != nil || cookie.Value == "" {
			return errUnauthenticated()
		}
		if p, err = a.accounts.AuthenticateSession(ctx, cookie.Value); err != nil {
			return err
		}
		if !safeMethod(req.Method) {
			if err := a.checkOrigin(req); err != nil {
				return err
			}
			if err := checkCSRF(req, p.CSRFToken); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("httpapi: security scheme %q is not supported", in.SecuritySchemeName)
	}
	if at.adminOnly && !p.User.Admin {
		return apperr.ForbiddenCode("admin_required", "Only instance administrators may do this.")
	}
	at.principal = p
	return nil
}

func errUnauthenticated() error {
	return apperr.UnauthorizedCode("unauthenticated",
		"Sign in first, or send a personal access token as Authorization: Bearer <token>.")
}

// mostTelling picks, among the failures of every security requirement, the one that tells the
// client most: a failure of our own (such as the database) first, then a refusal of credentials
// that were valid (403), then a rejected credential (401 session_expired, invalid_token), then
// "no credentials".
func mostTelling(err error) error {
	var sre *openapi3filter.SecurityRequirementsError
	if !errors.As(err, &sre) {
		return err
	}
	rank := func(e *apperr.Error) int {
		switch {
		case e.Kind == apperr.KindForbidden:
			return 3
		case e.Kind == apperr.KindUnauthorized && e.Code != "unauthenticated":
			return 2
		}
		return 1
	}
	var best *apperr.Error
	for _, inner := range sre.Errors {
		var ae *apperr.Error
		if !errors.As(inner, &ae) || ae.Kind == apperr.KindInternal || ae.Kind == apperr.KindUnavailable {
			return inner
		}
		if best == nil || rank(ae) > rank(best) {
			best = ae
		}
	}
	if best == nil {
		return errUnauthenticated()
	}
	return best
}

// checkScope says whether a token's scope allows a request: read allows safe methods, write also
// state changes, admin also admin-only operations.
func checkScope(scope account.Scope, method string, adminOnly bool) error {
	required := account.ScopeRead
	if !safeMethod(method) {
		required = account.ScopeWrite
	}
	if adminOnly {
		required = account.ScopeAdmin
	}
	if !scope.Includes(required) {
		return apperr.ForbiddenCode("insufficient_scope",
			"This access token has scope %q; this request needs %q.", scope, required)
	}
	return nil
}

// checkOrigin refuses requests that a browser sent from another site's page. Browsers send Origin
// with every POST, PUT, PATCH and DELETE; scripts usually send neither header and are let through
// (they cannot ride on a victim's cookies).
func (a *authenticator) checkOrigin(req *http.Request) error {
	refused := apperr.ForbiddenCode("cross_origin_request", "Requests from other sites are refused.")
	if origin := req.Header.Get("Origin"); origin != "" {
		if !a.trustedOrigin(req, origin) {
			return refused
		}
		return nil
	}
	switch req.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return refused
	}
	return nil
}

// trustedOrigin reports whether origin is this server's: the host the request was sent to, or
// LOGISTER_PUBLIC_URL's origin.
func (a *authenticator) trustedOrigin(req *http.Request, origin string) bool {
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false // includes "null"
	}
	if a.publicURL != nil && strings.EqualFold(u.Scheme, a.publicURL.Scheme) && strings.EqualFold(u.Host, a.publicURL.Host) {
		return true
	}
	return strings.EqualFold(u.Host, req.Host)
}

// checkCSRF compares the X-CSRF-Token header with the session's token in constant time.
func checkCSRF(req *http.Request, want string) error {
	got := req.Header.Get(csrfHeader)
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return apperr.ForbiddenCode("csrf_failed",
			"This request lacks the session's CSRF token (X-CSRF-Token). Reload the page and try again.")
	}
	return nil
}

func bearerToken(req *http.Request) (string, bool) {
	h := req.Header.Get(echo.HeaderAuthorization)
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		if t := strings.TrimSpace(h[7:]); t != "" {
			return t, true
		}
	}
	return "", false
}

// authorizeProject resolves the caller's access to the project named by the {projectId} path
// parameter of an operation and checks it against the role the operation declares
// (x-logister-project-role). It returns nil for operations without that parameter.
//
// Errors: apperr NotFound for a project the caller may not see (or that does not exist, or an id
// that is not a UUID: all the same answer); Forbidden "insufficient_role" when the caller's role is
// below the declared one; Internal when the spec declares no role (TestSpecProjectRoles prevents it).
func (a *authenticator) authorizeProject(ctx context.Context, op *openapi3.Operation, pathParams map[string]string, p *account.Principal) (*project.Access, error) {
	raw, ok := pathParams[projectIDParam]
	if !ok {
		return nil, nil
	}
	required, declared := projectRole(op)
	if !declared && !isAdminOnly(op) {
		return nil, fmt.Errorf("httpapi: %s has a {%s} but no %s", op.OperationID, projectIDParam, projectRoleExtension)
	}
	if p == nil {
		return nil, errUnauthenticated()
	}
	if a.projects == nil {
		return nil, errors.New("httpapi: no project service")
	}
	id, err := uuid.Parse(raw)
	if err != nil {
		return nil, apperr.NotFound("No such project.")
	}
	acc, err := a.projects.Access(ctx, project.ActorOf(p), id)
	if err != nil {
		return nil, err
	}
	if declared {
		if err := acc.Require(required); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

// projectRole is the role an operation declares in x-logister-project-role.
func projectRole(op *openapi3.Operation) (project.Role, bool) {
	v, ok := op.Extensions[projectRoleExtension].(string)
	if !ok || !project.Role(v).Valid() {
		return "", false
	}
	return project.Role(v), true
}

type projectAccessKey struct{}

func withProjectAccess(ctx context.Context, acc *project.Access) context.Context {
	return context.WithValue(ctx, projectAccessKey{}, acc)
}

// projectAccess returns the caller's access to the project of the request, which authorizeProject
// resolved and checked before the handler runs. The error is a safety net.
func projectAccess(ctx context.Context) (*project.Access, error) {
	acc, ok := ctx.Value(projectAccessKey{}).(*project.Access)
	if !ok || acc == nil {
		return nil, errors.New("httpapi: no project access in the request context")
	}
	return acc, nil
}

func isAdminOnly(op *openapi3.Operation) bool {
	v, ok := op.Extensions[adminOnlyExtension].(bool)
	return ok && v
}

func safeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// requestInfo is what handlers need to know about the HTTP request beyond their parameters.
type requestInfo struct {
	client account.ClientInfo
	// secure makes cookies Secure: the request came over TLS, or the public URL is https.
	secure bool
}

type requestInfoKey struct{}

func withRequestInfo(c echo.Context, publicURL *url.URL) context.Context {
	req := c.Request()
	info := requestInfo{
		client: account.ClientInfo{IP: c.RealIP(), UserAgent: req.UserAgent()},
		secure: req.TLS != nil || (publicURL != nil && publicURL.Scheme == "https"),
	}
	return context.WithValue(req.Context(), requestInfoKey{}, info)
}

func requestInfoFrom(ctx context.Context) requestInfo {
	info, _ := ctx.Value(requestInfoKey{}).(requestInfo)
	return info
}

// principal returns the request's principal. Operations that are not public always have one (the
// validator refuses the request otherwise); the error is a safety net.
func principal(ctx context.Context) (*account.Principal, error) {
	p, ok := account.PrincipalFrom(ctx)
	if !ok {
		return nil, errUnauthenticated()
	}
	return p, nil
}

// sessionCookie is the Set-Cookie value that starts a session: the cookie lives as long as the
// session can (the server may end the session earlier).
func sessionCookie(sess *account.NewSession, secure bool) string {
	c := &http.Cookie{
		Name: sessionCookieName, Value: sess.Secret, Path: "/",
		Expires: sess.ExpiresAt.UTC(), MaxAge: int(sess.TTL / time.Second),
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	}
	return c.String()
}

// clearedSessionCookie is the Set-Cookie value that removes the session cookie.
func clearedSessionCookie(secure bool) string {
	c := &http.Cookie{
		Name: sessionCookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	}
	return c.String()
}
