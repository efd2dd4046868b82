import type { RootOptions } from 'react-dom/client';
import { ApiError } from './api/errors';

/**
 * Options of the React root. An ApiError caught by a route's error boundary is an expected
 * failure (server unreachable, 404...) that the page explains to the user, so it is not logged as
 * a console error; anything else (a bug) still is.
 */
export const rootOptions: Pick<RootOptions, 'onCaughtError'> = {
  onCaughtError(error, info) {
    if (error instanceof ApiError) return;
    console.error(error, info.componentStack);
  },
};
