import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { components } from '../../api/schema.gen';
import {
  activityFactory,
  deploymentFactory,
  errorEventFactory,
  errorSummaryFactory,
  issueFactory,
  projectFactory,
} from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server, signIn } from '../../test/server';

type Issue = components['schemas']['Issue'];
type IssueActivity = components['schemas']['IssueActivity'];
type SetIssueStatusRequest = components['schemas']['SetIssueStatusRequest'];

const PROJECT_ID = '00000000-0000-4000-8000-00000000abcd';

function issuePath(issue: Issue, search = ''): string {
  return `/projects/${PROJECT_ID}/issues/${issue.id}${search}`;
}

/** Serves the issue, and lets status and assignee changes update it; returns the request bodies. */
function issueApi(initial: Issue) {
  let issue = initial;
  const bodies: { kind: 'status' | 'assignee'; body: unknown }[] = [];
  server.use(
    http.get('/api/v1/projects/:projectId/issues/:issueId', () => HttpResponse.json(issue)),
    http.post('/api/v1/projects/:projectId/issues/:issueId/status', async ({ request }) => {
      const body = (await request.json()) as SetIssueStatusRequest;
      bodies.push({ kind: 'status', body });
      issue = { ...issue, status: body.status };
      if (body.ignoreOccurrences) issue.snooze = { occurrencesLeft: body.ignoreOccurrences };
      if (body.ignoreUntil) issue.snooze = { until: body.ignoreUntil };
      return HttpResponse.json(issue);
    }),
    http.put('/api/v1/projects/:projectId/issues/:issueId/assignee', async ({ request }) => {
      const body = (await request.json()) as { userId: string | null };
      bodies.push({ kind: 'assignee', body });
      const next = { ...issue };
      delete next.assignee;
      issue = body.userId ? { ...next, assignee: { id: body.userId, name: `User ${body.userId.slice(-2)}`, email: 'u@example.com' } } : next;
      return HttpResponse.json(issue);
    }),
  );
  return bodies;
}

