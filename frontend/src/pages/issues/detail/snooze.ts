import type { components } from '../../../api/schema.gen';

type SetIssueStatusRequest = components['schemas']['SetIssueStatusRequest'];
type IssueSnooze = components['schemas']['IssueSnooze'];

/** One way of ignoring an issue: forever, for a while, or until more occurrences come. */
export interface IgnoreOption {
  label: string;
  /** The toast shown once it is done. */
  done: string;
  body: (now: number) => SetIssueStatusRequest;
}

const HOUR = 3600 * 1000;

function forAWhile(label: string, ms: number): IgnoreOption {
  return {
    label: `For ${label}`,
    done: `Issue ignored for ${label}`,
    body: (now) => ({ status: 'ignored', ignoreUntil: new Date(now + ms).toISOString() }),
  };
}

function untilMore(count: number): IgnoreOption {
  return {
    label: `Until ${String(count)} more occurrences`,
    done: `Issue ignored until ${String(count)} more occurrences`,
    body: () => ({ status: 'ignored', ignoreOccurrences: count }),
  };
}

/** The Ignore menu's choices, in order. */
export const IGNORE_OPTIONS: readonly IgnoreOption[] = [
  { label: 'Forever', done: 'Issue ignored', body: () => ({ status: 'ignored' }) },
  forAWhile('1 hour', HOUR),
  forAWhile('24 hours', 24 * HOUR),
  forAWhile('7 days', 7 * 24 * HOUR),
  untilMore(10),
  untilMore(100),
];

/** "Ignored until 17 Jan 2026, 10:00", "Ignored until 100 more occurrences", or null without a snooze. */
export function snoozeText(snooze: IssueSnooze | undefined, formatDateTime: (iso: string) => string): string | null {
  if (!snooze) return null;
  if (snooze.until) return `Ignored until ${formatDateTime(snooze.until)}`;
  if (snooze.occurrencesLeft !== undefined) {
    const n = snooze.occurrencesLeft;
    return `Ignored until ${String(n)} more ${n === 1 ? 'occurrence' : 'occurrences'}`;
  }
  return null;
}
