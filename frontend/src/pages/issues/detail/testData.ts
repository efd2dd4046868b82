import type { components } from '../../../api/schema.gen';

type Event = components['schemas']['Event'];
type EventSummary = components['schemas']['EventSummary'];
type IssueActivity = components['schemas']['IssueActivity'];
type Deployment = components['schemas']['Deployment'];

let sequence = 1000;
function uuid(): string {
  sequence += 1;
  return `00000000-0000-4000-9000-${String(sequence).padStart(12, '0')}`;
}

/** An error occurrence's summary (the Occurrences list); override what the test is about. */
export function eventSummaryFactory(overrides: Partial<EventSummary> = {}): EventSummary {
  return {
    id: uuid(),
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
export function eventFactory(overrides: Partial<Event> = {}): Event {
  return {
    ...eventSummaryFactory(),
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
    id: uuid(),
    kind: 'status_changed',
    actor: null,
    createdAt: '2026-01-16T10:00:00Z',
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
