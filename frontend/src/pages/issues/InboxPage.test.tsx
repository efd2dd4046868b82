import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema.gen';
import { issuePageFactory, issueSummaryFactory, projectFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server, signIn } from '../../test/server';

type BulkIssuesRequest = components['schemas']['BulkIssuesRequest'];
type BulkIssueResult = components['schemas']['BulkIssueResult'];
type IssueCounts = components['schemas']['IssueCounts'];
type ProjectMember = components['schemas']['ProjectMember'];

const PROJECT_ID = '00000000-0000-4000-8000-00000000abcd';
const COUNTS: IssueCounts = { unresolved: 3, new: 1, resolved: 5, ignored: 0, archived: 1, all: 9 };
const GRACE = { id: '00000000-0000-4000-8000-0000000000a1', name: 'Grace Hopper', email: 'grace@example.com' };

/**
 * Answers the inbox's requests: the project, its team (the signed-in owner and Grace), `issues` for
 * every list request, and the bulk endpoint with `result` for each id. Returns what was asked.
 */
function inboxApi({
  issues = [issueSummaryFactory({ title: 'First' }), issueSummaryFactory({ title: 'Second' }), issueSummaryFactory({ title: 'Third' })],
  counts = COUNTS,
  result = () => 'changed',
}: {
  issues?: components['schemas']['IssueSummary'][];
  counts?: IssueCounts;
  result?: (id: string) => BulkIssueResult['result'];
} = {}) {
  const session = signIn({ name: 'Ada Lovelace', email: 'ada@example.com' });
  const members: ProjectMember[] = [
    { user: { id: session.user.id, name: session.user.name, email: session.user.email }, role: 'owner', addedAt: '2026-01-15T09:30:00Z' },
    { user: GRACE, role: 'admin', addedAt: '2026-01-15T09:30:00Z' },
  ];
  const seen = { lists: [] as (string | null)[], bulk: [] as BulkIssuesRequest[], csrf: [] as (string | null)[] };
  server.use(
    http.get('/api/v1/projects/:projectId', () => HttpResponse.json(projectFactory({ id: PROJECT_ID, name: 'Shop' }))),
    http.get('/api/v1/projects/:projectId/members', () => HttpResponse.json({ members })),
    http.get('/api/v1/projects/:projectId/issues', ({ request }) => {
      seen.lists.push(new URL(request.url).searchParams.get('q'));
      return HttpResponse.json(issuePageFactory({ issues, counts }));
    }),
    http.post('/api/v1/projects/:projectId/issues/bulk', async ({ request }) => {
      const body = (await request.json()) as BulkIssuesRequest;
      seen.bulk.push(body);
      seen.csrf.push(request.headers.get('X-CSRF-Token'));
      return HttpResponse.json({ results: body.ids.map((id) => ({ id, result: result(id) })) });
    }),
  );
  return { session, issues, seen };
}

async function openInbox(query = '') {
  const rendered = renderApp(`/projects/${PROJECT_ID}/issues${query}`);
  const list = await screen.findByRole('list', { name: 'Issues' });
  return { ...rendered, list, user: userEvent.setup() };
}

function box(name: string) {
  return screen.getByRole('checkbox', { name: `Select ${name}` });
}

function headerBox() {
  return screen.getByRole('checkbox', { name: 'Select all issues on this page' });
}

function bulkBar() {
  return screen.getByRole('region', { name: 'Bulk actions' });
}

