import type { QueryClient } from '@tanstack/react-query';
import { redirect } from '@tanstack/react-router';
import { sessionQueryOptions, type Session } from './session';

interface GuardArgs {
  context: { queryClient: QueryClient };
  location: { href: string };
}

/**
 * Where to go after signing in: only a path of this app (starting with one `/`), never another
 * site, and never back to a signed-out-only page.
 */
export function safeRedirect(target: string | undefined): string {
  if (!target?.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return '/';
  const path = target.split(/[?#]/, 1)[0] ?? '/';
  if (SIGNED_OUT_ONLY.has(path) || path === '/sign-out') return '/';
  return target;
}

/** Pages only signed-out visitors see; signed-in users are sent on. */
export const SIGNED_OUT_ONLY: ReadonlySet<string> = new Set([
  '/sign-in',
  '/sign-up',
  '/forgot-password',
  '/resend-confirmation',
]);

/** Route guard: signed-out visitors go to the sign-in page, which brings them back afterwards. */
export async function requireSignedIn({ context, location }: GuardArgs): Promise<{ session: Session }> {
  const session = await context.queryClient.query(sessionQueryOptions());
  if (!session) {
    throw redirect({
      to: '/sign-in',
      search: location.href === '/' ? {} : { redirect: location.href },
    });
  }
  return { session };
}

/** Route guard: signed-in users skip sign-in, sign-up and the like. */
export async function requireSignedOut({
  context,
  search,
}: {
  context: { queryClient: QueryClient };
  search: { redirect?: string | undefined };
}): Promise<void> {
  const session = await context.queryClient.query(sessionQueryOptions());
  if (session) throw redirect({ href: safeRedirect(search.redirect), replace: true });
}

/**
 * Route guard for the admin pages: signed in, and tells the pages whether the user is an instance
 * administrator. The admin layout shows everyone else a "no access" page and its child routes
 * load nothing for them (a thrown error would work too, but React logs every error a boundary
 * catches to the console).
 */
export async function checkAdmin(args: GuardArgs): Promise<{ isAdmin: boolean }> {
  const { session } = await requireSignedIn(args);
  return { isAdmin: session.user.admin };
}
