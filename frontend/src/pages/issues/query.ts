import type { components } from '../../api/schema.gen';

type IssueCounts = components['schemas']['IssueCounts'];

export type StatusTab = keyof IssueCounts;

/** The inbox's status tabs, in order; each one's count comes from the page's `counts`. */
export const STATUS_TABS: readonly { value: StatusTab; label: string }[] = [
  { value: 'unresolved', label: 'Unresolved' },
  { value: 'new', label: 'New today' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'ignored', label: 'Ignored' },
  { value: 'archived', label: 'Archived' },
  { value: 'all', label: 'All' },
];

const STATUS_TOKEN = /^is:/i;

/** The status of a query (the last `is:` term), unresolved by default as on the server. */
export function statusOf(query: string): StatusTab {
  const aliases: Record<string, StatusTab> = { open: 'unresolved', 'introduced-today': 'new' };
  let status: StatusTab = 'unresolved';
  for (const term of query.split(/\s+/)) {
    if (!STATUS_TOKEN.test(term)) continue;
    const name = term.slice(3).toLowerCase();
    const tab = aliases[name] ?? STATUS_TABS.find((t) => t.value === name)?.value;
    if (tab) status = tab;
  }
  return status;
}

/** Rewrites the query's `is:` terms to `is:<status>`, keeping every other term in place. */
export function withStatus(query: string, status: StatusTab): string {
  const rest = query
    .split(/\s+/)
    .filter((term) => term !== '' && !STATUS_TOKEN.test(term));
  return [`is:${status}`, ...rest].join(' ');
}
