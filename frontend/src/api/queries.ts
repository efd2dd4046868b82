import {
  infiniteQueryOptions,
  type InfiniteData,
  type QueryClient,
  type QueryKey,
} from '@tanstack/react-query';
import type { ApiPath } from './client';

/**
 * Marks every query of a path family stale and refetches the active ones: mutations call it with
 * the prefix they change (`/api/v1/me/tokens`, `/api/v1/admin/users`). Query keys are
 * openapi-react-query's `[method, path, init]`, so nobody writes keys by hand.
 */
export function invalidatePath(queryClient: QueryClient, prefix: ApiPath | `/api/v1/${string}`): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (query) => {
      const path = query.queryKey[1];
      return typeof path === 'string' && path.startsWith(prefix);
    },
  });
}

/** A page of a cursor-paginated list: the API answers `{<items>, nextCursor?}`. */
interface CursorPage {
  nextCursor?: string;
}

/**
 * Infinite-query options for a cursor-paginated endpoint. `fetchPage` gets the cursor of the page
 * to load (undefined for the first one) and calls the typed client. (openapi-react-query's own
 * useInfiniteQuery sends `cursor=0` for the first page, which the API refuses.)
 */
export function cursorPagesOptions<TPage extends CursorPage>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<TPage>,
) {
  return infiniteQueryOptions<TPage, Error, InfiniteData<TPage, string | undefined>, QueryKey, string | undefined>({
    queryKey: [...queryKey, 'pages'],
    queryFn: ({ pageParam, signal }) => fetchPage(pageParam, signal),
    initialPageParam: undefined,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** The paging part of a list request: the page's cursor (none for the first page) and its size. */
export function pageQuery(cursor: string | undefined, limit: number): { cursor?: string; limit: number } {
  return cursor ? { cursor, limit } : { limit };
}

/** A page the API answered, or an error naming the list (`what`) when the answer had no body. */
export function answered<TPage>(data: TPage | undefined, what: string): TPage {
  if (!data) throw new Error(`The ${what} answer was empty.`);
  return data;
}
