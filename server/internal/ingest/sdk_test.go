package ingest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	kindEvent = iota
	kindCheckIn
	kindDeployment
)

// sdkExample is what one real SDK request (testdata/sdk, copied from the sdk-wire-examples) must
// decode to.
type sdkExample struct {
	name        string
	kind        int
	typ         EventType
	level       string
	message     string
	fingerprint string
	occurredAt  string
	precision   string
	env         string
	release     string
	span        *Span
	checkIn     *CheckIn
	deployment  *Deployment
}

var sdkExamples = []sdkExample{
	{name: "js-checkin", kind: kindCheckIn, typ: TypeCheckIn, level: "info", message: "nightly-report", occurredAt: "2026-11-23T19:31:10.907Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3", checkIn: &CheckIn{Slug: "nightly-report", Status: "in_progress", ExpectedIntervalSeconds: 86400}},
	{name: "js-deployment", kind: kindDeployment, deployment: &Deployment{Release: "js-driver@1.2.3", Environment: "staging", Repository: "acme/checkout-app", CommitSHA: "0123456789abcdef0123456789abcdef01234567", Branch: "main", DeployedAt: mustTime("2026-11-23T19:31:10.920Z"), PullRequestNumber: ptr(17)}},
	{name: "js-event-error-via-express", kind: kindEvent, typ: TypeError, level: "error", message: "express route exploded", fingerprint: "", occurredAt: "2026-11-23T19:31:11.225Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3"},
	{name: "js-event-error-via-instrumentconsole", kind: kindEvent, typ: TypeError, level: "error", message: "console error with exception", fingerprint: "", occurredAt: "2026-11-23T19:31:10.930Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3"},
	{name: "js-event-error", kind: kindEvent, typ: TypeError, level: "error", message: "card declined for amount 4200", fingerprint: "payment-declined", occurredAt: "2026-11-23T19:31:10.639Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3"},
	{name: "js-event-log-via-instrumentconsole", kind: kindEvent, typ: TypeLog, level: "debug", message: "console debug line {\"n\":1}", fingerprint: "", occurredAt: "2026-11-23T19:31:10.927Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3"},
	{name: "js-event-log", kind: kindEvent, typ: TypeLog, level: "debug", message: "driver message at debug", fingerprint: "", occurredAt: "2026-11-23T19:31:10.825Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3"},
	{name: "js-event-metric-db-query", kind: kindEvent, typ: TypeMetric, level: "info", message: "db.query", fingerprint: "", occurredAt: "2026-11-23T19:31:10.877Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3"},
	{name: "js-event-metric", kind: kindEvent, typ: TypeMetric, level: "info", message: "checkout.cart_value", fingerprint: "", occurredAt: "2026-11-23T19:31:10.869Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3"},
	{name: "js-event-span-child-via-capturepageload", kind: kindEvent, typ: TypeSpan, level: "info", message: "cdn.example.test/app.js", fingerprint: "", occurredAt: "2026-11-23T19:31:10.318Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3", span: &Span{TraceID: "0af7651916cd43dd8448eb211c80319c", SpanID: "e2123f7c38543981ce2a4e0fc2642064", ParentSpanID: "19c0423e88c67943", Name: "cdn.example.test/app.js", Kind: "resource", Status: "", DurationMS: 120, StartedAt: mustTime("2026-11-23T19:31:10.318Z"), EndedAt: mustTime("2026-11-23T19:31:10.318Z").Add(120 * time.Millisecond)}},
	{name: "js-event-span-child", kind: kindEvent, typ: TypeSpan, level: "info", message: "SELECT users", fingerprint: "", occurredAt: "2026-11-23T19:31:10.397Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3", span: &Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "b1b2c3d4e5f60719", ParentSpanID: "a1b2c3d4e5f60718", Name: "SELECT users", Kind: "db", Status: "ok", DurationMS: 12.75, StartedAt: mustTime("2026-11-23T19:31:10.397Z"), EndedAt: mustTime("2026-11-23T19:31:10.409Z")}},
	{name: "js-event-span-via-capturepageload", kind: kindEvent, typ: TypeSpan, level: "info", message: "/dashboard", fingerprint: "", occurredAt: "2026-11-23T19:31:10.114Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3", span: &Span{TraceID: "0af7651916cd43dd8448eb211c80319c", SpanID: "19c0423e88c67943", ParentSpanID: "", Name: "/dashboard", Kind: "browser", Status: "", DurationMS: 850, StartedAt: mustTime("2026-11-23T19:31:10.114Z"), EndedAt: mustTime("2026-11-23T19:31:10.114Z").Add(850 * time.Millisecond)}},
	{name: "js-event-span-via-express", kind: kindEvent, typ: TypeSpan, level: "info", message: "/users/:id", fingerprint: "", occurredAt: "2026-11-23T19:31:11.203Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3", span: &Span{TraceID: "0af7651916cd43dd8448eb211c80319c", SpanID: "23d61068d51e483c", ParentSpanID: "", Name: "/users/:id", Kind: "server", Status: "ok", DurationMS: 6, StartedAt: mustTime("2026-11-23T19:31:11.203Z"), EndedAt: mustTime("2026-11-23T19:31:11.203Z").Add(6 * time.Millisecond)}},
	{name: "js-event-span", kind: kindEvent, typ: TypeSpan, level: "info", message: "GET /users/:id", fingerprint: "", occurredAt: "2026-11-23T19:31:10.387Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3", span: &Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "a1b2c3d4e5f60718", ParentSpanID: "", Name: "GET /users/:id", Kind: "server", Status: "ok", DurationMS: 250, StartedAt: mustTime("2026-11-23T19:31:10.387Z"), EndedAt: mustTime("2026-11-23T19:31:10.637Z")}},
	{name: "js-event-transaction-via-express", kind: kindEvent, typ: TypeTransaction, level: "info", message: "/users/:id", fingerprint: "", occurredAt: "2026-11-23T19:31:11.208Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3"},
	{name: "js-event-transaction", kind: kindEvent, typ: TypeTransaction, level: "info", message: "GET /users/:id", fingerprint: "", occurredAt: "2026-11-23T19:31:10.883Z", precision: PrecisionExact, env: "staging", release: "js-driver@1.2.3"},
	{name: "python-checkin", kind: kindCheckIn, typ: TypeCheckIn, level: "info", message: "nightly-report", occurredAt: "2026-11-23T19:31:12.415848Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3", checkIn: &CheckIn{Slug: "nightly-report", Status: "in_progress", ExpectedIntervalSeconds: 86400}},
	{name: "python-event-error-via-celery", kind: kindEvent, typ: TypeError, level: "error", message: "celery task crashed", fingerprint: "billing.tasks.charge", occurredAt: "2026-11-23T19:31:12.993296Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-error-via-django", kind: kindEvent, typ: TypeError, level: "error", message: "django view exploded", fingerprint: "", occurredAt: "2026-11-23T19:31:14.368959Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-error-via-fastapi", kind: kindEvent, typ: TypeError, level: "error", message: "fastapi route exploded", fingerprint: "", occurredAt: "2026-11-23T19:31:13.903538Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-error-via-flask", kind: kindEvent, typ: TypeError, level: "error", message: "flask route exploded", fingerprint: "", occurredAt: "2026-11-23T19:31:13.462110Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-error-via-logging-handler", kind: kindEvent, typ: TypeError, level: "error", message: "checkout failed via logger.exception", fingerprint: "", occurredAt: "2026-11-23T19:31:12.853391Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-error", kind: kindEvent, typ: TypeError, level: "error", message: "card declined for amount 4200", fingerprint: "payment-declined", occurredAt: "2026-11-23T19:31:11.757203Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-log-via-celery", kind: kindEvent, typ: TypeLog, level: "warning", message: "Celery task retry scheduled: billing.tasks.charge", fingerprint: "", occurredAt: "2026-11-23T19:31:13.132712Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-log-via-logging-handler", kind: kindEvent, typ: TypeLog, level: "debug", message: "logging debug line", fingerprint: "", occurredAt: "2026-11-23T19:31:12.608837Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-log", kind: kindEvent, typ: TypeLog, level: "debug", message: "driver message at debug", fingerprint: "", occurredAt: "2026-11-23T19:31:11.868863Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-metric-db-query", kind: kindEvent, typ: TypeMetric, level: "info", message: "db.query", fingerprint: "", occurredAt: "2026-11-23T19:31:12.144771Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-metric", kind: kindEvent, typ: TypeMetric, level: "info", message: "checkout.cart_value", fingerprint: "", occurredAt: "2026-11-23T19:31:12.096833Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-span-child", kind: kindEvent, typ: TypeSpan, level: "info", message: "SELECT users", fingerprint: "", occurredAt: "2026-11-23T19:31:11.747173Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3", span: &Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "b1b2c3d4e5f60719", ParentSpanID: "a1b2c3d4e5f60718", Name: "SELECT users", Kind: "db", Status: "ok", DurationMS: 12.75, StartedAt: mustTime("2026-11-23T19:31:11.747173Z"), EndedAt: mustTime("2026-11-23T19:31:11.759923Z")}},
	{name: "python-event-span-via-django", kind: kindEvent, typ: TypeSpan, level: "info", message: "GET /users/42", fingerprint: "", occurredAt: "2026-11-23T19:31:14.173764Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3", span: &Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "52429280aab3c0b3", ParentSpanID: "", Name: "GET /users/42", Kind: "server", Status: "ok", DurationMS: 0.26751900009003293, StartedAt: mustTime("2026-11-23T19:31:14.173764Z"), EndedAt: mustTime("2026-11-23T19:31:14.229671Z")}},
	{name: "python-event-span-via-fastapi", kind: kindEvent, typ: TypeSpan, level: "info", message: "GET /users/42", fingerprint: "", occurredAt: "2026-11-23T19:31:13.707385Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3", span: &Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "c48440d36dd9c067", ParentSpanID: "", Name: "GET /users/42", Kind: "server", Status: "ok", DurationMS: 1.068145000090226, StartedAt: mustTime("2026-11-23T19:31:13.707385Z"), EndedAt: mustTime("2026-11-23T19:31:13.757424Z")}},
	{name: "python-event-span-via-flask", kind: kindEvent, typ: TypeSpan, level: "info", message: "GET /users/42", fingerprint: "", occurredAt: "2026-11-23T19:31:13.277093Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3", span: &Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "554cfbe18433ac44", ParentSpanID: "", Name: "GET /users/42", Kind: "server", Status: "ok", DurationMS: 0.16287400012515718, StartedAt: mustTime("2026-11-23T19:31:13.277093Z"), EndedAt: mustTime("2026-11-23T19:31:13.321095Z")}},
	{name: "python-event-span", kind: kindEvent, typ: TypeSpan, level: "info", message: "GET /users/{id}", fingerprint: "", occurredAt: "2026-11-23T19:31:11.737173Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3", span: &Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "a1b2c3d4e5f60718", ParentSpanID: "", Name: "GET /users/{id}", Kind: "server", Status: "ok", DurationMS: 250, StartedAt: mustTime("2026-11-23T19:31:11.737173Z"), EndedAt: mustTime("2026-11-23T19:31:11.987173Z")}},
	{name: "python-event-transaction-via-celery", kind: kindEvent, typ: TypeTransaction, level: "info", message: "billing.tasks.charge", fingerprint: "", occurredAt: "2026-11-23T19:31:12.901124Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-transaction-via-django", kind: kindEvent, typ: TypeTransaction, level: "info", message: "GET /users/42", fingerprint: "", occurredAt: "2026-11-23T19:31:14.175307Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-transaction-via-fastapi", kind: kindEvent, typ: TypeTransaction, level: "info", message: "GET /users/42", fingerprint: "", occurredAt: "2026-11-23T19:31:13.708541Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-transaction-via-flask", kind: kindEvent, typ: TypeTransaction, level: "info", message: "GET /users/42", fingerprint: "", occurredAt: "2026-11-23T19:31:13.277607Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "python-event-transaction", kind: kindEvent, typ: TypeTransaction, level: "info", message: "GET /users/{id}", fingerprint: "", occurredAt: "2026-11-23T19:31:12.193618Z", precision: PrecisionExact, env: "staging", release: "py-driver@1.2.3"},
	{name: "ruby-deployment", kind: kindDeployment, deployment: &Deployment{Release: "rb-driver@1.2.3", Environment: "production", Repository: "acme/checkout-app", CommitSHA: "0123456789abcdef0123456789abcdef01234567", Branch: "main", DeployedAt: mustTime("2026-11-23T19:31:15Z"), PullRequestNumber: ptr(17)}},
	{name: "ruby-event-check-in", kind: kindEvent, typ: TypeCheckIn, level: "info", message: "nightly-report", fingerprint: "e6a970457d12fd010919912733f90b76", occurredAt: "2026-11-23T19:31:15Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3", checkIn: &CheckIn{Slug: "nightly-report", Status: "in_progress", ExpectedIntervalSeconds: 86400}},
	{name: "ruby-event-error-via-activejobreporter", kind: kindEvent, typ: TypeError, level: "error", message: "RuntimeError: billing failed for 7", fingerprint: "54ae4cecc1f72e01315e03233b6fee05", occurredAt: "2026-11-23T19:31:15Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
	{name: "ruby-event-error-via-rack-middleware", kind: kindEvent, typ: TypeError, level: "error", message: "RuntimeError: rack app exploded", fingerprint: "fd2110de5f6a0c4fc061495216f84e88", occurredAt: "2026-11-23T19:31:15Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
	{name: "ruby-event-error", kind: kindEvent, typ: TypeError, level: "error", message: "PaymentDeclinedError: card declined for amount 4200", fingerprint: "a9dd5efa548a3f51505a70ea23ecb142", occurredAt: "2026-11-23T19:31:15Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
	{name: "ruby-event-log", kind: kindEvent, typ: TypeLog, level: "debug", message: "driver message at debug", fingerprint: "707dd46048caf46587fa88b5aec87423", occurredAt: "2026-11-23T19:31:15Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
	{name: "ruby-event-metric-db-query-via-sqlsubscriber", kind: kindEvent, typ: TypeMetric, level: "info", message: "db.query", fingerprint: "82223c7d347b9900900e405d0ca633af", occurredAt: "2026-11-23T19:31:15Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
	{name: "ruby-event-metric", kind: kindEvent, typ: TypeMetric, level: "info", message: "checkout.cart_value", fingerprint: "6a351dfa8807675203793e50f5bff90b", occurredAt: "2026-11-23T19:31:15Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
	{name: "ruby-event-span-child", kind: kindEvent, typ: TypeSpan, level: "info", message: "SELECT users", fingerprint: "09cae9f470627a47568911be3972dcfa", occurredAt: "2026-11-23T19:31:14Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3", span: &Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "b1b2c3d4e5f60719", ParentSpanID: "a1b2c3d4e5f60718", Name: "SELECT users", Kind: "db", Status: "ok", DurationMS: 12.75, StartedAt: mustTime("2026-11-23T19:31:14Z"), EndedAt: mustTime("2026-11-23T19:31:14Z")}},
	{name: "ruby-event-span-via-requestsubscriber", kind: kindEvent, typ: TypeSpan, level: "info", message: "UsersController#show", fingerprint: "c2eafbcc752e222c339ff4dbb6347a4f", occurredAt: "2026-11-23T19:31:15Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3", span: &Span{TraceID: "req-rb-rails-1", SpanID: "d1a0dd7c4fa3f85c", ParentSpanID: "", Name: "UsersController#show", Kind: "server", Status: "ok", DurationMS: 20.5, StartedAt: mustTime("2026-11-23T19:31:15Z"), EndedAt: mustTime("2026-11-23T19:31:15Z").Add(20500 * time.Microsecond)}},
	{name: "ruby-event-span", kind: kindEvent, typ: TypeSpan, level: "info", message: "GET /users/:id", fingerprint: "7e89bfd7ce5117f81f07241bfdf6edb3", occurredAt: "2026-11-23T19:31:14Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3", span: &Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "a1b2c3d4e5f60718", ParentSpanID: "", Name: "GET /users/:id", Kind: "server", Status: "ok", DurationMS: 250, StartedAt: mustTime("2026-11-23T19:31:14Z"), EndedAt: mustTime("2026-11-23T19:31:15Z")}},
	{name: "ruby-event-transaction", kind: kindEvent, typ: TypeTransaction, level: "info", message: "UsersController#show", fingerprint: "6d18caf3c127510dbea806862bb109b2", occurredAt: "2026-11-23T19:31:15Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
	{name: "ruby-stdlib-deployment", kind: kindDeployment, deployment: &Deployment{Release: "rb-driver@1.2.3", Environment: "production", Repository: "acme/checkout-app", CommitSHA: "0123456789abcdef0123456789abcdef01234567", Branch: "main", DeployedAt: mustTime("2026-11-23T19:31:16Z"), PullRequestNumber: ptr(17)}},
	{name: "ruby-stdlib-event-check-in", kind: kindEvent, typ: TypeCheckIn, level: "info", message: "nightly-report", fingerprint: "e6a970457d12fd010919912733f90b76", occurredAt: "2026-11-23T19:31:16Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3", checkIn: &CheckIn{Slug: "nightly-report", Status: "in_progress", ExpectedIntervalSeconds: 86400}},
	{name: "ruby-stdlib-event-error", kind: kindEvent, typ: TypeError, level: "error", message: "PaymentDeclinedError: card declined for amount 4200", fingerprint: "a9dd5efa548a3f51505a70ea23ecb142", occurredAt: "2026-11-23T19:31:16Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
	{name: "ruby-stdlib-event-log", kind: kindEvent, typ: TypeLog, level: "debug", message: "driver message at debug", fingerprint: "707dd46048caf46587fa88b5aec87423", occurredAt: "2026-11-23T19:31:16Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
	{name: "ruby-stdlib-event-metric-db-query-via-sqlsubscriber", kind: kindEvent, typ: TypeMetric, level: "info", message: "db.query", fingerprint: "82223c7d347b9900900e405d0ca633af", occurredAt: "2026-11-23T19:31:16Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
	{name: "ruby-stdlib-event-metric", kind: kindEvent, typ: TypeMetric, level: "info", message: "checkout.cart_value", fingerprint: "6a351dfa8807675203793e50f5bff90b", occurredAt: "2026-11-23T19:31:16Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
	{name: "ruby-stdlib-event-span-child", kind: kindEvent, typ: TypeSpan, level: "info", message: "SELECT users", fingerprint: "09cae9f470627a47568911be3972dcfa", occurredAt: "2026-11-23T19:31:15Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3", span: &Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "b1b2c3d4e5f60719", ParentSpanID: "a1b2c3d4e5f60718", Name: "SELECT users", Kind: "db", Status: "ok", DurationMS: 12.75, StartedAt: mustTime("2026-11-23T19:31:15Z"), EndedAt: mustTime("2026-11-23T19:31:15Z")}},
	{name: "ruby-stdlib-event-span", kind: kindEvent, typ: TypeSpan, level: "info", message: "GET /users/:id", fingerprint: "7e89bfd7ce5117f81f07241bfdf6edb3", occurredAt: "2026-11-23T19:31:15Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3", span: &Span{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "a1b2c3d4e5f60718", ParentSpanID: "", Name: "GET /users/:id", Kind: "server", Status: "ok", DurationMS: 250, StartedAt: mustTime("2026-11-23T19:31:15Z"), EndedAt: mustTime("2026-11-23T19:31:15Z")}},
	{name: "ruby-stdlib-event-transaction", kind: kindEvent, typ: TypeTransaction, level: "info", message: "UsersController#show", fingerprint: "6d18caf3c127510dbea806862bb109b2", occurredAt: "2026-11-23T19:31:16Z", precision: PrecisionExact, env: "staging", release: "rb-driver@1.2.3"},
}

// sdkContext lists context fields of some examples that exercise specific rules.
var sdkContext = map[string]map[string]any{
	"js-event-error": {
		"exception.class": "PaymentDeclinedError", "exception.cause.class": "SyntaxError",
		"trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "user_id": "user-42", "commit_sha": "0123456789abcdef0123456789abcdef01234567",
	},
	"ruby-event-error-via-rack-middleware": {
		"clientIp": "203.0.113.9", "client_ip": "203.0.113.9", "request.client_ip": "203.0.113.9",
		"requestId": "req-rb-mw-1", "request_id": "req-rb-mw-1", "http_method": "GET",
		"headers.User-Agent": "staging-driver", "headers.user_agent": "staging-driver", "headers.content_length": "0",
		"trace.traceId": "0af7651916cd43dd8448eb211c80319c", "trace.trace_id": "0af7651916cd43dd8448eb211c80319c",
		"runtime.ruby_version": "3.1.7", "deployment.process_pid": json.Number("32085"), "response.duration_ms": json.Number("79.71"),
	},
	"ruby-event-error":                    {"dependency_calls.0.duration_ms": json.Number("80.5"), "dependencyCalls.0.durationMs": json.Number("80.5")},
	"python-event-transaction-via-django": {"request.route": nil, "request.headers.x_request_id": "req-django-1", "request.headers.X-Request-Id": "req-django-1"},
	"python-event-error-via-django":       {"request.query_string": nil},
	"js-event-metric":                     {"metric.value": json.Number("129.95"), "value": json.Number("129.95"), "unit": "usd"},
	"ruby-event-check-in":                 {"check_in_slug": "nightly-report", "expected_interval_seconds": json.Number("86400")},
	// Span write-backs: span_kind exists already; transaction_name is set to null like Ruby's ||=.
	"ruby-event-span-via-requestsubscriber": {"span_kind": "server", "transaction_name": nil, "trace_id": "req-rb-rails-1", "timing_breakdown.db": json.Number("3.2")},
	"js-event-span-via-capturepageload":     {"span_kind": "browser", "request_id": nil, "navigation.dns_ms": json.Number("4")},
	"python-event-span-via-flask":           {"span_kind": "server", "duration_ms": json.Number("0.16287400012515718")},
	"js-checkin": {
		"environment": "staging", "release": "js-driver@1.2.3", "check_in_slug": "nightly-report",
		"check_in_status": "in_progress", "expected_interval_seconds": json.Number("86400"),
	},
}

// dig follows a dotted path through decoded JSON (array indexes as numbers).
func dig(t *testing.T, v any, path string) any {
	t.Helper()
	for _, part := range splitPath(path) {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			v, ok = x[part]
			require.True(t, ok, "missing %q in %s", part, path)
		case []any:
			i := 0
			for _, c := range part {
				i = i*10 + int(c-'0')
			}
			require.Less(t, i, len(x), path)
			v = x[i]
		default:
			t.Fatalf("cannot follow %s", path)
		}
	}
	return v
}

func splitPath(p string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(p); i++ {
		if p[i] == '.' {
			parts = append(parts, p[start:i])
			start = i + 1
		}
	}
	return append(parts, p[start:])
}

// rootWrites are the keys the normaliser may add to the root context besides snake_case copies.
var rootWrites = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range keyNames[:numTargets] {
		m[k] = true
	}
	return m
}()

func TestSDKExamples(t *testing.T) {
	t.Parallel()
	require.Len(t, sdkExamples, 59, "one row per example in testdata/sdk")
	for _, tc := range sdkExamples {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pretty := readSDK(t, tc.name)
			switch tc.kind {
			case kindDeployment:
				for _, body := range [][]byte{pretty, compact(t, pretty)} {
					d, err := DecodeDeployment(body, testOptions())
					require.NoError(t, err)
					meta := d.Metadata
					d.Metadata = nil
					require.Equal(t, tc.deployment, d)
					var m map[string]any
					require.NoError(t, json.Unmarshal(meta, &m))
					require.Equal(t, map[string]any{
						"pull_request_number": 17.0,
						"pull_request_url":    "https://github.com/acme/checkout-app/pull/17",
						"release_tag":         "v1.2.3",
						"release_url":         "https://github.com/acme/checkout-app/releases/tag/v1.2.3",
						"compare_url":         "https://github.com/acme/checkout-app/compare/v1.2.2...v1.2.3",
						"workflow_run_url":    "https://github.com/acme/checkout-app/actions/runs/1",
						"deployment_url":      "https://app.example.test",
					}, m)
				}
				return
			case kindCheckIn:
				ev, err := DecodeCheckIn(pretty, testOptions())
				require.NoError(t, err)
				checkEvent(t, tc, ev)
				return
			}

			ev, err := DecodeEvent(pretty, testOptions())
			require.NoError(t, err)
			checkEvent(t, tc, ev)

			// The SDKs send compact JSON; whitespace must not matter.
			ev2, err := DecodeEvent(compact(t, pretty), testOptions())
			require.NoError(t, err)
			require.Equal(t, ev, ev2)

			var in struct {
				Event struct {
					Context json.RawMessage `json:"context"`
				} `json:"event"`
			}
			require.NoError(t, json.Unmarshal(pretty, &in))
			checkRewrite(t, "context", decodeJSON(t, in.Event.Context), decodeJSON(t, ev.Context), rootWrites)
		})
	}
}

func checkEvent(t *testing.T, tc sdkExample, ev *Event) {
	t.Helper()
	require.Equal(t, tc.typ, ev.Type)
	require.Equal(t, tc.level, ev.Level)
	require.Equal(t, tc.message, ev.Message)
	require.Equal(t, tc.fingerprint, ev.Fingerprint)
	require.Empty(t, ev.UUID, "the Logister SDKs send no uuid")
	require.Equal(t, mustTime(tc.occurredAt), ev.OccurredAt)
	require.Equal(t, time.UTC, ev.OccurredAt.Location())
	require.Equal(t, tc.precision, ev.TimePrecision)
	require.Equal(t, tc.env, ev.Environment)
	require.Equal(t, tc.release, ev.Release)
	require.Equal(t, tc.span, ev.Span)
	require.Equal(t, tc.checkIn, ev.CheckIn)

	ctx := decodeJSON(t, ev.Context)
	for path, want := range sdkContext[tc.name] {
		require.Equal(t, want, dig(t, ctx, path), path)
	}
	if ev.Type != TypeSpan {
		require.Equal(t, tc.env, dig(t, ctx, "environment"))
	}
	checkGolden(t, tc.name, ev.Context)
}
