import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import type { components } from '../api/schema.gen';
import { sessionFactory, userFactory } from './factories';

type Instance = components['schemas']['Instance'];
type ErrorBody = components['schemas']['Error'];
type Session = components['schemas']['Session'];
type User = components['schemas']['User'];

export const readyInstance: Instance = {
  name: 'Acme Logister',
  version: '0.1.0',
  commit: 'abc1234',
  ready: true,
  setupRequired: false,
  signup: 'open',
  checks: [
    { name: 'database', ok: true },
    { name: 'migrations', ok: true },
  ],
};

/** An error response in the server's Error shape, with the X-Request-Id header it sends. */
export function errorResponse(status: number, body: ErrorBody, headers: Record<string, string> = {}) {
  return HttpResponse.json(body, {
    status,
    headers: { ...(body.requestId ? { 'X-Request-Id': body.requestId } : {}), ...headers },
  });
}

const unauthenticated = () =>
  errorResponse(401, { error: 'Sign in to continue.', code: 'unauthenticated', requestId: 'req-401' });

/** The dashboard of a user without projects (the home page loads it). */
export const emptyDashboard: components['schemas']['Dashboard'] = {
  generatedAt: '2026-01-16T10:00:00Z',
  projectCount: 0,
  openIssues: 0,
  newIssues24h: 0,
  assignedToMe: 0,
  unassigned: 0,
  events24h: { error: 0, log: 0, metric: 0, transaction: 0, checkIn: 0 },
  monitors: { ok: 0, missed: 0, error: 0, paused: 0 },
  assignedIssues: [],
  needsAttention: [],
  projects: [],
};

/** Handlers every test gets unless it overrides them: a ready instance, nobody signed in. */
export const defaultHandlers = [
  http.get('/api/v1/instance', () => HttpResponse.json(readyInstance)),
  http.get('/api/v1/session', unauthenticated),
  http.get('/api/v1/projects', () => HttpResponse.json({ projects: [] })),
  http.get('/api/v1/dashboard', () => HttpResponse.json(emptyDashboard)),
];

export const server = setupServer(...defaultHandlers);

/** Signs `user` in (GET /api/v1/session answers with a session); returns the session. */
export function signIn(user: Partial<User> = {}): Session {
  const session = sessionFactory({ user: userFactory(user) });
  server.use(http.get('/api/v1/session', () => HttpResponse.json(session)));
  return session;
}

/** Signs an instance administrator in. */
export function signInAdmin(user: Partial<User> = {}): Session {
  return signIn({ admin: true, name: 'Ada Admin', email: 'ada@example.com', ...user });
}
