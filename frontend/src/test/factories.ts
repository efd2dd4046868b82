import type { components } from '../api/schema.gen';

type User = components['schemas']['User'];
type Session = components['schemas']['Session'];
type Token = components['schemas']['PersonalAccessToken'];
type MailMessage = components['schemas']['MailMessage'];
type EventSummary = components['schemas']['EventSummary'];
type Event = components['schemas']['Event'];
type Span = components['schemas']['Span'];
type Trace = components['schemas']['Trace'];
type Monitor = components['schemas']['Monitor'];
type Deployment = components['schemas']['Deployment'];
type IssueActivity = components['schemas']['IssueActivity'];

let sequence = 0;
function next(): number {
  sequence += 1;
  return sequence;
}

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** A confirmed, enabled, non-admin user; override what the test is about. */
export function userFactory(overrides: Partial<User> = {}): User {
  const n = next();
  return {
    id: uuid(n),
    email: `user${String(n)}@example.com`,
    name: `User ${String(n)}`,
    admin: false,
    confirmed: true,
    disabled: false,
    createdAt: '2026-01-15T09:30:00Z',
    ...overrides,
  };
}

export function sessionFactory(overrides: Partial<Session> = {}): Session {
  return {
    user: userFactory(),
    method: 'session',
    scope: 'admin',
    expiresAt: '2099-01-01T00:00:00Z',
    csrfToken: 'csrf-token-1',
    ...overrides,
  };
}

export function tokenFactory(overrides: Partial<Token> = {}): Token {
  const n = next();
  return {
    id: uuid(n),
    name: `Token ${String(n)}`,
    scope: 'read',
    hint: 'logister_pat_3f9a',
    createdAt: '2026-01-15T09:30:00Z',
    expiresAt: '2099-01-01T00:00:00Z',
    ...overrides,
  };
}

export function mailFactory(overrides: Partial<MailMessage> = {}): MailMessage {
  const n = next();
  return {
    id: uuid(n),
    kind: 'confirm_email',
    to: `user${String(n)}@example.com`,
    subject: '[Acme Logister] Confirm your e-mail address',
    text: `Hello,\n\nconfirm your e-mail address:\n\n  http://localhost:3000/confirm/token${String(n)}abcdefghijkl\n`,
    status: 'stored',
    createdAt: '2026-01-15T09:30:00Z',
    ...overrides,
  };
}

type Project = components['schemas']['Project'];
type IssueSummary = components['schemas']['IssueSummary'];
type Issue = components['schemas']['Issue'];
type IssuePage = components['schemas']['IssuePage'];

export function projectFactory(overrides: Partial<Project> = {}): Project {
  const n = next();
  return {
    id: uuid(n),
    name: `Project ${String(n)}`,
    slug: `project-${String(n)}`,
    description: '',
    integrationKind: 'http_api',
    archived: false,
    access: 'owner',
    role: 'owner',
    createdAt: '2026-01-15T09:30:00Z',
    updatedAt: '2026-01-15T09:30:00Z',
    ...overrides,
  };
}

export function issueSummaryFactory(overrides: Partial<IssueSummary> = {}): IssueSummary {
  const n = next();
  return {
    id: uuid(n),
    title: `TypeError: failure ${String(n)}`,
    subtitle: 'TypeError',
    status: 'unresolved',
    level: 'error',
    environment: 'production',
    occurrenceCount: 3,
    firstSeenAt: '2026-01-15T09:30:00Z',
    lastSeenAt: '2026-01-16T10:00:00Z',
    ...overrides,
  };
}

export function issuePageFactory(overrides: Partial<IssuePage> = {}): IssuePage {
  return {
    issues: [],
    query: 'is:unresolved sort:last-seen',
    counts: { unresolved: 0, new: 0, resolved: 0, ignored: 0, archived: 0, all: 0 },
    ...overrides,
  };
}

