// Package apperr defines the kinds of error that domain code returns and that the HTTP layer maps to
// status codes in exactly one place (httpapi's error handler).
//
// Domain code returns an *Error built with one of the constructors; anything else that reaches the
// HTTP layer is treated as an internal error: logged in full and answered with a generic 500.
package apperr

import (
	"errors"
	"fmt"
)

// Kind classifies an error for clients. Each kind maps to one HTTP status.
type Kind int

// The kinds of error. Their order carries no meaning.
const (
	KindInternal      Kind = iota // a bug or an unexpected failure: 500
	KindInvalid                   // the request is malformed: 400
	KindUnauthorized              // credentials are missing or wrong: 401
	KindForbidden                 // credentials are fine but not allowed: 403
	KindNotFound                  // the thing does not exist (or is not visible): 404
	KindConflict                  // the request conflicts with current state: 409
	KindGone                      // the thing existed but can no longer be used: 410
	KindTooLarge                  // the request is too big: 413
	KindUnsupported               // the body's media type or encoding is not accepted: 415
	KindUnprocessable             // well-formed but fails validation: 422
	KindRateLimited               // too many requests: 429
	KindUnavailable               // a dependency is down; retry later: 503
)

// Error is an error with a kind, a stable code and a message that is safe to show to clients.
type Error struct {
	Kind Kind
	// Code is a stable machine-readable code such as "not_found" or "request_bytes".
	Code string
	// Message is shown to clients as is. It must never contain internal details.
	Message string
	// Details are individual validation messages, shown to clients.
	Details []string
	// Limit and Actual, when not zero, tell clients which size or rate limit was exceeded and by how much.
	Limit, Actual int64
	// Window and RetryAfter, for rate limits (KindRateLimited), are the limit's window and how long
	// the client should wait before trying again, both in whole seconds.
	Window, RetryAfter int64
	// Fields maps request fields to what is wrong with each, for forms (validation failures).
	Fields map[string]string
	// Err is the underlying cause, logged but never shown.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

func newError(kind Kind, code, format string, args []any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports a malformed request (400).
func Invalid(code, format string, args ...any) *Error {
	return newError(KindInvalid, code, format, args)
}

// Unauthorized reports missing or wrong credentials (401).
func Unauthorized(format string, args ...any) *Error {
	return newError(KindUnauthorized, "unauthorized", format, args)
}

// Forbidden reports credentials that are not allowed to do this (403).
func Forbidden(format string, args ...any) *Error {
	return newError(KindForbidden, "forbidden", format, args)
}

// UnauthorizedCode is Unauthorized with a specific code, such as "session_expired" (401).
func UnauthorizedCode(code, format string, args ...any) *Error {
	return newError(KindUnauthorized, code, format, args)
}

// ForbiddenCode is Forbidden with a specific code, such as "admin_required" (403).
func ForbiddenCode(code, format string, args ...any) *Error {
	return newError(KindForbidden, code, format, args)
}

// NotFound reports that something does not exist or is not visible to the caller (404).
func NotFound(format string, args ...any) *Error {
	return newError(KindNotFound, "not_found", format, args)
}

// Conflict reports a request that conflicts with the current state (409).
func Conflict(code, format string, args ...any) *Error {
	return newError(KindConflict, code, format, args)
}

// Gone reports something that existed but can no longer be used (410).
func Gone(code, format string, args ...any) *Error {
	return newError(KindGone, code, format, args)
}

// Unprocessable reports a well-formed request that fails validation (422), with one message per
// problem.
func Unprocessable(details ...string) *Error {
	return &Error{Kind: KindUnprocessable, Code: "validation_failed", Message: "The request failed validation.", Details: details}
}

// FieldError is what is wrong with one request field.
type FieldError struct {
	Field, Message string
}

// InvalidFields reports a well-formed request whose fields fail validation (422): code
// "validation_failed", one detail per field ("email: ...") and the same as a field → message map.
func InvalidFields(fields ...FieldError) *Error {
	e := &Error{Kind: KindUnprocessable, Code: "validation_failed", Message: "The request failed validation.",
		Fields: make(map[string]string, len(fields))}
	for _, f := range fields {
		if _, seen := e.Fields[f.Field]; seen {
			continue
		}
		e.Fields[f.Field] = f.Message
		e.Details = append(e.Details, f.Field+": "+f.Message)
	}
	if len(fields) == 1 {
		e.Message = "The request failed validation: " + e.Details[0] + "."
	}
	return e
}

// TooLarge reports a request or payload over a size limit (413). code names the limit, such as
// "request_bytes" or "message_bytes"; actual is 0 when unknown.
func TooLarge(code, message string, limit, actual int64) *Error {
	return &Error{Kind: KindTooLarge, Code: code, Message: message, Limit: limit, Actual: actual}
}

// Unsupported reports a request body in a media type or encoding that is not accepted (415).
func Unsupported(code, format string, args ...any) *Error {
	return newError(KindUnsupported, code, format, args)
}

// RateLimited reports a request refused by a rate limit of limit requests per window seconds
// (429); the client may try again after retryAfter seconds. The message is the reference server's.
func RateLimited(limit, window, retryAfter int64) *Error {
	return &Error{Kind: KindRateLimited, Code: "rate_limited", Message: "Rate limit exceeded",
		Limit: limit, Window: window, RetryAfter: retryAfter}
}

// Unavailable reports that a dependency is down (503). cause is logged, not shown.
func Unavailable(cause error, format string, args ...any) *Error {
	e := newError(KindUnavailable, "unavailable", format, args)
	e.Err = cause
	return e
}

// KindOf returns the kind of err: the kind of the first *Error in its chain, or KindInternal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}
