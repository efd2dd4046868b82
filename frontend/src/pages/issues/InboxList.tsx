import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useEffect, useEffectEvent, useRef, useState, type ReactNode } from 'react';
import { api, asApiError } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { useCurrentUser } from '../../auth/session';
import { RelativeTime } from '../../components/Time';
import { useToast } from '../../components/Toast';
import { BulkBar } from './BulkBar';
import { bulkToast, type BulkCommand } from './bulk';
import { LevelBadge } from './levels';
import { isShortcut } from './shortcuts';
import { Sparkline } from './Sparkline';

type IssueSummary = components['schemas']['IssueSummary'];
type BulkIssueResult = components['schemas']['BulkIssueResult'];
type ProjectMember = components['schemas']['ProjectMember'];

/** The most ids one bulk request takes; larger selections go in several requests. */
const BULK_LIMIT = 100;

/** The row the keyboard is on: its issue, and its place should that issue leave the list. */
interface Cursor {
  id: string;
  index: number;
}

/**
 * The inbox's list: one row per issue with a checkbox, a header checkbox for the whole page, the
 * bulk bar while any are selected, and the keyboard shortcuts (j/k move, Enter opens, x selects,
 * e/i/a resolve, ignore or archive the selection or else the focused issue, Escape clears).
 */