export function issueFactory(overrides: Partial<Issue> = {}): Issue {
  const n = next();
  return {
    id: uuid(n),
    title: `TypeError: failure ${String(n)}`,
    subtitle: 'TypeError',
    status: 'unresolved',
    level: 'error',
    environment: 'production',
    occurrenceCount: 42,
    firstSeenAt: '2026-01-15T09:30:00Z',
    lastSeenAt: '2026-01-16T10:00:00Z',
    reopenCount: 0,
    regressionCount: 0,
    ...overrides,
  };
}

/** A log line's summary (the events feed). */
export function eventSummaryFactory(overrides: Partial<EventSummary> = {}): EventSummary {
  return {
    id: uuid(next()),
    type: 'log',
    level: 'info',
    message: 'User signed in',
    occurredAt: '2026-01-16T10:00:00Z',
    receivedAt: '2026-01-16T10:00:01Z',
    timePrecision: 'exact',
    environment: 'production',
    ...overrides,
  };
}

/** A whole telemetry event (getEvent). */
export function eventFactory(overrides: Partial<Event> = {}): Event {
  return { ...eventSummaryFactory(), context: {}, exceptions: [], ...overrides };
}

/** A root server span. */
export function spanFactory(overrides: Partial<Span> = {}): Span {
  const id = uuid(next());
  return {
    id,
    spanId: id.slice(-16),
    name: 'GET /checkout',
    kind: 'server',
    status: 'ok',
    startedAt: '2026-01-16T10:00:00Z',
    durationMs: 100,
    offsetMs: 0,
    depth: 0,
    attributes: {},
    ...overrides,
  };
}

/** A trace with no spans yet. */
export function traceFactory(overrides: Partial<Trace> = {}): Trace {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    startedAt: '2026-01-16T10:00:00Z',
    durationMs: 200,
    spans: [],
    errors: [],
    truncated: false,
    ...overrides,
  };
}

/** A healthy cron monitor. */
export function monitorFactory(overrides: Partial<Monitor> = {}): Monitor {
  return {
    id: uuid(next()),
    slug: 'nightly-billing',
    environment: 'production',
    status: 'ok',
    lastStatus: 'ok',
    lastCheckInAt: '2026-01-16T10:00:00Z',
    expectedIntervalSeconds: 3600,
    graceSeconds: 1800,
    nextExpectedAt: '2099-01-16T11:30:00Z',
    checkInCount: 12,
    ...overrides,
  };
}

/** A deployment reported through the API. */
export function deploymentFactory(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: uuid(next()),
    repository: 'acme/shop',
    environment: 'production',
    release: '1.4.2',
    commitSha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
    shortCommitSha: '9fceb02',
    deployedAt: '2026-01-16T09:00:00Z',
    source: 'api',
    links: {},
    ...overrides,
  };
}

/** An error occurrence's summary (the Occurrences list); override what the test is about. */
export function errorSummaryFactory(overrides: Partial<EventSummary> = {}): EventSummary {
  return {
    id: uuid(next()),
    type: 'error',
    level: 'error',
    message: 'boom',
    occurredAt: '2026-01-16T10:00:00Z',
    receivedAt: '2026-01-16T10:00:01Z',
    timePrecision: 'exact',
    environment: 'production',
    release: '1.4.2',
    ...overrides,
  };
}

/** A whole occurrence (getEvent), with one exception and no request. */
export function errorEventFactory(overrides: Partial<Event> = {}): Event {
  return {
    ...errorSummaryFactory(),
    context: { environment: 'production' },
    exceptions: [
      {
        type: 'TypeError',
        message: 'boom',
        parent: -1,
        frames: [{ function: 'chargeCard', file: '/srv/app/src/cart.js', line: 42, inApp: true }],
      },
    ],
    ...overrides,
  };
}

/** An activity entry (a status change by default). */
export function activityFactory(overrides: Partial<IssueActivity> = {}): IssueActivity {
  return {
    id: uuid(next()),
    kind: 'status_changed',
    actor: null,
    createdAt: '2026-01-16T10:00:00Z',
    ...overrides,
  };
}
