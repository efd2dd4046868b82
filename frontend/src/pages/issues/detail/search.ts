import { optionalString } from '../../../searchParams';

/** The tabs of the issue page, in order; the value is the `tab` search parameter. */
export const ISSUE_TABS = [
  { id: 'stack', label: 'Stack' },
  { id: 'request', label: 'Request' },
  { id: 'context', label: 'Context & tags' },
  { id: 'occurrences', label: 'Occurrences' },
  { id: 'logs', label: 'Related logs' },
  { id: 'deployment', label: 'Deployment' },
  { id: 'activity', label: 'Activity' },
] as const;

export type IssueTab = (typeof ISSUE_TABS)[number]['id'];

/** The issue page's search: `?tab=` (Stack when absent) and `?event=` (the latest occurrence when absent). */
export interface IssueSearch {
  tab?: IssueTab;
  event?: string;
}

function isTab(value: string | undefined): value is IssueTab {
  return ISSUE_TABS.some((tab) => tab.id === value);
}

/** Validates the issue page's search parameters; an unknown tab is dropped (Stack shows). */
export function validateIssueSearch(search: Record<string, unknown>): IssueSearch {
  const tab = optionalString(search, 'tab');
  return { tab: isTab(tab) ? tab : undefined, event: optionalString(search, 'event') };
}
