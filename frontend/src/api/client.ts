import createFetchClient, { type Middleware } from 'openapi-fetch';
import createQueryClient from 'openapi-react-query';
import { ApiError, apiErrorFromFetchResponse, networkError } from './errors';
import type { paths } from './schema.gen';

export { ApiError, asApiError } from './errors';
export type { ErrorBody } from './errors';

function isAbort(error: unknown): boolean {
  return (
    (error instanceof DOMException || error instanceof Error) &&
    (error.name === 'AbortError' || error.name === 'TimeoutError')
  );
}

/**
 * Turns every non-2xx response into a thrown ApiError, and every network failure into an
 * ApiError with status 0. A call through `api` therefore either resolves with `data` or
 * rejects with an ApiError; the `error` member of openapi-fetch's result is never set.
 * Aborts (React Query cancelling a query) are passed through untouched.
 */
export const apiErrorMiddleware: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return undefined;
    throw await apiErrorFromFetchResponse(response);
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
api.use(apiErrorMiddleware);

/** React Query hooks bound to `api`: `$api.useQuery('get', '/api/v1/instance')`. */
export const $api = createQueryClient(api);
