import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  redirect,
  type RouterHistory,
} from '@tanstack/react-router';
import { $api } from './api/client';
import { checkAdmin, requireSignedIn, requireSignedOut } from './auth/guards';
import { RootLayout } from './components/shell/RootLayout';
import { AppShell } from './components/shell/AppShell';
import { AuthLayout } from './components/shell/AuthLayout';
import { PageLoading, RouteError } from './components/RouteStates';
import { optionalString } from './searchParams';
import { validateIssueSearch } from './pages/issues/detail/search';
import { ConfirmEmailPage } from './pages/auth/ConfirmEmailPage';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage';
import { InvitationPage } from './pages/auth/InvitationPage';
import { ResendConfirmationPage } from './pages/auth/ResendConfirmationPage';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage';
import { SetupPage } from './pages/auth/SetupPage';
import { SignInPage } from './pages/auth/SignInPage';
import { SignOutPage } from './pages/auth/SignOutPage';
import { SignUpPage } from './pages/auth/SignUpPage';
import { validateDeploymentsSearch } from './pages/deployments/search';
import { validateEventsSearch } from './pages/events/search';
import { validateTracesSearch } from './pages/traces/search';
import { NotFoundPage } from './pages/NotFoundPage';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  notFoundComponent: NotFoundPage,
  errorComponent: RouteError,
});

// ---- Signed-out and link pages: one centred card (AuthLayout). ----

const authLayout = createRoute({
  getParentRoute: () => rootRoute,
  id: '_auth',
  component: AuthLayout,
});

/** `?redirect=` (where to go after signing in) and `?email=` (to prefill). */
function validateSignInSearch(search: Record<string, unknown>): { redirect?: string; email?: string } {
  return { redirect: optionalString(search, 'redirect'), email: optionalString(search, 'email') };
}

function validateEmailSearch(search: Record<string, unknown>): { email?: string } {
  return { email: optionalString(search, 'email') };
}

const signInRoute = createRoute({
  getParentRoute: () => authLayout,
  path: '/sign-in',
  validateSearch: validateSignInSearch,
  beforeLoad: ({ context, search }) => requireSignedOut({ context, search }),
  component: SignInPage,
});

const signUpRoute = createRoute({
  getParentRoute: () => authLayout,
  path: '/sign-up',
  validateSearch: (search: Record<string, unknown>): { invitation?: string } => ({
    invitation: optionalString(search, 'invitation'),
  }),
  beforeLoad: ({ context }) => requireSignedOut({ context, search: {} }),
  component: SignUpPage,
});

const forgotPasswordRoute = createRoute({
  getParentRoute: () => authLayout,
  path: '/forgot-password',
  validateSearch: validateEmailSearch,
  beforeLoad: ({ context }) => requireSignedOut({ context, search: {} }),
  component: ForgotPasswordPage,
});

const resendConfirmationRoute = createRoute({
  getParentRoute: () => authLayout,
  path: '/resend-confirmation',
  validateSearch: validateEmailSearch,
  beforeLoad: ({ context }) => requireSignedOut({ context, search: {} }),
  component: ResendConfirmationPage,
});

// Links from e-mails and the server's log: the same paths the server writes (account/mails.go).
const setupRoute = createRoute({ getParentRoute: () => authLayout, path: '/setup/$token', component: SetupPage });
const confirmRoute = createRoute({ getParentRoute: () => authLayout, path: '/confirm/$token', component: ConfirmEmailPage });
const resetPasswordRoute = createRoute({
  getParentRoute: () => authLayout,
  path: '/reset-password/$token',
  component: ResetPasswordPage,
});
const invitationRoute = createRoute({
  getParentRoute: () => authLayout,
  path: '/invitations/$token',
  component: InvitationPage,
});
const signOutRoute = createRoute({ getParentRoute: () => authLayout, path: '/sign-out', component: SignOutPage });

// ---- The signed-in app (AppShell). ----

const appLayout = createRoute({
  getParentRoute: () => rootRoute,
  id: '_app',
  beforeLoad: requireSignedIn,
  component: AppShell,
  errorComponent: RouteError,
});

// The cross-project dashboard: its own chunk (its chart library loads later still).
const homeRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/',
  component: lazyRouteComponent(() => import('./pages/HomePage'), 'HomePage'),
});

const profileRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/profile',
  loader: ({ context }) => context.queryClient.query($api.queryOptions('get', '/api/v1/me/tokens')),
  component: lazyRouteComponent(() => import('./pages/profile/ProfilePage'), 'ProfilePage'),
});

// Projects and their issues: lazy chunks.
const newProjectRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/new',
  component: lazyRouteComponent(() => import('./pages/projects/NewProjectPage'), 'NewProjectPage'),
});

const projectSetupRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/$projectId/setup',
  component: lazyRouteComponent(() => import('./pages/projects/ProjectSetupPage'), 'ProjectSetupPage'),
});

// A project's own address (the "you were added to a project" e-mail links here): its issues.
const projectRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/$projectId',
  beforeLoad: ({ params }) => {
    throw redirect({ to: '/projects/$projectId/issues', params, replace: true });
  },
});

const inboxRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/$projectId/issues',
  validateSearch: (search: Record<string, unknown>): { q?: string } => ({ q: optionalString(search, 'q') }),
  component: lazyRouteComponent(() => import('./pages/issues/InboxPage'), 'InboxPage'),
});

const issueRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/$projectId/issues/$issueId',
  validateSearch: validateIssueSearch,
  component: lazyRouteComponent(() => import('./pages/issues/IssuePage'), 'IssuePage'),
});