export function InboxList({
  projectId,
  issues,
  members,
  membersLoading,
  more,
}: {
  projectId: string;
  issues: readonly IssueSummary[];
  members: readonly ProjectMember[];
  membersLoading: boolean;
  more: ReactNode;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  const me = useCurrentUser();
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [anchor, setAnchor] = useState<string | null>(null);
  const links = useRef<(HTMLAnchorElement | null)[]>([]);
  const allRef = useRef<HTMLInputElement>(null);

  // The focused row: the cursor's issue, or the row that took its place when it left the list.
  let focused = -1;
  if (cursor) {
    const at = issues.findIndex((issue) => issue.id === cursor.id);
    focused = at >= 0 ? at : Math.min(cursor.index, issues.length - 1);
  }
  const focusedIssue = issues[focused];
  const selectedIds = issues.filter((issue) => selected.has(issue.id)).map((issue) => issue.id);
  const allSelected = selectedIds.length === issues.length;
  const someSelected = selectedIds.length > 0 && !allSelected;

  useEffect(() => {
    if (allRef.current) allRef.current.indeterminate = someSelected;
  }, [someSelected]);

  // When the focused issue leaves the list (resolved from the keyboard), focus follows the cursor
  // to the row that took its place instead of falling back to the page.
  useEffect(() => {
    if (!cursor || issues.some((issue) => issue.id === cursor.id)) return;
    if (document.activeElement === document.body) links.current[focused]?.focus();
  }, [cursor, issues, focused]);

  const bulk = useMutation({
    mutationFn: async ({ command, ids }: { command: BulkCommand; ids: readonly string[]; detail: string }) => {
      const results: BulkIssueResult[] = [];
      for (let i = 0; i < ids.length; i += BULK_LIMIT) {
        const { data } = await api.POST('/api/v1/projects/{projectId}/issues/bulk', {
          params: { path: { projectId } },
          body: { ...command, ids: ids.slice(i, i + BULK_LIMIT) },
        });
        if (data) results.push(...data.results);
      }
      return results;
    },
    onSuccess: (results, { command, detail }) => {
      toast(bulkToast(command, results, detail));
      const active = document.activeElement;
      if (active === document.body || active?.closest('.bulk-bar')) allRef.current?.focus();
      setSelected(new Set());
      setAnchor(null);
    },
    onError: (error, { command, ids }) => {
      toast({
        tone: 'error',
        title: `Could not ${command.action} the ${ids.length === 1 ? 'issue' : 'issues'}`,
        description: asApiError(error).message,
      });
    },
    // Some may have changed before a failure: refresh either way.
    onSettled: () => invalidatePath(queryClient, '/api/v1/projects/{projectId}/issues'),
  });

  const run = (command: BulkCommand, ids: readonly string[], detail = '') => {
    if (ids.length === 0 || bulk.isPending) return;
    bulk.mutate({ command, ids, detail });
  };

  /** Toggles the row at `index`; with `range`, every row from the anchor to it takes its new state. */
  const toggle = (index: number, range: boolean, state?: boolean) => {
    const issue = issues[index];
    if (!issue) return;
    const on = state ?? !selected.has(issue.id);
    const from = range && anchor !== null ? issues.findIndex((i) => i.id === anchor) : -1;
    const [low, high] = from >= 0 ? [Math.min(from, index), Math.max(from, index)] : [index, index];
    const next = new Set(selected);
    for (const row of issues.slice(low, high + 1)) {
      if (on) next.add(row.id);
      else next.delete(row.id);
    }
    setSelected(next);
    setAnchor(issue.id);
  };

  const moveTo = (index: number) => {
    const issue = issues[index];
    if (!issue) return;
    setCursor({ id: issue.id, index });
    links.current[index]?.focus();
  };

  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (!isShortcut(event)) return;
    const targets = selectedIds.length > 0 ? selectedIds : focusedIssue ? [focusedIssue.id] : [];
    switch (event.key) {
      case 'j':
      case 'k':
        event.preventDefault();
        moveTo(Math.min(issues.length - 1, Math.max(0, focused + (event.key === 'j' ? 1 : -1))));
        break;
      case 'Enter':
        if (focusedIssue && !(event.target instanceof HTMLAnchorElement) && !(event.target instanceof HTMLButtonElement)) {
          event.preventDefault();
          void navigate({ to: '/projects/$projectId/issues/$issueId', params: { projectId, issueId: focusedIssue.id } });
        }
        break;
      case 'x':
      case 'X':
        if (focused >= 0) {
          event.preventDefault();
          toggle(focused, event.key === 'X', event.key === 'X' ? true : undefined);
        }
        break;
      case 'e':
        run({ action: 'resolve' }, targets);
        break;
      case 'i':
        run({ action: 'ignore' }, targets);
        break;
      case 'a':
        run({ action: 'archive' }, targets);
        break;
      case 'Escape':
        if (selectedIds.length > 0) {
          event.preventDefault();
          setSelected(new Set());
          setAnchor(null);
        }
        break;
    }
  });

  useEffect(() => {
    const listener = (event: KeyboardEvent) => { onKeyDown(event); };
    document.addEventListener('keydown', listener);
    return () => { document.removeEventListener('keydown', listener); };
  }, []);

  const count = selectedIds.length;
  return (
    <div className="card card--flush">
      <p className="visually-hidden">
        Press j and k to move between issues, x to select one, Enter to open it, and question mark for every
        shortcut.
      </p>
      <div className="inbox-list__header">
        <input
          ref={allRef}
          type="checkbox"
          className="checkbox"
          aria-label="Select all issues on this page"
          checked={issues.length > 0 && allSelected}
          onChange={() => {
            setSelected(allSelected ? new Set() : new Set(issues.map((issue) => issue.id)));
            setAnchor(null);
          }}
        />
        <p className="inbox-list__count" aria-live="polite">
          {count > 0
            ? `${String(count)} of ${String(issues.length)} selected`
            : `${String(issues.length)} ${issues.length === 1 ? 'issue' : 'issues'}${more ? ' shown' : ''}`}
        </p>
        <p className="inbox-list__hint" aria-hidden="true">
          <kbd className="kbd">x</kbd> select · <kbd className="kbd">e</kbd> resolve · <kbd className="kbd">?</kbd> all
          shortcuts
        </p>
      </div>
      {count > 0 && (
        <BulkBar
          count={count}
          pending={bulk.isPending}
          me={me}
          members={members}
          membersLoading={membersLoading}
          onAction={(command, detail) => { run(command, selectedIds, detail); }}
          onClear={() => {
            allRef.current?.focus();
            setSelected(new Set());
            setAnchor(null);
          }}
        />
      )}
      <ol className="issues" aria-label="Issues">
        {issues.map((issue, index) => {
          const checked = selected.has(issue.id);
          const classes = ['issue-row', index === focused ? 'is-selected' : '', checked ? 'is-checked' : ''];
          return (
            <li
              key={issue.id}
              className={classes.filter(Boolean).join(' ')}
              aria-current={index === focused ? 'true' : undefined}
              onFocus={() => { setCursor({ id: issue.id, index }); }}
            >
              <input
                type="checkbox"
                className="checkbox"
                aria-label={`Select ${issue.title}`}
                checked={checked}
                onMouseDown={(event) => {
                  // Keep shift-click from selecting the text between the rows.
                  if (event.shiftKey) event.preventDefault();
                }}
                onChange={(event) => {
                  const native: Event & { shiftKey?: boolean } = event.nativeEvent;
                  toggle(index, native.shiftKey === true);
                }}
              />
              <div className="issue-row__main">
                <Link
                  to="/projects/$projectId/issues/$issueId"
                  params={{ projectId, issueId: issue.id }}
                  className="issue-row__title"
                  ref={(element) => { links.current[index] = element; }}
                >
                  {issue.title}
                </Link>
                <span className="issue-row__meta small muted">
                  {issue.subtitle && <span>{issue.subtitle}</span>}
                  <LevelBadge level={issue.level} />
                  <span>{issue.environment}</span>
                  <span>
                    last seen <RelativeTime iso={issue.lastSeenAt} />
                  </span>
                  {issue.assignee && <span>assigned to {issue.assignee.name}</span>}
                </span>
              </div>
              {issue.sparkline && issue.sparkline.length > 0 && (
                <Sparkline values={issue.sparkline} label="Occurrences over the last 24 hours" />
              )}
              <span className="issue-row__count" title="Occurrences">
                {issue.occurrenceCount}
              </span>
            </li>
          );
        })}
      </ol>
      {more}
    </div>
  );
}
