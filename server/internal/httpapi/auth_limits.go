package httpapi

import (
	"context"
	"fmt"
	"time"

	"github.com/logister/logister/server/internal/account"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/ratelimit"
)

// Rate limits of the account forms (reference section 2, "Auth form limits"): per client IP and per
// normalised e-mail address, in fixed windows, through the same limiter as the public API (shared
// through Redis when it is configured). Every attempt counts, successful or not. A refused attempt
// is 429 with Retry-After.

// authForm is a form whose attempts are limited.
type authForm int

const (
	authSignIn authForm = iota
	authSignUp
	authPasswordReset
	authConfirmation
	authSetupClaim
)

// authFormKind is the limiter counter family of the account forms.
const authFormKind ratelimit.Kind = "auth_form"

type authRule struct {
	// scope names the counter; two windows of one form need two names.
	scope    string
	perEmail bool
	limit    int64
	period   time.Duration
}

var authRules = map[authForm][]authRule{
	authSignIn: {
		{scope: "sign_in_ip", limit: 10, period: time.Minute},
		{scope: "sign_in_email", perEmail: true, limit: 20, period: 10 * time.Minute},
	},
	authSignUp: {
		{scope: "sign_up_ip_minute", limit: 5, period: time.Minute},
		{scope: "sign_up_ip_hour", limit: 20, period: time.Hour},
		{scope: "sign_up_email", perEmail: true, limit: 3, period: time.Hour},
	},
	authPasswordReset: {
		{scope: "password_reset_ip", limit: 5, period: 10 * time.Minute},
		{scope: "password_reset_email", perEmail: true, limit: 3, period: 10 * time.Minute},
	},
	authConfirmation: {
		{scope: "confirmation_ip", limit: 5, period: 10 * time.Minute},
		{scope: "confirmation_email", perEmail: true, limit: 3, period: 10 * time.Minute},
	},
	authSetupClaim: {
		{scope: "setup_claim_ip", limit: 5, period: 10 * time.Minute},
	},
}

// limitAuth counts one attempt at form by the request's client and for email ("" when the form
// has none), and refuses it when a limit is exceeded. The IP limits are checked first; a refused
// attempt does not count against the limits after the one that refused it.
func (s *Server) limitAuth(ctx context.Context, form authForm, email string) error {
	info := requestInfoFrom(ctx)
	email = account.NormalizeEmail(email)
	for _, r := range authRules[form] {
		identity := "ip:" + info.client.IP
		if r.perEmail {
			if email == "" {
				continue
			}
			identity = "email:" + email
		}
		d := s.limiter.Take(ctx, ratelimit.Rule{
			Kind: authFormKind, Scope: r.scope, Identity: identity, Limit: r.limit, Period: r.period,
		}, 1)
		if !d.Allowed {
			retry := max(int64(d.RetryAfter/time.Second), 1)
			e := apperr.RateLimited(d.Limit, int64(r.period/time.Second), retry)
			e.Code = "too_many_attempts"
			e.Message = fmt.Sprintf("Too many attempts. Try again in %s.", (time.Duration(retry) * time.Second).String())
			return e
		}
	}
	return nil
}
