// Test data for the telemetry views (imported by tests only), typed from the API schema.
import type { components } from '../../api/schema.gen';

type EventSummary = components['schemas']['EventSummary'];
type Event = components['schemas']['Event'];
type Span = components['schemas']['Span'];
type Trace = components['schemas']['Trace'];
type Monitor = components['schemas']['Monitor'];
type Deployment = components['schemas']['Deployment'];

let sequence = 1000;
function uuid(): string {
  sequence += 1;
  return `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`;
}

export function eventSummaryFactory(overrides: Partial<EventSummary> = {}): EventSummary {
  return {
    id: uuid(),
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

export function eventFactory(overrides: Partial<Event> = {}): Event {
  return { ...eventSummaryFactory(), context: {}, exceptions: [], ...overrides };
}

export function spanFactory(overrides: Partial<Span> = {}): Span {
  const id = uuid();
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

export function monitorFactory(overrides: Partial<Monitor> = {}): Monitor {
  return {
    id: uuid(),
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

export function deploymentFactory(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: uuid(),
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
