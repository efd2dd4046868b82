import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema.gen';
import { issueFactory, issuePageFactory, issueSummaryFactory, projectFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server, signIn } from '../../test/server';

type IssueStatus = components['schemas']['IssueStatus'];

const PROJECT_ID = '00000000-0000-4000-8000-00000000abcd';
const COUNTS = { unresolved: 2, new: 1, resolved: 5, ignored: 0, archived: 1, all: 8 };

function projectApi() {
  server.use(
    http.get('/api/v1/projects/:projectId', () => HttpResponse.json(projectFactory({ id: PROJECT_ID, name: 'Shop' }))),
    http.get('/api/v1/projects/:projectId/members', () => HttpResponse.json({ members: [] })),
  );
}

describe('inbox', () => {
  it('lists issues, rewrites is: from the status tabs and loads more', async () => {
    signIn();
    projectApi();
    const first = issueSummaryFactory({ title: 'TypeError: boom', sparkline: [0, 1, 4, 2] });
    const second = issueSummaryFactory({ title: 'KeyError: cart', assignee: { id: 'u1', name: 'Grace', email: 'g@example.com' } });
    const third = issueSummaryFactory({ title: 'ZeroDivisionError' });
    const seen: (string | null)[] = [];
    server.use(
      http.get('/api/v1/projects/:projectId/issues', ({ request }) => {
        const params = new URL(request.url).searchParams;
        const q = params.get('q');
        seen.push(q);
        if (params.get('cursor') === 'c2') {
          return HttpResponse.json(issuePageFactory({ issues: [third], counts: COUNTS }));
        }
        const query = q?.includes('is:resolved') ? 'is:resolved level:error sort:last-seen' : 'is:unresolved level:error sort:last-seen';
        return HttpResponse.json(issuePageFactory({ issues: [first, second], nextCursor: 'c2', counts: COUNTS, query }));
      }),
    );
    const { router } = renderApp(`/projects/${PROJECT_ID}/issues?q=level:error`);
    const user = userEvent.setup();

    const list = await screen.findByRole('list', { name: 'Issues' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(within(list).getByRole('img', { name: 'Occurrences over the last 24 hours' })).toBeInTheDocument();
    expect(within(list).getByText('assigned to Grace')).toBeInTheDocument();
    expect(screen.getByLabelText('Search issues')).toHaveValue('level:error');

    const tabs = screen.getByRole('navigation', { name: 'Issue status' });
    expect(within(tabs).getByRole('link', { name: 'Unresolved 2' })).toHaveAttribute('aria-current', 'page');
    await user.click(within(tabs).getByRole('link', { name: 'Resolved 5' }));
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ q: 'is:resolved level:error' });
    });
    expect(await within(tabs).findByRole('link', { name: 'Resolved 5' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByLabelText('Search issues')).toHaveValue('is:resolved level:error');
    expect(seen).toContain('is:resolved level:error');

    await user.click(await screen.findByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('link', { name: 'ZeroDivisionError' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('shows an invalid query under the search box', async () => {
    signIn();
    projectApi();
    server.use(
      http.get('/api/v1/projects/:projectId/issues', ({ request }) => {
        const q = new URL(request.url).searchParams.get('q');
        if (q === 'is:bogus') {
          return errorResponse(400, { error: 'Unknown status "bogus".', code: 'invalid_query' });
        }
        return HttpResponse.json(issuePageFactory());
      }),
    );
    renderApp(`/projects/${PROJECT_ID}/issues`);
    const user = userEvent.setup();
    expect(await screen.findByText('No issues yet')).toBeInTheDocument();

    const box = screen.getByLabelText('Search issues');
    await user.type(box, 'is:bogus{Enter}');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Unknown status "bogus".');
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(box).toHaveAccessibleDescription('Unknown status "bogus".');
  });

  it('moves the selection with j and k and opens the issue with Enter', async () => {
    signIn();
    projectApi();
    const issues = [
      issueSummaryFactory({ title: 'First' }),
      issueSummaryFactory({ title: 'Second' }),
      issueSummaryFactory({ title: 'Third' }),
    ];
    const second = issues[1];
    if (!second) throw new Error('no issue');
    server.use(
      http.get('/api/v1/projects/:projectId/issues', () => HttpResponse.json(issuePageFactory({ issues }))),
      http.get('/api/v1/projects/:projectId/issues/:issueId', () =>
        HttpResponse.json(issueFactory({ id: second.id, title: 'Second' })),
      ),
    );
    const { router } = renderApp(`/projects/${PROJECT_ID}/issues`);
    const user = userEvent.setup();
    const list = await screen.findByRole('list', { name: 'Issues' });
    const rows = within(list).getAllByRole('listitem');

    await user.keyboard('j');
    expect(rows[0]).toHaveAttribute('aria-current', 'true');
    await user.keyboard('jjj');
    expect(rows[2]).toHaveAttribute('aria-current', 'true');
    await user.keyboard('k');
    expect(rows[1]).toHaveAttribute('aria-current', 'true');
    expect(within(list).getByRole('link', { name: 'Second' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Second' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/projects/${PROJECT_ID}/issues/${second.id}`);
  });
});

describe('issue detail', () => {
  it('changes the status and the assignee, with toasts', async () => {
    const session = signIn({ name: 'Grace Hopper' });
    let issue = issueFactory({
      title: 'TypeError: boom',
      introducedInRelease: '1.4.0',
      lastSeenRelease: '1.4.2',
      latestEvent: {
        id: 'e1',
        occurredAt: '2026-01-16T10:00:00Z',
        message: 'boom',
        exceptions: [
          {
            type: 'TypeError',
            message: 'boom',
            parent: -1,
            frames: [
              { function: 'chargeCard', file: '/srv/app/src/cart.js', line: 42, column: 7, inApp: true },
              { function: 'runMicrotasks', file: 'node:internal/process', line: 9, inApp: false },
            ],
          },
        ],
      },
    });
    const requests: { kind: string; body: unknown; csrf: string | null }[] = [];
    server.use(
      http.get('/api/v1/projects/:projectId/issues/:issueId', () => HttpResponse.json(issue)),
      http.post('/api/v1/projects/:projectId/issues/:issueId/status', async ({ request }) => {
        const body = (await request.json()) as { status: IssueStatus };
        requests.push({ kind: 'status', body, csrf: request.headers.get('X-CSRF-Token') });
        issue = { ...issue, status: body.status };
        return HttpResponse.json(issue);
      }),
      http.put('/api/v1/projects/:projectId/issues/:issueId/assignee', async ({ request }) => {
        const body = (await request.json()) as { userId: string | null };
        requests.push({ kind: 'assignee', body, csrf: request.headers.get('X-CSRF-Token') });
        const next = { ...issue };
        delete next.assignee;
        issue = body.userId ? { ...next, assignee: { id: body.userId, name: 'Grace Hopper', email: 'g@example.com' } } : next;
        return HttpResponse.json(issue);
      }),
    );
    renderApp(`/projects/${PROJECT_ID}/issues/${issue.id}`);
    const user = userEvent.setup();

    expect(await screen.findByRole('heading', { level: 1, name: 'TypeError: boom' })).toBeInTheDocument();
    expect(screen.getByText('1.4.0')).toBeInTheDocument();
    const frames = screen.getByRole('list', { name: 'Frames of TypeError' });
    expect(within(frames).getAllByRole('listitem')).toHaveLength(1);
    expect(within(frames).getByText('/srv/app/src/cart.js:42:7')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'All frames' }));
    expect(within(frames).getAllByRole('listitem')).toHaveLength(2);
    expect(within(frames).getByText('node:internal/process:9')).toBeInTheDocument();

    const actions = screen.getByRole('group', { name: 'Issue actions' });
    await user.click(within(actions).getByRole('button', { name: 'Resolve' }));
    expect(await screen.findByText('Issue resolved')).toBeInTheDocument();
    expect(await within(actions).findByRole('button', { name: 'Reopen' })).toBeInTheDocument();
    expect(within(actions).queryByRole('button', { name: 'Resolve' })).not.toBeInTheDocument();

    await user.click(within(actions).getByRole('button', { name: /Assign to me/ }));
    expect(await screen.findByText('Issue assigned to you')).toBeInTheDocument();
    await user.click(await within(actions).findByRole('button', { name: /Unassign/ }));
    expect(await screen.findByText('Issue unassigned')).toBeInTheDocument();

    expect(requests).toEqual([
      { kind: 'status', body: { status: 'resolved' }, csrf: 'csrf-token-1' },
      { kind: 'assignee', body: { userId: session.user.id }, csrf: 'csrf-token-1' },
      { kind: 'assignee', body: { userId: null }, csrf: 'csrf-token-1' },
    ]);
  });

  it('shows a failed action in an error toast', async () => {
    signIn();
    const issue = issueFactory({ title: 'TypeError: boom' });
    server.use(
      http.get('/api/v1/projects/:projectId/issues/:issueId', () => HttpResponse.json(issue)),
      http.post('/api/v1/projects/:projectId/issues/:issueId/status', () =>
        errorResponse(403, { error: 'You may only read this project.', code: 'forbidden' }),
      ),
    );
    renderApp(`/projects/${PROJECT_ID}/issues/${issue.id}`);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Ignore' }));
    expect(await screen.findByText('Could not change the status')).toBeInTheDocument();
    expect(screen.getByText('You may only read this project.')).toBeInTheDocument();
  });
});