// Whole-page journeys: generous time for a busy 2-core machine.
describe('issue page: header', { timeout: 20_000 }, () => {
  it('ignores with a snooze from the menu, sending the right body, and shows it', async () => {
    signIn();
    const issue = issueFactory({ title: 'TypeError: boom' });
    const bodies = issueApi(issue);
    renderApp(issuePath(issue));
    const user = userEvent.setup();

    const actions = await screen.findByRole('group', { name: 'Issue actions' });
    const before = Date.now();
    await user.click(within(actions).getByRole('button', { name: 'Ignore for a while' }));
    const menu = screen.getByRole('menu', { name: 'Ignore for a while' });
    expect(within(menu).getAllByRole('menuitem').map((item) => item.textContent)).toEqual([
      'Forever',
      'For 1 hour',
      'For 24 hours',
      'For 7 days',
      'Until 10 more occurrences',
      'Until 100 more occurrences',
    ]);
    await user.click(within(menu).getByRole('menuitem', { name: 'For 1 hour' }));
    expect(await screen.findByText('Issue ignored for 1 hour')).toBeInTheDocument();
    const after = Date.now();
    const first = bodies[0]?.body as SetIssueStatusRequest;
    expect(first.status).toBe('ignored');
    expect(Object.keys(first).sort()).toEqual(['ignoreUntil', 'status']);
    const until = Date.parse(first.ignoreUntil ?? '');
    expect(until).toBeGreaterThanOrEqual(before + 3600_000 - 1000);
    expect(until).toBeLessThanOrEqual(after + 3600_000 + 1000);
    expect(await screen.findByText(/^Ignored until (?!\d+ more)/)).toBeInTheDocument();

    // Reopen, then ignore until 100 more occurrences.
    await user.click(await within(actions).findByRole('button', { name: 'Reopen' }));
    await user.click(await within(actions).findByRole('button', { name: 'Ignore for a while' }));
    await user.click(screen.getByRole('menuitem', { name: 'Until 100 more occurrences' }));
    expect(await screen.findByText('Ignored until 100 more occurrences')).toBeInTheDocument();
    expect(bodies.map((b) => b.body)).toEqual([
      first,
      { status: 'unresolved' },
      { status: 'ignored', ignoreOccurrences: 100 },
    ]);

    // Forever, from the split button's main half.
    await user.click(await within(actions).findByRole('button', { name: 'Reopen' }));
    await user.click(await within(actions).findByRole('button', { name: 'Ignore' }));
    await waitFor(() => {
      expect(bodies.at(-1)?.body).toEqual({ status: 'ignored' });
    });
  });

  it('assigns through the picker: someone of the team, me, nobody', async () => {
    const session = signIn({ name: 'Ada Lovelace' });
    const issue = issueFactory({ title: 'TypeError: boom' });
    const bodies = issueApi(issue);
    const owner = { id: '00000000-0000-4000-8000-0000000000f1', name: 'Olive Owner', email: 'olive@example.com' };
    const grace = { id: '00000000-0000-4000-8000-0000000000f2', name: 'Grace Hopper', email: 'grace@example.com' };
    server.use(
      http.get('/api/v1/projects/:projectId', () => HttpResponse.json(projectFactory({ id: PROJECT_ID, owner }))),
      http.get('/api/v1/projects/:projectId/members', () =>
        HttpResponse.json({
          members: [
            { user: owner, role: 'owner', addedAt: '2026-01-15T09:30:00Z' },
            { user: grace, role: 'viewer', addedAt: '2026-01-15T09:30:00Z' },
          ],
        }),
      ),
    );
    renderApp(issuePath(issue));
    const user = userEvent.setup();

    const actions = await screen.findByRole('group', { name: 'Issue actions' });
    await user.click(within(actions).getByRole('button', { name: 'Assignee: nobody' }));
    const menu = screen.getByRole('menu');
    expect(within(menu).queryByRole('menuitem', { name: /Unassign/ })).not.toBeInTheDocument();
    await user.click(await within(menu).findByRole('menuitem', { name: /Grace Hopper/ }));
    expect(await screen.findByText('Issue assigned to Grace Hopper')).toBeInTheDocument();
    // The owner is listed once, though both the project and the members name them.
    await user.click(await within(actions).findByRole('button', { name: /^Assignee: User/ }));
    expect(within(screen.getByRole('menu')).getAllByRole('menuitem', { name: /Olive Owner/ })).toHaveLength(1);
    await user.click(screen.getByRole('menuitem', { name: 'Assign to me' }));
    expect(await screen.findByText('Issue assigned to you')).toBeInTheDocument();
    await user.click(await within(actions).findByRole('button', { name: /^Assignee: User/ }));
    expect(screen.queryByRole('menuitem', { name: 'Assign to me' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('menuitem', { name: 'Unassign' }));
    expect(await screen.findByText('Issue unassigned')).toBeInTheDocument();
    expect(await within(actions).findByRole('button', { name: 'Assignee: nobody' })).toBeInTheDocument();

    expect(bodies.map((b) => b.body)).toEqual([{ userId: grace.id }, { userId: session.user.id }, { userId: null }]);
  });

  it('shows releases, counts and reopenings', async () => {
    signIn();
    const issue = issueFactory({
      introducedInRelease: '1.4.0',
      lastSeenRelease: '1.4.2',
      resolvedInRelease: '1.4.1',
      regressedInRelease: '1.4.2',
      reopenCount: 2,
      regressionCount: 1,
      occurrenceCount: 1234,
    });
    issueApi(issue);
    const { container } = renderApp(issuePath(issue));
    await screen.findByRole('heading', { level: 1 });
    const stats = container.querySelector('.issue-stats');
    if (!stats) throw new Error('no stats');
    const text = stats.textContent;
    expect(text).toContain('Introduced in1.4.0');
    expect(text).toContain('Resolved in1.4.1');
    expect(text).toContain('Regressed in1.4.2');
    expect(text).toContain('Reopened2 times');
    expect(text).toContain('Regressions1');
    expect(text).toMatch(/Occurrences1.?234/);
  });

  it('downloads the export with occurrences under the server’s file name', async () => {
    signIn();
    const issue = issueFactory();
    issueApi(issue);
    let asked: string | null = null;
    server.use(
      http.get('/api/v1/projects/:projectId/issues/:issueId/export', ({ request }) => {
        asked = new URL(request.url).searchParams.get('includeOccurrences');
        return HttpResponse.json(
          { format: 'logister_error_group', version: 2, export: {}, project: {}, errorGroup: {} },
          { headers: { 'Content-Disposition': `attachment; filename="logister-error-${issue.id}.json"` } },
        );
      }),
    );
    const blobs: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:export-1';
    });
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const clicked: { download: string; href: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.href });
    });
    renderApp(issuePath(issue));
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Export JSON' }));
    expect(await screen.findByText('Export downloaded')).toBeInTheDocument();
    expect(asked).toBe('true');
    expect(clicked).toEqual([{ download: `logister-error-${issue.id}.json`, href: 'blob:export-1' }]);
    expect(JSON.parse(await blobs[0]?.text() ?? '')).toMatchObject({ format: 'logister_error_group' });
  });
});

