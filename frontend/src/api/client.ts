import createFetchClient, { type Middleware } from 'openapi-fetch';
import createQueryClient from 'openapi-react-query';
import { getCsrfToken } from './csrf';
import { ApiError, apiErrorFromFetchResponse, isSessionEnded, networkError } from './errors';
import type { paths } from './schema.gen';

export { ApiError, asApiError, isSessionEnded } from './errors';
export type { ErrorBody } from './errors';

function isAbort(error: unknown): boolean {
  return (
    (error instanceof DOMException || error instanceof Error) &&
    (error.name === 'AbortError' || error.name === 'TimeoutError')
  );
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Sends the session's CSRF token on every state-changing request. The server requires it for
 * requests authenticated by the session cookie and ignores it otherwise.
 */
export const csrfMiddleware: Middleware = {
  onRequest({ request }) {
    const token = getCsrfToken();
    if (token === undefined || SAFE_METHODS.has(request.method)) return undefined;
    request.headers.set('X-CSRF-Token', token);
    return request;
  },
};

type SessionEndedListener = (error: ApiError) => void;
const sessionEndedListeners = new Set<SessionEndedListener>();

/**
 * Calls `listener` whenever an API call answers 401 because the session (or token) is missing or
 * expired, except the session probe itself (`GET /api/v1/session`, whose 401 just means "signed
 * out"). The app uses it to send the user back to the sign-in page. Returns the unsubscribe
 * function.
 */
export function onSessionEnded(listener: SessionEndedListener): () => void {
  sessionEndedListeners.add(listener);
  return () => {
    sessionEndedListeners.delete(listener);
  };
}

const SESSION_PATH = '/api/v1/session';

/**
 * Turns every non-2xx response into a thrown ApiError, and every network failure into an
 * ApiError with status 0. A call through `api` therefore either resolves with `data` or
 * rejects with an ApiError; the `error` member of openapi-fetch's result is never set.
 * Aborts (React Query cancelling a query) are passed through untouched.
 */
export const apiErrorMiddleware: Middleware = {
  async onResponse({ request, response }) {
    if (response.ok) return undefined;
    const error = await apiErrorFromFetchResponse(response);
    if (isSessionEnded(error) && new URL(request.url).pathname !== SESSION_PATH) {
      for (const listener of sessionEndedListeners) listener(error);
    }
    throw error;
  },
  onError({ error }) {
    if (error instanceof ApiError || isAbort(error)) return undefined;
    return networkError(error);
  },
};

/** The typed fetch client for the Logister API (same origin). */
export const api = createFetchClient<paths>({
  baseUrl: '',
  // Look fetch up at call time rather than capturing it once, so that test doubles (MSW)
  // and polyfills installed after this module loads are honoured.
  fetch: (request: Request) => globalThis.fetch(request),
});
api.use(csrfMiddleware, apiErrorMiddleware);

/** React Query hooks bound to `api`: `$api.useQuery('get', '/api/v1/instance')`. */
export const $api = createQueryClient(api);

/** The paths of the API, for helpers that take one. */
export type ApiPath = keyof paths;