// A project's telemetry: the events feed, traces, monitors and deployments (lazy chunks).
const eventsRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/$projectId/events',
  validateSearch: validateEventsSearch,
  component: lazyRouteComponent(() => import('./pages/events/EventsPage'), 'EventsPage'),
});

const eventRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/$projectId/events/$eventId',
  component: lazyRouteComponent(() => import('./pages/events/EventPage'), 'EventPage'),
});

const tracesRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/$projectId/traces',
  validateSearch: validateTracesSearch,
  component: lazyRouteComponent(() => import('./pages/traces/TracesPage'), 'TracesPage'),
});

const traceRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/$projectId/traces/$traceId',
  component: lazyRouteComponent(() => import('./pages/traces/TracePage'), 'TracePage'),
});

const monitorsRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/$projectId/monitors',
  component: lazyRouteComponent(() => import('./pages/monitors/MonitorsPage'), 'MonitorsPage'),
});

const deploymentsRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/$projectId/deployments',
  validateSearch: validateDeploymentsSearch,
  component: lazyRouteComponent(() => import('./pages/deployments/DeploymentsPage'), 'DeploymentsPage'),
});

// A project's settings (pages/settings): one tab per section, each in the URL.
const projectSettingsRoute = createRoute({
  getParentRoute: () => appLayout,
  path: '/projects/$projectId/settings',
  component: lazyRouteComponent(() => import('./pages/settings/SettingsLayout'), 'SettingsLayout'),
});

const projectSettingsGeneralRoute = createRoute({
  getParentRoute: () => projectSettingsRoute,
  path: '/',
  component: lazyRouteComponent(() => import('./pages/settings/GeneralSection'), 'GeneralSection'),
});

const projectSettingsMembersRoute = createRoute({
  getParentRoute: () => projectSettingsRoute,
  path: '/members',
  component: lazyRouteComponent(() => import('./pages/settings/MembersSection'), 'MembersSection'),
});

const projectSettingsKeysRoute = createRoute({
  getParentRoute: () => projectSettingsRoute,
  path: '/api-keys',
  component: lazyRouteComponent(() => import('./pages/settings/ApiKeysSection'), 'ApiKeysSection'),
});

const projectSettingsDangerRoute = createRoute({
  getParentRoute: () => projectSettingsRoute,
  path: '/danger-zone',
  component: lazyRouteComponent(() => import('./pages/settings/DangerZoneSection'), 'DangerZoneSection'),
});

// Instance administration: its own chunk, loaded only by administrators.
const adminLayout = createRoute({
  getParentRoute: () => appLayout,
  path: '/admin',
  beforeLoad: checkAdmin,
  component: lazyRouteComponent(() => import('./pages/admin/AdminLayout'), 'AdminLayout'),
  errorComponent: RouteError,
});

const adminIndexRoute = createRoute({
  getParentRoute: () => adminLayout,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/admin/users', replace: true });
  },
});

const adminUsersRoute = createRoute({
  getParentRoute: () => adminLayout,
  path: '/users',
  validateSearch: (search: Record<string, unknown>): { q?: string } => ({ q: optionalString(search, 'q') }),
  component: lazyRouteComponent(() => import('./pages/admin/UsersPage'), 'UsersPage'),
});

const adminMailRoute = createRoute({
  getParentRoute: () => adminLayout,
  path: '/mail',
  component: lazyRouteComponent(() => import('./pages/admin/MailPage'), 'MailPage'),
});

const adminProjectsRoute = createRoute({
  getParentRoute: () => adminLayout,
  path: '/projects',
  validateSearch: (search: Record<string, unknown>): { q?: string } => ({ q: optionalString(search, 'q') }),
  component: lazyRouteComponent(() => import('./pages/admin/ProjectsPage'), 'ProjectsPage'),
});

const adminInstanceRoute = createRoute({
  getParentRoute: () => adminLayout,
  path: '/instance',
  loader: ({ context }) =>
    context.isAdmin ? context.queryClient.query($api.queryOptions('get', '/api/v1/admin/instance')) : undefined,
  component: lazyRouteComponent(() => import('./pages/admin/InstancePage'), 'InstancePage'),
});

export const routeTree = rootRoute.addChildren([
  authLayout.addChildren([
    signInRoute,
    signUpRoute,
    forgotPasswordRoute,
    resendConfirmationRoute,
    setupRoute,
    confirmRoute,
    resetPasswordRoute,
    invitationRoute,
    signOutRoute,
  ]),
  appLayout.addChildren([
    homeRoute,
    profileRoute,
    newProjectRoute,
    projectRoute,
    projectSetupRoute,
    inboxRoute,
    issueRoute,
    eventsRoute,
    eventRoute,
    tracesRoute,
    traceRoute,
    monitorsRoute,
    deploymentsRoute,
    projectSettingsRoute.addChildren([
      projectSettingsGeneralRoute,
      projectSettingsMembersRoute,
      projectSettingsKeysRoute,
      projectSettingsDangerRoute,
    ]),
    adminLayout.addChildren([adminIndexRoute, adminUsersRoute, adminMailRoute, adminProjectsRoute, adminInstanceRoute]),
  ]),
]);

export function createAppRouter(options: { queryClient: QueryClient; history?: RouterHistory }) {
  return createRouter({
    routeTree,
    context: { queryClient: options.queryClient },
    ...(options.history ? { history: options.history } : {}),
    defaultPreload: 'intent',
    // Loaders read through React Query, which owns caching; let it decide what is fresh.
    defaultPreloadStaleTime: 0,
    defaultPendingComponent: PageLoading,
    defaultPendingMs: 300,
    scrollRestoration: true,
  });
}

export type AppRouter = ReturnType<typeof createAppRouter>;

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter;
  }
}