describe('issue page: tabs', { timeout: 20_000 }, () => {
  it('switches tabs by click and arrow keys, in step with the URL', async () => {
    signIn();
    const issue = issueFactory({
      latestEvent: { id: 'e1', occurredAt: '2026-01-16T10:00:00Z', message: 'boom', exceptions: [] },
    });
    issueApi(issue);
    server.use(
      http.get('/api/v1/projects/:projectId/issues/:issueId/deployment', () => HttpResponse.json({ match: 'none' })),
      http.get('/api/v1/projects/:projectId/issues/:issueId/related-logs', () =>
        HttpResponse.json({ eventId: 'e1', matchedOn: [], logs: [] }),
      ),
      http.get('/api/v1/projects/:projectId', () => HttpResponse.json(projectFactory({ id: PROJECT_ID }))),
      http.get('/api/v1/projects/:projectId/issues/:issueId/activity', () => HttpResponse.json({ activities: [] })),
    );
    const { router } = renderApp(issuePath(issue, '?tab=deployment'));
    const user = userEvent.setup();

    const tablist = await screen.findByRole('tablist', { name: 'Issue details' });
    expect(within(tablist).getByRole('tab', { name: 'Deployment' })).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByText('No deployment matches this issue')).toBeInTheDocument();
    expect(screen.getByRole('tabpanel', { name: 'Deployment' })).toBeInTheDocument();

    await user.click(within(tablist).getByRole('tab', { name: 'Stack' }));
    await waitFor(() => {
      expect(router.state.location.search).toEqual({});
    });
    expect(screen.getByText('No stack trace')).toBeInTheDocument();
    const stackTab = within(tablist).getByRole('tab', { name: 'Stack' });
    expect(stackTab).toHaveFocus();
    expect(within(tablist).getByRole('tab', { name: 'Request' })).toHaveAttribute('tabindex', '-1');

    await user.keyboard('{ArrowLeft}');
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ tab: 'activity' });
    });
    await user.keyboard('{ArrowLeft}');
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ tab: 'deployment' });
    });
    await user.keyboard('{ArrowLeft}');
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ tab: 'logs' });
    });
    expect(within(tablist).getByRole('tab', { name: 'Related logs' })).toHaveFocus();
    expect(await screen.findByText('No related logs')).toBeInTheDocument();
    expect(screen.getByText(/within five minutes either side/)).toBeInTheDocument();

    router.history.back();
    await waitFor(() => {
      expect(within(tablist).getByRole('tab', { name: 'Deployment' })).toHaveAttribute('aria-selected', 'true');
    });
  });

  it('loads a chosen occurrence with getEvent for the stack, request and context tabs', async () => {
    signIn();
    const latest = errorSummaryFactory({ message: 'latest boom', occurredAt: '2026-01-16T10:00:00Z' });
    const older = errorSummaryFactory({ message: 'older boom', occurredAt: '2026-01-15T08:00:00Z', release: '1.3.9' });
    const third = errorSummaryFactory({ message: 'oldest boom', occurredAt: '2026-01-14T08:00:00Z' });
    const issue = issueFactory({
      latestEvent: {
        id: latest.id,
        occurredAt: latest.occurredAt,
        message: 'latest boom',
        exceptions: [{ type: 'TypeError', message: 'latest boom', parent: -1, frames: [] }],
      },
    });
    issueApi(issue);
    const fetched: string[] = [];
    const cursors: (string | null)[] = [];
    server.use(
      http.get('/api/v1/projects/:projectId/issues/:issueId/events', ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        cursors.push(cursor);
        return HttpResponse.json(cursor === 'p2' ? { events: [third] } : { events: [latest, older], nextCursor: 'p2' });
      }),
      http.get('/api/v1/projects/:projectId/events/:eventId', ({ params }) => {
        const id = String(params.eventId);
        fetched.push(id);
        return HttpResponse.json(
          errorEventFactory({
            ...older,
            id,
            tags: { browser: 'Firefox', region: 'eu' },
            context: { user: { email: '[REDACTED]', plan: 'pro' }, environment: 'production' },
            exceptions: [
              { type: 'KeyError', message: 'cart', parent: -1, frames: [] },
              {
                type: 'ConnectionError',
                message: 'refused',
                parent: 0,
                chained: 'cause',
                frames: [
                  {
                    function: 'connect',
                    file: 'app/db.py',
                    line: 10,
                    inApp: true,
                    preContext: ['def connect():', '    host = HOST'],
                    contextLine: '    raise ConnectionError("refused")',
                    postContext: ['', 'def close():'],
                  },
                ],
              },
            ],
            request: { method: 'GET', url: 'https://shop.example.com/cart?id=7' },
          }),
        );
      }),
    );
    const { router } = renderApp(issuePath(issue, '?tab=occurrences'));
    const user = userEvent.setup();

    const list = await screen.findByRole('list', { name: 'Occurrences' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(within(list).getAllByRole('listitem')[0]).toHaveAttribute('aria-current', 'true');
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(list).findByText('oldest boom')).toBeInTheDocument();
    expect(cursors).toEqual([null, 'p2']);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();

    const olderLink = within(list).getAllByRole('link')[1];
    if (!olderLink) throw new Error('no second occurrence');
    await user.click(olderLink);
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ tab: 'stack', event: older.id });
    });
    expect(await screen.findByText('Chosen occurrence')).toBeInTheDocument();
    expect(screen.getByText('Caused by')).toBeInTheDocument();
    expect(screen.getByText('No frames were sent for this exception.')).toBeInTheDocument();
    expect(screen.getByRole('list', { name: 'Frames of ConnectionError' })).toBeInTheDocument();
    const source = screen.getByLabelText('Source around app/db.py:10');
    expect(source).toHaveTextContent('8def connect():');
    expect(within(source).getByText(/raise ConnectionError/).closest('.source__line')).toHaveClass('is-current');
    expect(fetched).toEqual([older.id]);

    await user.click(screen.getByRole('tab', { name: 'Request' }));
    expect(await screen.findByText('GET')).toBeInTheDocument();
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ tab: 'request', event: older.id });
    });
    await user.click(screen.getByRole('tab', { name: 'Context & tags' }));
    const tags = await screen.findByRole('list', { name: 'Tags' });
    expect(within(tags).getAllByRole('listitem').map((t) => t.textContent)).toEqual(['browserFirefox', 'regioneu']);
    expect(screen.getByText('"[REDACTED]"')).toHaveClass('json__redacted');

    await user.click(screen.getByRole('link', { name: 'Show the latest' }));
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ tab: 'context' });
    });
    await waitFor(() => {
      expect(fetched).toEqual([older.id, latest.id]);
    });
  });

  it('shows a tab’s error with a retry', async () => {
    signIn();
    const issue = issueFactory();
    issueApi(issue);
    let calls = 0;
    server.use(
      http.get('/api/v1/projects/:projectId/issues/:issueId/deployment', () => {
        calls += 1;
        return calls === 1
          ? errorResponse(500, { error: 'Not built yet.', code: 'internal', requestId: 'req-500' })
          : HttpResponse.json({ match: 'none' });
      }),
    );
    renderApp(issuePath(issue, '?tab=deployment'));
    const user = userEvent.setup();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the deployment.');
    expect(alert).toHaveTextContent('req-500');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No deployment matches this issue')).toBeInTheDocument();
  });

  it('renders the request panel: method, URL, client, headers, query and params', async () => {
    signIn();
    const issue = issueFactory({
      latestEvent: { id: '00000000-0000-4000-8000-0000000000e1', occurredAt: '2026-01-16T10:00:00Z', message: 'boom', exceptions: [] },
    });
    issueApi(issue);
    server.use(
      http.get('/api/v1/projects/:projectId/events/:eventId', () =>
        HttpResponse.json(
          errorEventFactory({
            request: {
              method: 'POST',
              url: 'https://shop.example.com/checkout?step=2&coupon=SPRING',
              clientIp: '203.0.113.7',
              action: 'CheckoutController#create',
              headers: { 'User-Agent': 'Firefox/140', Cookie: '[REDACTED]' },
              params: { cart: { items: 3 } },
            },
          }),
        ),
      ),
    );
    renderApp(issuePath(issue, '?tab=request'));

    expect(await screen.findByText('POST')).toHaveClass('request__method');
    expect(screen.getByText('https://shop.example.com')).toBeInTheDocument();
    expect(screen.getByText('/checkout')).toBeInTheDocument();
    expect(screen.getByText('?step=2&coupon=SPRING')).toBeInTheDocument();
    expect(screen.getByText('203.0.113.7')).toBeInTheDocument();
    expect(screen.getByText('CheckoutController#create')).toBeInTheDocument();
    const headers = screen.getByRole('table', { name: 'Headers' });
    expect(within(headers).getByRole('row', { name: 'User-Agent Firefox/140' })).toBeInTheDocument();
    expect(within(headers).getByRole('row', { name: 'Cookie [REDACTED]' })).toBeInTheDocument();
    const query = screen.getByRole('table', { name: 'Query string' });
    expect(within(query).getByRole('row', { name: 'coupon SPRING' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /cart/ })).toHaveAttribute('aria-expanded', 'true');
    expect(screen.getByText('items')).toBeInTheDocument();
  });

  it('explains a missing request, and shows related logs with what they matched on', async () => {
    signIn();
    const issue = issueFactory({
      latestEvent: { id: '00000000-0000-4000-8000-0000000000e2', occurredAt: '2026-01-16T10:00:00Z', message: 'boom', exceptions: [] },
    });
    issueApi(issue);
    server.use(
      http.get('/api/v1/projects/:projectId/events/:eventId', () => HttpResponse.json(errorEventFactory())),
      http.get('/api/v1/projects/:projectId/issues/:issueId/related-logs', () =>
        HttpResponse.json({
          eventId: issue.latestEvent?.id,
          from: '2026-01-16T09:55:00Z',
          to: '2026-01-16T10:05:00Z',
          matchedOn: ['trace_id', 'request_id'],
          logs: [errorSummaryFactory({ type: 'log', level: 'warning', message: 'payment gateway slow', name: 'payments', traceId: 'abcdef0123456789' })],
        }),
      ),
      http.get('/api/v1/projects/:projectId/issues/:issueId/deployment', () =>
        HttpResponse.json({
          match: 'release',
          minutesAfterDeploy: 12,
          deployment: deploymentFactory({
            release: '1.4.2',
            pullRequestNumber: 42,
            links: {
              commit: 'https://github.com/acme/shop/commit/9fceb02',
              compare: 'https://github.com/acme/shop/compare/a...b',
              pullRequest: 'https://github.com/acme/shop/pull/42',
            },
          }),
          previous: deploymentFactory({ release: '1.4.1', shortCommitSha: '1a410ef' }),
        }),
      ),
    );
    renderApp(issuePath(issue, '?tab=request'));
    const user = userEvent.setup();
    expect(await screen.findByText('No request recorded')).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Related logs' }));
    const logs = await screen.findByRole('list', { name: 'Related logs' });
    expect(within(logs).getByText('payment gateway slow')).toBeInTheDocument();
    expect(within(logs).getByText('payments')).toBeInTheDocument();
    expect(screen.getByText(/sharing the occurrence's trace id or request id/)).toBeInTheDocument();

    await user.click(screen.getByRole('tab', { name: 'Deployment' }));
    expect(await screen.findByText('12 minutes after')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '9fceb02' })).toHaveAttribute('href', 'https://github.com/acme/shop/commit/9fceb02');
    expect(screen.getByRole('link', { name: '#42' })).toHaveAttribute('href', 'https://github.com/acme/shop/pull/42');
    expect(screen.getByRole('link', { name: 'Compare with the previous deployment' })).toBeInTheDocument();
    expect(screen.getByText('1a410ef')).toBeInTheDocument();
  });
});

