import type { components } from '../../api/schema.gen';
import type { ToastInput } from '../../components/Toast';

type BulkIssuesRequest = components['schemas']['BulkIssuesRequest'];
type BulkIssueResult = components['schemas']['BulkIssueResult'];

/** One bulk action as `POST /issues/bulk` takes it, without the ids. */
export type BulkCommand = Omit<BulkIssuesRequest, 'ids'>;

/** A choice of the Ignore menu: for a while, or until so many more occurrences. */
export interface Snooze {
  label: string;
  /** How the toast says it: "Ignored 2 issues <phrase>". */
  phrase: string;
  hours?: number;
  occurrences?: number;
}

/** The Ignore menu's choices; the first ignores until the next occurrence (no snooze). */
export const SNOOZES: readonly Snooze[] = [
  { label: 'Until the next occurrence', phrase: '' },
  { label: 'For 1 hour', phrase: 'for 1 hour', hours: 1 },
  { label: 'For 24 hours', phrase: 'for 24 hours', hours: 24 },
  { label: 'For 7 days', phrase: 'for 7 days', hours: 7 * 24 },
  { label: 'Until 10 more occurrences', phrase: 'until 10 more occurrences', occurrences: 10 },
  { label: 'Until 100 more occurrences', phrase: 'until 100 more occurrences', occurrences: 100 },
];

/** The request of an ignore with `snooze`, its end counted from `now` (ms since the epoch). */
export function ignoreCommand(snooze: Snooze, now: number): BulkCommand {
  return {
    action: 'ignore',
    ...(snooze.hours !== undefined ? { ignoreUntil: new Date(now + snooze.hours * 3_600_000).toISOString() } : {}),
    ...(snooze.occurrences !== undefined ? { ignoreOccurrences: snooze.occurrences } : {}),
  };
}

const DONE: Record<BulkCommand['action'], string> = {
  resolve: 'Resolved',
  ignore: 'Ignored',
  archive: 'Archived',
  reopen: 'Reopened',
  assign: 'Assigned',
  unassign: 'Unassigned',
};

function issues(n: number): string {
  return n === 1 ? '1 issue' : `${String(n)} issues`;
}

/**
 * The toast after a bulk action: what changed in the title ("Resolved 2 issues", "Assigned 1 issue
 * to Grace"), and what did not (already so, or not found) in the description.
 */
export function bulkToast(command: BulkCommand, results: readonly BulkIssueResult[], detail = ''): ToastInput {
  const count = (result: BulkIssueResult['result']) => results.filter((r) => r.result === result).length;
  const changed = count('changed');
  const unchanged = count('unchanged');
  const notFound = count('not_found');
  const description = [
    unchanged > 0 ? `${issues(unchanged)} unchanged (already so)` : '',
    notFound > 0 ? `${issues(notFound)} not found` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    title: changed > 0 ? [DONE[command.action], issues(changed), detail].filter(Boolean).join(' ') : 'No issues changed',
    ...(description ? { description } : {}),
    tone: changed > 0 ? 'success' : 'info',
  };
}
