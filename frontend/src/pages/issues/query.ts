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

/**
 * Splits a query into its terms as the server's parser does (server/internal/search): white space
 * separates terms, except inside a quoted text term or value (`"card declined"`, `-"x y"`,
 * `env:"qa eu"`), where `\"` is a quote. A quote inside a word is just a character. Each term is
 * returned as written.
 */
export function queryTerms(query: string): string[] {
  const isSpace = (i: number) => /\s/.test(query.charAt(i));
  const wordEnd = (i: number) => {
    while (i < query.length && !isSpace(i)) i++;
    return i;
  };
  const quotedEnd = (open: number) => {
    for (let i = open + 1; i < query.length; i++) {
      if (query[i] === '\\' && (query[i + 1] === '"' || query[i + 1] === '\\')) i++;
      else if (query[i] === '"') return wordEnd(i + 1);
    }
    return query.length;
  };
  const terms: string[] = [];
  for (let i = 0; i < query.length; ) {
    if (isSpace(i)) {
      i++;
      continue;
    }
    let j = i;
    if (query[j] === '-' && j + 1 < query.length && !isSpace(j + 1)) j++;
    let end: number;
    if (query[j] === '"') {
      end = quotedEnd(j);
    } else {
      const key = /^[A-Za-z][A-Za-z_-]*:"/.exec(query.slice(j));
      end = key ? quotedEnd(j + key[0].length - 1) : wordEnd(j);
    }
    terms.push(query.slice(i, end));
    i = end;
  }
  return terms;
}

/** The value of a `key:value` term whose key is one of `keys` (case-insensitive), unquoted; else undefined. */
function termValue(term: string, keys: readonly string[]): string | undefined {
  const colon = term.indexOf(':');
  if (colon <= 0 || !keys.includes(term.slice(0, colon).toLowerCase())) return undefined;
  const value = term.slice(colon + 1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  return value;
}

const STATUS_KEYS = ['is'];
const ASSIGNEE_KEYS = ['assigned', 'assignee'];
const SORT_KEYS = ['sort'];

/** The status of a query (the last `is:` term), unresolved by default as on the server. */
export function statusOf(query: string): StatusTab {
  const aliases: Record<string, StatusTab> = { open: 'unresolved', 'introduced-today': 'new' };
  let status: StatusTab = 'unresolved';
  for (const term of queryTerms(query)) {
    const name = termValue(term, STATUS_KEYS)?.toLowerCase();
    if (name === undefined) continue;
    const tab = aliases[name] ?? STATUS_TABS.find((t) => t.value === name)?.value;
    if (tab) status = tab;
  }
  return status;
}

/** Rewrites the query's `is:` terms to `is:<status>`, keeping every other term in place. */
export function withStatus(query: string, status: StatusTab): string {
  const rest = queryTerms(query).filter((term) => termValue(term, STATUS_KEYS) === undefined);
  return [`is:${status}`, ...rest].join(' ');
}

/**
 * Whom the `assigned:` filter asks for, in the server's words: `''` (anyone: no filter), `me`,
 * `none` (unassigned), `any` (assigned to someone), or a member as written in the query (an
 * e-mail address, a user uuid or id), lowercased as the server reads it.
 */
export type AssigneeFilter = string;

const ASSIGNEE_ALIASES: Record<string, AssigneeFilter> = {
  me: 'me',
  none: 'none',
  nobody: 'none',
  unassigned: 'none',
  any: 'any',
  anyone: 'any',
  assigned: 'any',
  someone: 'any',
};

/** The query's assignee filter (its last `assigned:`/`assignee:` term), aliases folded; `''` when none. */
export function assigneeOf(query: string): AssigneeFilter {
  let assignee: AssigneeFilter = '';
  for (const term of queryTerms(query)) {
    const value = termValue(term, ASSIGNEE_KEYS)?.toLowerCase();
    if (value !== undefined) assignee = ASSIGNEE_ALIASES[value] ?? value;
  }
  return assignee;
}

/**
 * Rewrites the query's assignee filter: removes every `assigned:`/`assignee:` term and, unless
 * `assignee` is `''` (anyone), puts `assigned:<assignee>` where the first one was, or else right
 * after the `is:` term (where the server's canonical form has it), or first. Other terms keep
 * their place and spelling.
 */
export function withAssignee(query: string, assignee: AssigneeFilter): string {
  const terms = queryTerms(query);
  let at = terms.findIndex((term) => termValue(term, ASSIGNEE_KEYS) !== undefined);
  if (at < 0) at = terms.findIndex((term) => termValue(term, STATUS_KEYS) !== undefined) + 1;
  const rest = terms.filter((term, i) => i < at && termValue(term, ASSIGNEE_KEYS) === undefined);
  const after = terms.filter((term, i) => i >= at && termValue(term, ASSIGNEE_KEYS) === undefined);
  const value = /[\s"\\]/.test(assignee) ? `"${assignee.replace(/["\\]/g, '\\$&')}"` : assignee;
  return [...rest, ...(assignee === '' ? [] : [`assigned:${value}`]), ...after].join(' ');
}

/** Whether the query filters by anything besides the status (and the order, which filters nothing). */
export function hasFilters(query: string): boolean {
  return queryTerms(query).some((term) => termValue(term, [...STATUS_KEYS, ...SORT_KEYS]) === undefined);
}

/** The query without its filters: only its `is:` and `sort:` terms remain. */
export function withoutFilters(query: string): string {
  return queryTerms(query)
    .filter((term) => termValue(term, [...STATUS_KEYS, ...SORT_KEYS]) !== undefined)
    .join(' ');
}
