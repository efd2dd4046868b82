package ratelimit

import "time"

// Policy is a set of limits of the public ingestion API (reference section 2). All counters share
// one window length.
type Policy struct {
	// Requests is the most submissions per key, per endpoint, per window
	// (LOGISTER_PUBLIC_API_RATE_LIMIT_REQUESTS). A batch counts its envelopes.
	Requests int64
	// AuthFailures is the most failed authentications per client IP per window
	// (LOGISTER_PUBLIC_API_AUTH_FAILURE_RATE_LIMIT_REQUESTS).
	AuthFailures int64
	// PreAuth is the most requests per client IP per window across all public endpoints, counted
	// before authentication (LOGISTER_PUBLIC_API_PRE_AUTH_RATE_LIMIT_REQUESTS). Instance-wide only.
	PreAuth int64
	// Period is the window length in whole seconds (LOGISTER_PUBLIC_API_RATE_LIMIT_PERIOD_SECONDS).
	Period time.Duration
}

// DefaultPolicy holds the reference server's defaults.
var DefaultPolicy = Policy{Requests: 1200, AuthFailures: 120, PreAuth: 12_000, Period: 60 * time.Second}

// WithDefaults returns p with every non-positive field replaced by its default, and Period rounded
// down to whole seconds.
func (p Policy) WithDefaults() Policy {
	if p.Requests <= 0 {
		p.Requests = DefaultPolicy.Requests
	}
	if p.AuthFailures <= 0 {
		p.AuthFailures = DefaultPolicy.AuthFailures
	}
	if p.PreAuth <= 0 {
		p.PreAuth = DefaultPolicy.PreAuth
	}
	p.Period = p.Period.Truncate(time.Second)
	if p.Period <= 0 {
		p.Period = DefaultPolicy.Period
	}
	return p
}

// Overrides are one project's settings; nil inherits the instance's value. The pre-auth limit has
// no per-project setting.
type Overrides struct {
	Requests      *int
	PeriodSeconds *int
	AuthFailures  *int
}

// Override ranges, as the reference's columns and migration 0004's CHECK constraints allow.
const (
	MaxOverrideRequests      = 10_000_000
	MaxOverridePeriodSeconds = 86_400
)

// For returns the policy of a project with overrides o, each of which applies only when positive.
func (p Policy) For(o Overrides) Policy {
	if o.Requests != nil && *o.Requests > 0 {
		p.Requests = int64(*o.Requests)
	}
	if o.PeriodSeconds != nil && *o.PeriodSeconds > 0 {
		p.Period = time.Duration(*o.PeriodSeconds) * time.Second
	}
	if o.AuthFailures != nil && *o.AuthFailures > 0 {
		p.AuthFailures = int64(*o.AuthFailures)
	}
	return p
}