describe('issue page: activity', { timeout: 20_000 }, () => {
  it('renders every kind of entry, posts a comment with Ctrl+Enter and deletes one after confirming', async () => {
    const session = signIn({ name: 'Ada Lovelace' });
    const me = { id: session.user.id, name: 'Ada Lovelace', email: session.user.email };
    const grace = { id: '00000000-0000-4000-8000-0000000000f2', name: 'Grace Hopper', email: 'grace@example.com' };
    const issue = issueFactory();
    issueApi(issue);
    let activities: IssueActivity[] = [
      activityFactory({ kind: 'commented', actor: grace, body: 'Seen on the checkout too.' }),
      activityFactory({ kind: 'snooze_expired', fromStatus: 'ignored', toStatus: 'unresolved' }),
      activityFactory({ kind: 'reopened_by_event', fromStatus: 'resolved', toStatus: 'unresolved' }),
      activityFactory({ kind: 'unassigned', actor: grace, previousAssignee: { id: me.id, name: me.name } }),
      activityFactory({ kind: 'assigned', actor: grace, assignee: { id: me.id, name: me.name } }),
      activityFactory({ kind: 'status_changed', actor: me, fromStatus: 'unresolved', toStatus: 'resolved' }),
    ];
    const older = activityFactory({ kind: 'status_changed', actor: grace, fromStatus: 'unresolved', toStatus: 'archived' });
    const posted: unknown[] = [];
    const deleted: string[] = [];
    server.use(
      http.get('/api/v1/projects/:projectId', () => HttpResponse.json(projectFactory({ id: PROJECT_ID, access: 'viewer', role: 'viewer' }))),
      http.get('/api/v1/projects/:projectId/issues/:issueId/activity', ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return HttpResponse.json(cursor === 'a2' ? { activities: [older] } : { activities, nextCursor: 'a2' });
      }),
      http.post('/api/v1/projects/:projectId/issues/:issueId/comments', async ({ request }) => {
        const body = (await request.json()) as { body: string };
        posted.push(body);
        const entry = activityFactory({ kind: 'commented', actor: me, body: body.body, createdAt: new Date().toISOString() });
        activities = [entry, ...activities];
        return HttpResponse.json(entry, { status: 201 });
      }),
      http.delete('/api/v1/projects/:projectId/issues/:issueId/comments/:activityId', ({ params }) => {
        deleted.push(String(params.activityId));
        activities = activities.filter((a) => a.id !== params.activityId);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    renderApp(issuePath(issue, '?tab=activity'));
    const user = userEvent.setup();

    const timeline = await screen.findByRole('list', { name: 'Activity' });
    const texts = within(timeline)
      .getAllByRole('listitem')
      .map((item) => item.querySelector('.timeline__text')?.textContent.replace(/ · .*$/, ''));
    expect(texts).toEqual([
      'Grace Hopper commented',
      'The snooze ended: the issue is unresolved again',
      'A new occurrence reopened the issue (was resolved)',
      'Grace Hopper unassigned Ada Lovelace',
      'Grace Hopper assigned the issue to Ada Lovelace',
      'You resolved the issue (was unresolved)',
    ]);
    expect(within(timeline).getByText('Seen on the checkout too.')).toBeInTheDocument();
    // A viewer may not delete someone else's comment.
    expect(within(timeline).queryByRole('button', { name: /Delete/ })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(timeline).findByText(/archived the issue/)).toBeInTheDocument();

    const box = screen.getByLabelText('Comment');
    expect(box).toHaveAccessibleDescription('0 / 10,000 characters · Ctrl+Enter to send');
    await user.click(screen.getByRole('button', { name: 'Comment' }));
    expect(await screen.findByText('Write something first.')).toBeInTheDocument();
    expect(posted).toEqual([]);
    await user.type(box, '  Fixed by the retry in 1.4.3.  ');
    expect(screen.getByText('28 / 10,000 characters · Ctrl+Enter to send')).toBeInTheDocument();
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(await screen.findByText('Comment added')).toBeInTheDocument();
    expect(posted).toEqual([{ body: 'Fixed by the retry in 1.4.3.' }]);
    expect(box).toHaveValue('');
    expect(await within(timeline).findByText('Fixed by the retry in 1.4.3.')).toBeInTheDocument();

    await user.click(within(timeline).getByRole('button', { name: 'Delete comment of Ada Lovelace' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete this comment?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete comment' }));
    expect(await screen.findByText('Comment deleted')).toBeInTheDocument();
    await waitFor(() => {
      expect(within(timeline).queryByText('Fixed by the retry in 1.4.3.')).not.toBeInTheDocument();
    });
    expect(deleted).toHaveLength(1);
  });

  it('lets the project’s admins delete anyone’s comment', async () => {
    signIn();
    const issue = issueFactory();
    issueApi(issue);
    const grace = { id: '00000000-0000-4000-8000-0000000000f2', name: 'Grace Hopper', email: 'grace@example.com' };
    server.use(
      http.get('/api/v1/projects/:projectId', () => HttpResponse.json(projectFactory({ id: PROJECT_ID, access: 'admin', role: 'admin' }))),
      http.get('/api/v1/projects/:projectId/issues/:issueId/activity', () =>
        HttpResponse.json({ activities: [activityFactory({ kind: 'commented', actor: grace, body: 'Mine.' })] }),
      ),
    );
    renderApp(issuePath(issue, '?tab=activity'));
    expect(await screen.findByRole('button', { name: 'Delete comment of Grace Hopper' })).toBeInTheDocument();
  });
});
