import type { components } from '../api/schema.gen';

type User = components['schemas']['User'];
type Session = components['schemas']['Session'];
type Token = components['schemas']['PersonalAccessToken'];
type MailMessage = components['schemas']['MailMessage'];

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
