import type { components } from './schema.gen';

/** The body of every error response, as described by the `Error` schema in openapi.yaml. */
export type ErrorBody = components['schemas']['Error'];

/**
 * The one error type the web app deals with. Every non-2xx response from the API (and every
 * network failure) is turned into an ApiError by the client middleware in `client.ts`.
 *
 * - `status`: the HTTP status, or 0 when the server could not be reached.
 * - `code`: the Error body's `code`, or a synthetic one (`http_<status>`, `network_error`) when
 *   the response had no Error body (for example a proxy's HTML error page).
 * - `message`: the Error body's `error`, or a generic sentence.
 * - `requestId`: the Error body's `requestId`, falling back to the `X-Request-Id` header.
 * - `errors`: the Error body's individual validation messages, when present.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly errors: readonly string[];

  constructor(init: {
    status: number;
    code: string;
    message: string;
    requestId?: string | undefined;
    errors?: readonly string[] | undefined;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
  }
}

const REQUEST_ID_HEADER = 'X-Request-Id';

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.error === 'string' &&
    typeof v.code === 'string' &&
    (v.requestId === undefined || typeof v.requestId === 'string') &&
    (v.errors === undefined || (Array.isArray(v.errors) && v.errors.every((e) => typeof e === 'string')))
  );
}

function genericMessage(status: number): string {
  if (status >= 500) return `The server could not handle the request (HTTP ${String(status)}).`;
  return `The request failed (HTTP ${String(status)}).`;
}

/**
 * Builds an ApiError from a non-2xx response's status, headers and raw body text. The body is
 * used when it is the server's Error JSON; anything else (empty, HTML, other JSON) gives a
 * generic message and a `http_<status>` code.
 */
export function apiErrorFromResponse(status: number, headers: Headers, bodyText: string): ApiError {
  const headerRequestId = headers.get(REQUEST_ID_HEADER) ?? undefined;
  let body: unknown = undefined;
  if (bodyText.trim() !== '') {
    try {
      body = JSON.parse(bodyText);
    } catch {
      body = undefined;
    }
  }
  if (isErrorBody(body)) {
    return new ApiError({
      status,
      code: body.code,
      message: body.error,
      requestId: body.requestId ?? headerRequestId,
      errors: body.errors,
    });
  }
  return new ApiError({
    status,
    code: `http_${String(status)}`,
    message: genericMessage(status),
    requestId: headerRequestId,
  });
}

/** Reads a non-2xx Response's body and converts it; the Response's body is consumed. */
export async function apiErrorFromFetchResponse(response: Response): Promise<ApiError> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    text = '';
  }
  return apiErrorFromResponse(response.status, response.headers, text);
}

/** The ApiError for a request that never got a response (server down, DNS, CORS, offline). */
export function networkError(cause: unknown): ApiError {
  return new ApiError({
    status: 0,
    code: 'network_error',
    message: 'Could not reach the Logister server. Check your connection and try again.',
    cause,
  });
}

/**
 * Normalises anything thrown by a query into an ApiError, so components can show one shape.
 * Errors from the generated client already are ApiErrors; this covers the rest.
 */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isErrorBody(error)) {
    return new ApiError({
      status: 0,
      code: error.code,
      message: error.error,
      requestId: error.requestId,
      errors: error.errors,
    });
  }
  const message = error instanceof Error && error.message !== '' ? error.message : 'Something went wrong.';
  return new ApiError({ status: 0, code: 'client_error', message, cause: error });
}