describe("a project's own address", () => {
  it('redirects /projects/<id> (the link in the "added to a project" e-mail) to its issues', async () => {
    inboxApi();
    const { router } = renderApp(`/projects/${PROJECT_ID}`);

    expect(await screen.findByRole('list', { name: 'Issues' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/projects/${PROJECT_ID}/issues`);
    expect(screen.queryByRole('heading', { name: 'Page not found' })).not.toBeInTheDocument();
  });
});

describe('inbox selection', () => {
  const TITLES = ['One', 'Two', 'Three', 'Four', 'Five'];
  const checkedRows = () => TITLES.map((t) => (box(t) as HTMLInputElement).checked);

  it('selects rows, and all or none from the header checkbox, which shows some as mixed', async () => {
    inboxApi({ issues: TITLES.map((title) => issueSummaryFactory({ title })) });
    const { user } = await openInbox();

    expect(headerBox()).not.toBeChecked();
    expect(headerBox()).not.toBePartiallyChecked();
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument();

    await user.click(box('Two'));
    expect(box('Two')).toBeChecked();
    expect(headerBox()).toBePartiallyChecked();
    expect(bulkBar()).toHaveTextContent('1 selected');
    expect(screen.getByText('1 of 5 selected')).toBeInTheDocument();

    // Some selected → all; all → none.
    await user.click(headerBox());
    expect(headerBox()).toBeChecked();
    expect(headerBox()).not.toBePartiallyChecked();
    expect(checkedRows()).toEqual([true, true, true, true, true]);
    expect(bulkBar()).toHaveTextContent('5 selected');
    await user.click(headerBox());
    expect(headerBox()).not.toBeChecked();
    expect(checkedRows()).toEqual([false, false, false, false, false]);
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument();

    // The bar's close button clears the selection too, and focus goes to the header checkbox.
    await user.click(box('Five'));
    await user.click(within(bulkBar()).getByRole('button', { name: 'Clear the selection' }));
    expect(box('Five')).not.toBeChecked();
    expect(headerBox()).toHaveFocus();
  });

  it('selects a range with shift-click, and clears one the same way', async () => {
    inboxApi({ issues: TITLES.map((title) => issueSummaryFactory({ title })) });
    const { user } = await openInbox();

    await user.click(box('Two'));
    await user.keyboard('{Shift>}');
    await user.click(box('Four'));
    await user.keyboard('{/Shift}');
    expect(checkedRows()).toEqual([false, true, true, true, false]);
    expect(bulkBar()).toHaveTextContent('3 selected');

    // Shift-click on a checked box clears from the last one clicked (Four) to it.
    await user.keyboard('{Shift>}');
    await user.click(box('Three'));
    await user.keyboard('{/Shift}');
    expect(checkedRows()).toEqual([false, true, false, false, false]);

    // Without Shift, a click toggles one row only.
    await user.click(box('Five'));
    expect(checkedRows()).toEqual([false, true, false, false, true]);
  });

  it('forgets the selection when the query changes', async () => {
    inboxApi();
    const { user } = await openInbox();
    await user.click(box('First'));
    const tabs = screen.getByRole('navigation', { name: 'Issue status' });
    await user.click(within(tabs).getByRole('link', { name: /^Resolved/ }));
    await waitFor(() => {
      expect(within(tabs).getByRole('link', { name: /^Resolved/ })).toHaveAttribute('aria-current', 'page');
    });
    expect(box('First')).not.toBeChecked();
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument();
  });
});

describe('inbox bulk actions', () => {
  const HOUR = 3_600_000;
  const cases: {
    button: string;
    item?: string | RegExp;
    toast: string;
    body: (me: string) => Omit<BulkIssuesRequest, 'ids'>;
    snooze?: number;
  }[] = [
    { button: 'Resolve', toast: 'Resolved 2 issues', body: () => ({ action: 'resolve' }) },
    { button: 'Ignore', item: 'Until the next occurrence', toast: 'Ignored 2 issues', body: () => ({ action: 'ignore' }) },
    { button: 'Ignore', item: 'For 1 hour', toast: 'Ignored 2 issues for 1 hour', body: () => ({ action: 'ignore' }), snooze: HOUR },
    { button: 'Ignore', item: 'For 24 hours', toast: 'Ignored 2 issues for 24 hours', body: () => ({ action: 'ignore' }), snooze: 24 * HOUR },
    { button: 'Ignore', item: 'For 7 days', toast: 'Ignored 2 issues for 7 days', body: () => ({ action: 'ignore' }), snooze: 7 * 24 * HOUR },
    {
      button: 'Ignore',
      item: 'Until 10 more occurrences',
      toast: 'Ignored 2 issues until 10 more occurrences',
      body: () => ({ action: 'ignore', ignoreOccurrences: 10 }),
    },
    {
      button: 'Ignore',
      item: 'Until 100 more occurrences',
      toast: 'Ignored 2 issues until 100 more occurrences',
      body: () => ({ action: 'ignore', ignoreOccurrences: 100 }),
    },
    { button: 'Archive', toast: 'Archived 2 issues', body: () => ({ action: 'archive' }) },
    { button: 'Reopen', toast: 'Reopened 2 issues', body: () => ({ action: 'reopen' }) },
    { button: 'Assign to…', item: 'Assign to me', toast: 'Assigned 2 issues to you', body: (me) => ({ action: 'assign', userId: me }) },
    { button: 'Assign to…', item: /Grace Hopper/, toast: 'Assigned 2 issues to Grace Hopper', body: () => ({ action: 'assign', userId: GRACE.id }) },
    { button: 'Unassign', toast: 'Unassigned 2 issues', body: () => ({ action: 'unassign' }) },
  ];

  const named = cases.map((c) => ({ ...c, name: c.item ? `${c.button} → ${String(c.item)}` : c.button }));

  it.each(named)('$name: sends the request, toasts, clears the selection and refreshes', async ({ button, item, toast, body, snooze }) => {
    const { session, issues, seen } = inboxApi();
    const [first, second] = issues;
    if (!first || !second) throw new Error('no issues');
    const { user } = await openInbox();
    await user.click(box('First'));
    await user.click(box('Second'));
    expect(bulkBar()).toHaveTextContent('2 selected');
    const listsBefore = seen.lists.length;

    await user.click(within(bulkBar()).getByRole('button', { name: button }));
    const before = Date.now();
    if (item) await user.click(screen.getByRole('menuitem', { name: item }));
    expect(await screen.findByText(toast)).toBeInTheDocument();
    const after = Date.now();

    expect(seen.bulk).toHaveLength(1);
    const sent = seen.bulk[0];
    if (snooze === undefined) {
      expect(sent).toEqual({ ...body(session.user.id), ids: [first.id, second.id] });
    } else {
      const { ignoreUntil, ...rest } = sent ?? { ids: [], action: 'ignore' };
      expect(rest).toEqual({ ...body(session.user.id), ids: [first.id, second.id] });
      const until = Date.parse(ignoreUntil ?? '');
      expect(until).toBeGreaterThanOrEqual(before + snooze);
      expect(until).toBeLessThanOrEqual(after + snooze);
    }
    expect(seen.csrf).toEqual(['csrf-token-1']);
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument();
    expect(box('First')).not.toBeChecked();
    expect(headerBox()).toHaveFocus();
    // The list and its status counts are fetched again.
    await waitFor(() => { expect(seen.lists.length).toBeGreaterThan(listsBefore); });
  });

  it('lists the snoozes, and me first in the team', async () => {
    inboxApi();
    const { user } = await openInbox();
    await user.click(box('First'));
    await user.click(within(bulkBar()).getByRole('button', { name: 'Ignore' }));
    expect(screen.getAllByRole('menuitem').map((item) => item.textContent)).toEqual([
      'Until the next occurrence',
      'For 1 hour',
      'For 24 hours',
      'For 7 days',
      'Until 10 more occurrences',
      'Until 100 more occurrences',
    ]);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    // Escape closed the menu, not the selection.
    expect(box('First')).toBeChecked();

    await user.click(within(bulkBar()).getByRole('button', { name: 'Assign to…' }));
    const team = screen.getByRole('menu', { name: 'Assign to…' });
    expect(within(team).getAllByRole('menuitem').map((item) => item.textContent.trim())).toEqual([
      'Assign to me',
      'Grace Hopper grace@example.com',
    ]);
  });

  it('sends a selection of more than 100 issues in several requests', async () => {
    const { seen } = inboxApi({ issues: Array.from({ length: 101 }, (_, i) => issueSummaryFactory({ title: `Issue ${String(i)}` })) });
    const { user } = await openInbox();
    await user.click(headerBox());
    expect(bulkBar()).toHaveTextContent('101 selected');
    await user.click(within(bulkBar()).getByRole('button', { name: 'Archive' }));
    expect(await screen.findByText('Archived 101 issues')).toBeInTheDocument();
    expect(seen.bulk.map((body) => [body.action, body.ids.length])).toEqual([
      ['archive', 100],
      ['archive', 1],
    ]);
  }, 15_000); // 101 rows take a while to render on a busy machine.

  it('says what did not change and what was not found', async () => {
    const issues = [issueSummaryFactory({ title: 'First' }), issueSummaryFactory({ title: 'Second' }), issueSummaryFactory({ title: 'Third' })];
    const outcome: Record<string, BulkIssueResult['result']> = {};
    issues.forEach((issue, i) => { outcome[issue.id] = (['changed', 'unchanged', 'not_found'] as const)[i] ?? 'changed'; });
    inboxApi({ issues, result: (id) => outcome[id] ?? 'changed' });
    const { user } = await openInbox();

    await user.click(headerBox());
    await user.click(within(bulkBar()).getByRole('button', { name: 'Resolve' }));
    const toast = (await screen.findByText('Resolved 1 issue')).closest('li');
    expect(toast).toHaveTextContent('1 issue unchanged (already so) · 1 issue not found');

    await user.click(box('Second'));
    await user.click(within(bulkBar()).getByRole('button', { name: 'Archive' }));
    expect(await screen.findByText('No issues changed')).toBeInTheDocument();
  });

  it('shows a refused action in an error toast and keeps the selection', async () => {
    inboxApi();
    server.use(
      http.post('/api/v1/projects/:projectId/issues/bulk', () =>
        errorResponse(422, { error: 'Grace is not a member of this project.', code: 'not_a_member' }),
      ),
    );
    const { user } = await openInbox();
    await user.click(box('First'));
    await user.click(within(bulkBar()).getByRole('button', { name: 'Assign to…' }));
    await user.click(screen.getByRole('menuitem', { name: /Grace Hopper/ }));
    expect(await screen.findByText('Could not assign the issue')).toBeInTheDocument();
    expect(screen.getByText('Grace is not a member of this project.')).toBeInTheDocument();
    expect(box('First')).toBeChecked();
  });
});

describe('inbox keyboard', () => {
  it('acts on the focused row without a selection, and on the selection with one', async () => {
    const { issues, seen } = inboxApi();
    const [first, second, third] = issues;
    if (!first || !second || !third) throw new Error('no issues');
    const { user, list } = await openInbox();
    const rows = within(list).getAllByRole('listitem');

    // Nothing focused: nothing to act on.
    await user.keyboard('e');
    expect(seen.bulk).toEqual([]);

    await user.keyboard('jj');
    expect(rows[1]).toHaveAttribute('aria-current', 'true');
    await user.keyboard('e');
    expect(await screen.findByText('Resolved 1 issue')).toBeInTheDocument();
    expect(seen.bulk).toEqual([{ action: 'resolve', ids: [second.id] }]);

    // x selects the focused row; i and a then act on the selection, not on the focused row.
    await user.keyboard('x');
    expect(box('Second')).toBeChecked();
    await user.keyboard('kx');
    expect(box('First')).toBeChecked();
    expect(rows[0]).toHaveAttribute('aria-current', 'true');
    await user.keyboard('jj');
    await user.keyboard('i');
    expect(await screen.findByText('Ignored 2 issues')).toBeInTheDocument();
    expect(seen.bulk.at(-1)).toEqual({ action: 'ignore', ids: [first.id, second.id] });
    expect(box('First')).not.toBeChecked();

    await user.keyboard('a');
    expect(await screen.findByText('Archived 1 issue')).toBeInTheDocument();
    expect(seen.bulk.at(-1)).toEqual({ action: 'archive', ids: [third.id] });

    // x again deselects; Shift+x selects from the last one selected to the focused row.
    await user.keyboard('x');
    expect(box('Third')).toBeChecked();
    await user.keyboard('x');
    expect(box('Third')).not.toBeChecked();
    await user.keyboard('kk{Shift>}X{/Shift}');
    expect(['First', 'Second', 'Third'].map((t) => (box(t) as HTMLInputElement).checked)).toEqual([true, true, true]);

    // Escape clears the selection.
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument();
  });

  it('acts on the selection while a checkbox has focus', async () => {
    const { issues, seen } = inboxApi();
    const { user } = await openInbox();
    await user.click(box('Third'));
    expect(box('Third')).toHaveFocus();
    await user.keyboard('e');
    expect(await screen.findByText('Resolved 1 issue')).toBeInTheDocument();
    expect(seen.bulk).toEqual([{ action: 'resolve', ids: [issues[2]?.id] }]);
  });

  it('does not fire while typing in the search box; / focuses it', async () => {
    const { seen } = inboxApi();
    const { user } = await openInbox();
    await user.click(box('First'));
    await user.keyboard('j');

    await user.keyboard('/');
    const search = screen.getByLabelText('Search issues');
    expect(search).toHaveFocus();
    expect(search).toHaveValue('');

    await user.keyboard('jkxeia?/');
    expect(search).toHaveValue('jkxeia?/');
    expect(seen.bulk).toEqual([]);
    expect(box('First')).toBeChecked();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    // Ctrl and Meta combinations belong to the browser.
    await user.click(document.body);
    await user.keyboard('{Control>}e{/Control}{Meta>}a{/Meta}');
    expect(seen.bulk).toEqual([]);
  });

  it('opens the shortcuts with ?, keeps focus inside, closes with Escape and returns focus', async () => {
    const { seen } = inboxApi();
    const { user, list } = await openInbox();
    await user.keyboard('j');
    const firstLink = within(list).getByRole('link', { name: 'First' });
    expect(firstLink).toHaveFocus();

    await user.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const close = within(dialog).getByRole('button', { name: 'Close' });
    expect(close).toHaveFocus();
    for (const text of ['Resolve the selected issues, or the focused one', 'Search', 'Show these shortcuts']) {
      expect(within(dialog).getByText(text)).toBeInTheDocument();
    }
    await user.tab();
    expect(close).toHaveFocus();
    await user.tab({ shift: true });
    expect(close).toHaveFocus();

    // Shortcuts are off while the dialog is open.
    await user.keyboard('ejx');
    expect(seen.bulk).toEqual([]);
    expect(screen.queryByRole('region', { name: 'Bulk actions' })).not.toBeInTheDocument();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(firstLink).toHaveFocus();

    // The button opens it too; Close returns focus to the button.
    const button = screen.getByRole('button', { name: 'Keyboard shortcuts' });
    await user.click(button);
    await user.click(within(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(button).toHaveFocus();
  });
});

describe('inbox assignee filter', () => {
  it('shows the assigned: term of the URL and rewrites it', async () => {
    const { seen } = inboxApi();
    const { router, user } = await openInbox('?q=is%3Aresolved%20assignee%3AGrace%40example.com%20checkout');
    const select = screen.getByRole('combobox', { name: 'Assignee' });
    await waitFor(() => { expect(select).toHaveDisplayValue('Grace Hopper (grace@example.com)'); });

    const choose = async (label: string, q: string | undefined) => {
      await user.selectOptions(select, label);
      await waitFor(() => { expect(router.state.location.search).toEqual(q === undefined ? {} : { q }); });
      expect(select).toHaveDisplayValue(label);
    };
    await choose('Me', 'is:resolved assigned:me checkout');
    await choose('Unassigned', 'is:resolved assigned:none checkout');
    await choose('Assigned', 'is:resolved assigned:any checkout');
    await choose('Grace Hopper (grace@example.com)', 'is:resolved assigned:grace@example.com checkout');
    await choose('Anyone', 'is:resolved checkout');
    expect(seen.lists).toContain('is:resolved assigned:none checkout');
    expect(screen.getByLabelText('Search issues')).toHaveValue('is:resolved checkout');
  });

  it('reads aliases and members named by id, and keeps an unknown member as an option', async () => {
    inboxApi();
    const { router } = await openInbox('?q=assigned%3Anobody');
    const select = screen.getByRole('combobox', { name: 'Assignee' });
    expect(select).toHaveDisplayValue('Unassigned');

    await router.navigate({ to: '/projects/$projectId/issues', params: { projectId: PROJECT_ID }, search: { q: `assigned:${GRACE.id}` } });
    await waitFor(() => { expect(select).toHaveDisplayValue('Grace Hopper (grace@example.com)'); });

    await router.navigate({ to: '/projects/$projectId/issues', params: { projectId: PROJECT_ID }, search: { q: 'assigned:linus@example.com' } });
    await waitFor(() => { expect(select).toHaveDisplayValue('linus@example.com'); });
  });
});

describe('inbox empty states', () => {
  it('points a project without issues to its setup page', async () => {
    inboxApi({ issues: [], counts: { unresolved: 0, new: 0, resolved: 0, ignored: 0, archived: 0, all: 0 } });
    renderApp(`/projects/${PROJECT_ID}/issues`);
    expect(await screen.findByText('No issues yet')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Set up the project' })).toHaveAttribute('href', `/projects/${PROJECT_ID}/setup`);
  });

  it('offers to clear the filters when nothing matches', async () => {
    const { seen } = inboxApi({ issues: [], counts: { unresolved: 0, new: 0, resolved: 0, ignored: 0, archived: 0, all: 0 } });
    const { router } = renderApp(`/projects/${PROJECT_ID}/issues?q=is%3Aresolved%20assigned%3Ame%20checkout`);
    const user = userEvent.setup();
    expect(await screen.findByText('No issues match this search')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => { expect(router.state.location.search).toEqual({ q: 'is:resolved' }); });
    expect(seen.lists.at(-1)).toBe('is:resolved');
  });

  it('sends an empty tab to all issues', async () => {
    inboxApi({ issues: [], counts: { unresolved: 0, new: 0, resolved: 4, ignored: 0, archived: 0, all: 4 } });
    renderApp(`/projects/${PROJECT_ID}/issues`);
    expect(await screen.findByText('Nothing unresolved')).toBeInTheDocument();
    expect(screen.getByText('All 4 of the project’s issues are in other tabs.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Show all issues' })).toHaveAttribute(
      'href',
      `/projects/${PROJECT_ID}/issues?q=is%3Aall`,
    );
  });
});
