// Package ingest decodes and normalises the bodies of the public ingestion endpoints
// (/api/v1/ingest_events, /ingest_events/batch, /check_ins, /deployments) exactly as the reference
// Logister does (reference sections 1.3 to 1.10), as pure functions without I/O.
//
// Handlers read the size-limited body, call DecodeEvent, DecodeBatch, DecodeCheckIn or
// DecodeDeployment, and hand the result to the writer. Every error is an *apperr.Error (or, for a
// batch whose envelopes fail validation, a *BatchError), so the HTTP layer maps it in one place.
//
// Events are decoded with a strict scanner into typed fields; the context object is rewritten in
// one pass that enforces the payload limits, adds the snake_case copies of camelCase keys and the
// top-level fields the context lacks, and sanitises strings so that PostgreSQL jsonb accepts them.
//
// Deliberate differences from the reference: invalid UTF-8, \u0000 and lone surrogates become
// U+FFFD instead of failing in the database; numbers beyond float64's range become null (as
// ActiveSupport encodes Ruby's Infinity); logister-js's checked_at dates a check-in that has no
// occurred_at; the mobile-token rules and context.telemetry_evidence are not produced here (a
// client-sent telemetry_evidence is dropped, as the reference discards it).
package ingest
