import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema.gen';
import { issuePageFactory, issueSummaryFactory, projectFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server, signIn } from '../../test/server';

type CreateProjectRequest = components['schemas']['CreateProjectRequest'];

const PROJECT_ID = '00000000-0000-4000-8000-00000000abcd';
const KEY = `logister_${'cd34'.repeat(12)}`;

describe('projects', () => {
  it('lists active and archived projects on the home page and in the switcher', async () => {
    signIn();
    const shop = projectFactory({ id: PROJECT_ID, name: 'Shop' });
    const old = projectFactory({ name: 'Old site', archived: true });
    server.use(
      http.get('/api/v1/projects', ({ request }) => {
        const state = new URL(request.url).searchParams.get('state') ?? 'active';
        return HttpResponse.json({ projects: state === 'archived' ? [old] : [shop] });
      }),
    );
    renderApp('/');
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'Your projects' });
    expect(await within(section).findByRole('link', { name: 'Shop' })).toHaveAttribute(
      'href',
      `/projects/${PROJECT_ID}/issues`,
    );
    await user.click(within(section).getByRole('button', { name: 'Archived' }));
    expect(await within(section).findByRole('link', { name: 'Old site' })).toBeInTheDocument();
    expect(within(section).queryByRole('link', { name: 'Shop' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Switch project' }));
    const menu = screen.getByRole('menu');
    const items = within(menu).getAllByRole('menuitem');
    expect(items.map((item) => item.textContent.trim())).toEqual(['Shop', 'All projects', 'New project']);
  });

  it('invites the user to create their first project', async () => {
    signIn();
    renderApp('/');
    expect(await screen.findByText('Create your first project')).toBeInTheDocument();
  });

  it('creates a project and goes to its setup page', async () => {
    signIn();
    const bodies: CreateProjectRequest[] = [];
    server.use(
      http.post('/api/v1/projects', async ({ request }) => {
        const body = (await request.json()) as CreateProjectRequest;
        bodies.push(body);
        if (body.name === 'taken') {
          return errorResponse(422, {
            error: 'The request failed validation.',
            code: 'validation_failed',
            fields: { name: 'is already used' },
          });
        }
        return HttpResponse.json(
          projectFactory({ id: PROJECT_ID, name: body.name, integrationKind: body.integrationKind ?? 'http_api' }),
          { status: 201 },
        );
      }),
      http.get('/api/v1/projects/:projectId', () => HttpResponse.json(projectFactory({ id: PROJECT_ID, name: 'Shop' }))),
      http.get('/api/v1/projects/:projectId/issues', () => HttpResponse.json(issuePageFactory())),
    );
    const { router } = renderApp('/projects/new');
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'New project' });
    const kind = within(form).getByLabelText('Integration');
    expect(within(kind).getAllByRole('option').map((o) => o.getAttribute('value'))).toEqual([
      'http_api',
      'ruby',
      'python',
      'javascript',
      'dotnet',
      'cfml',
      'cloudflare_pages',
      'android',
      'ios',
    ]);

    await user.type(within(form).getByLabelText('Name'), 'taken');
    await user.click(within(form).getByRole('button', { name: 'Create project' }));
    expect(await within(form).findByText('is already used')).toBeInTheDocument();

    await user.clear(within(form).getByLabelText('Name'));
    await user.type(within(form).getByLabelText('Name'), 'Shop');
    await user.selectOptions(kind, 'python');
    await user.type(within(form).getByLabelText(/Description/), 'The web shop');
    await user.click(within(form).getByRole('button', { name: 'Create project' }));

    expect(await screen.findByRole('heading', { name: 'Send your first event' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe(`/projects/${PROJECT_ID}/setup`);
    expect(bodies[1]).toEqual({ name: 'Shop', integrationKind: 'python', description: 'The web shop' });
  });
});

describe('project setup', () => {
  it('shows the ingest URL, creates a key shown once with snippets, and waits for the first issue', async () => {
    signIn();
    let issues: components['schemas']['IssueSummary'][] = [];
    let keyBody: unknown;
    server.use(
      http.get('/api/v1/projects/:projectId', () => HttpResponse.json(projectFactory({ id: PROJECT_ID, name: 'Shop' }))),
      http.get('/api/v1/projects/:projectId/issues', () => HttpResponse.json(issuePageFactory({ issues }))),
      http.get('/api/v1/projects/:projectId/members', () => HttpResponse.json({ members: [] })),
      http.post('/api/v1/projects/:projectId/api-keys', async ({ request }) => {
        keyBody = await request.json();
        return HttpResponse.json(
          { id: PROJECT_ID, name: 'Production', hint: 'logister_cd34', active: true, createdAt: '2026-01-15T09:30:00Z', key: KEY },
          { status: 201 },
        );
      }),
    );
    const { queryClient } = renderApp(`/projects/${PROJECT_ID}/setup`);
    const user = userEvent.setup();
    const url = `${window.location.origin}/api/v1/ingest_events`;
    expect(await screen.findByLabelText('Ingest URL')).toHaveValue(url);
    expect(screen.getByText(/Waiting for the first event/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Create API key' }));
    const panel = await screen.findByRole('region', { name: 'New API key' });
    expect(within(panel).getByLabelText('API key')).toHaveValue(KEY);
    expect(within(panel).getByText(/you will not be able to see it again/)).toBeInTheDocument();
    expect(keyBody).toEqual({ name: 'Production' });

    const snippet = screen.getByRole('tabpanel');
    expect(snippet).toHaveTextContent(`curl -X POST '${url}'`);
    expect(snippet).toHaveTextContent(`Authorization: Bearer ${KEY}`);
    expect(snippet).toHaveTextContent('{"event":{"event_type":"error","message":"Something broke"');
    await user.click(screen.getByRole('tab', { name: 'Python' }));
    expect(screen.getByRole('tabpanel')).toHaveTextContent(`"Authorization": "Bearer ${KEY}"`);

    // The first issue arrives: the next poll finds it (refetched here rather than waiting 3 s).
    issues = [issueSummaryFactory({ title: 'TypeError: boom' })];
    await queryClient.refetchQueries();
    const notice = await screen.findByText(/The first issue arrived: TypeError: boom/);
    expect(notice).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the inbox' })).toHaveAttribute('href', `/projects/${PROJECT_ID}/issues`);

    // The key is not shown anywhere after leaving the page.
    await user.click(screen.getByRole('link', { name: 'Open the inbox' }));
    await waitFor(() => {
      expect(document.body).not.toHaveTextContent(KEY);
    });
  });
});
