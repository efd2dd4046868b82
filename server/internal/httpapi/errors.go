package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/logister/logister/api"
	"github.com/logister/logister/api/public"
	"github.com/logister/logister/server/internal/apperr"
	"github.com/logister/logister/server/internal/logging"
)

// statusOf maps each apperr kind to its HTTP status. This table is the only place where errors
// become status codes.
var statusOf = map[apperr.Kind]int{
	apperr.KindInternal:      http.StatusInternalServerError,
	apperr.KindInvalid:       http.StatusBadRequest,
	apperr.KindUnauthorized:  http.StatusUnauthorized,
	apperr.KindForbidden:     http.StatusForbidden,
	apperr.KindNotFound:      http.StatusNotFound,
	apperr.KindConflict:      http.StatusConflict,
	apperr.KindGone:          http.StatusGone,
	apperr.KindTooLarge:      http.StatusRequestEntityTooLarge,
	apperr.KindUnsupported:   http.StatusUnsupportedMediaType,
	apperr.KindUnprocessable: http.StatusUnprocessableEntity,
	apperr.KindRateLimited:   http.StatusTooManyRequests,
	apperr.KindUnavailable:   http.StatusServiceUnavailable,
}

// codeOfStatus names the errors that Echo itself raises (unknown route, wrong method, ...).
var codeOfStatus = map[int]string{
	http.StatusBadRequest:            "invalid_request",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "request_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       "rate_limited",
	http.StatusServiceUnavailable:    "unavailable",
}

// errorHandler writes every error as the one JSON error shape. Only apperr messages and Echo's own
// 4xx messages reach the client; anything else is logged in full and answered with a generic 500.
func errorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		ctx := c.Request().Context()
		status, body := errorResponse(err)
		body.RequestId = ptr(logging.RequestID(ctx))

		switch {
		case errors.Is(err, context.Canceled) && ctx.Err() != nil:
			// The client went away; nobody reads the answer. 499 as in nginx, for the access log.
			c.Response().WriteHeader(499)
			return
		case status >= 500:
			logger.ErrorContext(ctx, "request failed", "error", err.Error(), "status", status)
		}

		var payload any = body
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Kind == apperr.KindRateLimited {
			// The reference's 429: Retry-After, and the limit's fields in the body. The
			// X-RateLimit-* headers are already set by whoever checked the limit.
			c.Response().Header().Set("Retry-After", strconv.FormatInt(max(ae.RetryAfter, 1), 10))
			payload = public.RateLimitError{Error: body.Error, Code: body.Code, RequestId: body.RequestId,
				Limit: ae.Limit, WindowSeconds: ae.Window, RetryAfter: max(ae.RetryAfter, 1)}
		}
		if c.Request().Method == http.MethodHead {
			err = c.NoContent(status)
		} else {
			err = c.JSON(status, payload)
		}
		if err != nil {
			logger.WarnContext(ctx, "write error response", "error", err)
		}
	}
}

// errorResponse chooses the status and client-visible body for err.
func errorResponse(err error) (int, api.Error) {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		status := statusOf[ae.Kind]
		if ae.Kind == apperr.KindInternal {
			return status, internalError()
		}
		body := api.Error{Code: ae.Code, Error: ae.Message}
		if len(ae.Details) > 0 {
			body.Errors = &ae.Details
		}
		if len(ae.Fields) > 0 {
			body.Fields = &ae.Fields
		}
		if ae.Limit != 0 {
			body.Limit = &ae.Limit
		}
		if ae.Actual != 0 {
			body.Actual = &ae.Actual
		}
		return status, body
	}

	var he *echo.HTTPError
	if errors.As(err, &he) && he.Code >= 400 && he.Code < 500 {
		code, ok := codeOfStatus[he.Code]
		if !ok {
			code = "invalid_request"
		}
		msg, ok := he.Message.(string)
		if !ok || msg == "" {
			msg = http.StatusText(he.Code)
		}
		if he.Code == http.StatusNotFound {
			msg = "Nothing is here."
		}
		return he.Code, api.Error{Code: code, Error: msg}
	}
	return http.StatusInternalServerError, internalError()
}

func internalError() api.Error {
	return api.Error{Code: "internal", Error: "Something went wrong on our side. The request id identifies it in the server log."}
}

func ptr[T any](v T) *T { return &v }

// deref is what p points to, or T's zero value for nil (an absent optional parameter).
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
