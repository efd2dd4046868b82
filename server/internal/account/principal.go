package account

import (
	"context"
	"time"
)

// Method is how a request authenticated.
type Method string

// The ways to authenticate.
const (
	// MethodSession is the browser session cookie.
	MethodSession Method = "session"
	// MethodToken is a personal access token sent as Authorization: Bearer.
	MethodToken Method = "token"
)

// Scope is what a personal access token may do. Each scope includes the ones before it.
type Scope string

// The scopes, weakest first.
const (
	// ScopeRead allows safe requests (GET, HEAD) only.
	ScopeRead Scope = "read"
	// ScopeWrite adds requests that change state.
	ScopeWrite Scope = "write"
	// ScopeAdmin adds the admin API, which also needs the user to be an instance administrator.
	ScopeAdmin Scope = "admin"
)

var scopeRank = map[Scope]int{ScopeRead: 1, ScopeWrite: 2, ScopeAdmin: 3}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return scopeRank[s] > 0 }

// Includes reports whether a holder of s may do what needs required.
func (s Scope) Includes(required Scope) bool {
	return scopeRank[s] > 0 && scopeRank[s] >= scopeRank[required]
}

// Principal is who made a request and how.
type Principal struct {
	User   *User
	Method Method
	// Scope bounds what the request may do. Sessions have ScopeAdmin: a browser may do everything
	// its user may do.
	Scope Scope
	// ExpiresAt is when the session or token ends (for sessions, the absolute end).
	ExpiresAt time.Time

	// SessionID identifies the session (MethodSession).
	SessionID int64
	// CSRFToken is the session's anti-forgery token, which the web app echoes in the X-CSRF-Token
	// header of every state-changing request (MethodSession).
	CSRFToken string
	// TokenID identifies the personal access token (MethodToken).
	TokenID int64
}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal of the request whose context is ctx, if it authenticated.
func PrincipalFrom(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	return p, ok && p != nil
}
