package project

import (
	"context"

	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/ratelimit"
	"github.com/logister/logister/server/internal/store"
)

// RateLimits returns the rate-limit policy of a project with overrides o: each override, when set,
// replaces the instance's value (reference section 2).
func RateLimits(instance ratelimit.Policy, o store.RateLimitOverrides) ratelimit.Policy {
	return instance.For(ratelimit.Overrides(o))
}

// Override is a change to one rate-limit override: Keep leaves it, Inherit clears it, and any other
// value sets it.
type Override struct {
	op    overrideOp
	value int
}

type overrideOp int

const (
	opKeep overrideOp = iota
	opInherit
	opSet
)

// The two changes that are not a value.
var (
	Keep    = Override{op: opKeep}
	Inherit = Override{op: opInherit}
)

// SetTo is the change that sets an override to n.
func SetTo(n int) Override { return Override{op: opSet, value: n} }

func (o Override) apply(current *int) *int {
	switch o.op {
	case opInherit:
		return nil
	case opSet:
		v := o.value
		return &v
	}
	return current
}

// RateLimitChange changes a project's rate-limit overrides.
type RateLimitChange struct {
	Requests, PeriodSeconds, AuthFailures Override
}

// SetRateLimits applies change to the overrides of the project named by ref (UUID or slug) and
// returns the project as stored. Only instance administrators may call it: the CLI, and the admin
// API through SetProjectRateLimits.
//
// Errors: as Find; apperr Invalid for a value out of range (requests and auth failures
// 1..10,000,000, period 1..86,400 seconds).
func (s *Service) SetRateLimits(ctx context.Context, ref string, change RateLimitChange) (*store.Project, error) {
	if err := change.check(); err != nil {
		return nil, err
	}
	p, err := s.Find(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.SetProjectRateLimits(ctx, p, change)
}

// SetProjectRateLimits applies change to the project's overrides, updating p.
//
// Errors: apperr Invalid for a value out of range.
func (s *Service) SetProjectRateLimits(ctx context.Context, p *store.Project, change RateLimitChange) (*store.Project, error) {
	if err := change.check(); err != nil {
		return nil, err
	}
	o := &p.RateLimits
	o.Requests = change.Requests.apply(o.Requests)
	o.PeriodSeconds = change.PeriodSeconds.apply(o.PeriodSeconds)
	o.AuthFailures = change.AuthFailures.apply(o.AuthFailures)
	if change != (RateLimitChange{}) {
		if err := store.SetProjectRateLimits(ctx, s.db, p.ID, *o); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (change RateLimitChange) check() error {
	for _, c := range []struct {
		o       Override
		name    string
		maximum int
	}{
		{change.Requests, "requests", ratelimit.MaxOverrideRequests},
		{change.PeriodSeconds, "period", ratelimit.MaxOverridePeriodSeconds},
		{change.AuthFailures, "auth failures", ratelimit.MaxOverrideRequests},
	} {
		if c.o.op == opSet && (c.o.value < 1 || c.o.value > c.maximum) {
			return apperr.Invalid("invalid_rate_limit", "The %s override must be between 1 and %d (or inherit).", c.name, c.maximum)
		}
	}
	return nil
}
