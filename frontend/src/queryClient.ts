import { QueryClient, type DefaultOptions } from '@tanstack/react-query';
import { ApiError } from './api/errors';

/** Client errors (4xx) are answers, not glitches: retrying them changes nothing. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(queries: DefaultOptions['queries'] = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        staleTime: 30_000,
        retry: shouldRetry,
        ...queries,
      },
    },
  });
}
