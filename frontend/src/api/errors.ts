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
 * - `fields`: for 422 `validation_failed`, what is wrong with each request field, by field name.
 * - `retryAfter`: for 429, the seconds to wait (the `Retry-After` header, else the body's
 *   `retry_after`).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly errors: readonly string[];
  readonly fields: Readonly<Record<string, string>>;
  readonly retryAfter: number | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    requestId?: string | undefined;
    errors?: readonly string[] | undefined;
    fields?: Readonly<Record<string, string>> | undefined;
    retryAfter?: number | undefined;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.errors = init.errors ?? [];
    this.fields = init.fields ?? {};
    this.retryAfter = init.retryAfter;
  }
}

/** Codes of a 401 that mean "your session (or token) is gone", as opposed to a wrong password. */
const SESSION_ENDED_CODES: ReadonlySet<string> = new Set(['unauthenticated', 'session_expired', 'invalid_token']);

/** Whether the error says the request's credentials are missing or no longer valid. */
export function isSessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && SESSION_ENDED_CODES.has(error.code);
}

const REQUEST_ID_HEADER = 'X-Request-Id';

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.error === 'string' &&
    typeof v.code === 'string' &&
    (v.requestId === undefined || typeof v.requestId === 'string') &&
    (v.errors === undefined || (Array.isArray(v.errors) && v.errors.every((e) => typeof e === 'string'))) &&
    (v.fields === undefined || isStringRecord(v.fields))
  );
}

/** Seconds from a Retry-After header (delay-seconds or HTTP date), else from a 429 body's `retry_after`. */
function retryAfterOf(headers: Headers, body: unknown): number | undefined {
  const header = headers.get('Retry-After')?.trim();
  if (header) {
    if (/^\d+$/.test(header)) return Number(header);
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(1, Math.ceil((date - Date.now()) / 1000));
  }
  if (typeof body === 'object' && body !== null) {
    const seconds = (body as Record<string, unknown>).retry_after;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) return Math.ceil(seconds);
  }
  return undefined;
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
  const retryAfter = status === 429 ? retryAfterOf(headers, body) : undefined;
  if (isErrorBody(body)) {
    return new ApiError({
      status,
      code: body.code,
      message: body.error,
      requestId: body.requestId ?? headerRequestId,
      errors: body.errors,
      fields: body.fields,
      retryAfter,
    });
  }
  return new ApiError({
    status,
    code: `http_${String(status)}`,
    message: genericMessage(status),
    requestId: headerRequestId,
    retryAfter,
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
      fields: error.fields,
    });
  }
  const message = error instanceof Error && error.message !== '' ? error.message : 'Something went wrong.';
  return new ApiError({ status: 0, code: 'client_error', message, cause: error });
}
