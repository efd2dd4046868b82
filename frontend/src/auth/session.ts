import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { $api, api, ApiError } from '../api/client';
import { setCsrfToken } from '../api/csrf';
import type { components } from '../api/schema.gen';

export type Session = components['schemas']['Session'];
export type User = components['schemas']['User'];

/** The cache key of the session probe: openapi-react-query's key for `GET /api/v1/session`. */
export const sessionQueryKey = $api.queryOptions('get', '/api/v1/session').queryKey;

/**
 * Who is signed in: the Session, or null when signed out (the API answers 401). Every answer
 * refreshes the CSRF token the client sends. A session lives for days, and any request that finds
 * it gone ends it in the app at once (see `onSessionEnded`), so it is rarely re-asked.
 */
export function sessionQueryOptions() {
  return queryOptions({
    queryKey: sessionQueryKey,
    queryFn: async ({ signal }): Promise<Session | null> => {
      try {
        const { data } = await api.GET('/api/v1/session', { signal });
        if (!data) return null;
        setCsrfToken(data.csrfToken);
        return data;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(undefined);
          return null;
        }
        throw error;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/** The session query: `data` is the Session, null when signed out, undefined while loading. */
export function useSession() {
  return useQuery(sessionQueryOptions());
}

/**
 * The signed-in user, for components under a signed-in route (whose guard has loaded the
 * session). Throws when there is none, which would be a routing bug.
 */
export function useCurrentUser(): User {
  const { data } = useSession();
  if (!data) throw new Error('useCurrentUser needs a signed-in route');
  return data.user;
}

/** Records a session the API just started (sign-in, setup, sign-up with an invitation). */
export function setSignedIn(queryClient: QueryClient, session: Session): void {
  setCsrfToken(session.csrfToken);
  queryClient.setQueryData(sessionQueryKey, session);
}

/** Updates the signed-in user in the cached session (after a profile change). */
export function setSessionUser(queryClient: QueryClient, user: User): void {
  queryClient.setQueryData<Session | null>(sessionQueryKey, (session) => (session ? { ...session, user } : session));
}

/**
 * Forgets the session and everything loaded with it, so nothing of one user's data survives into
 * the next user's session in the same tab.
 */
export function setSignedOut(queryClient: QueryClient): void {
  setCsrfToken(undefined);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[1] !== '/api/v1/instance' });
  queryClient.setQueryData(sessionQueryKey, null);
}
