import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema.gen';
import { projectFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server, signIn, signInAdmin } from '../../test/server';

type AdminProject = components['schemas']['AdminProject'];
type Overrides = components['schemas']['RateLimitOverrides'];

function adminProject(overrides: Partial<AdminProject> = {}): AdminProject {
  return { ...projectFactory(), memberCount: 0, ...overrides };
}

const INSTANCE = { requests: 1200, periodSeconds: 60, authFailures: 120, preAuth: 12000 };

/** An in-memory rate-limit store for one project: what the admin endpoints answer, and the bodies sent. */
function rateLimitApi(projectId: string, initial: Overrides) {
  let overrides = initial;
  const bodies: unknown[] = [];
  const answer = () =>
    HttpResponse.json({
      overrides,
      effective: {
        requests: overrides.requests ?? INSTANCE.requests,
        periodSeconds: overrides.periodSeconds ?? INSTANCE.periodSeconds,
        authFailures: overrides.authFailures ?? INSTANCE.authFailures,
        preAuth: INSTANCE.preAuth,
      },
    });
  server.use(
    http.get(`/api/v1/admin/projects/${projectId}/rate-limits`, answer),
    http.put(`/api/v1/admin/projects/${projectId}/rate-limits`, async ({ request }) => {
      const body = (await request.json()) as Overrides;
      bodies.push(body);
      if (body.requests === 9_999_999) {
        return errorResponse(422, {
          error: 'The request failed validation.',
          code: 'validation_failed',
          fields: { requests: 'is too many for this instance' },
        });
      }
      overrides = body;
      return answer();
    }),
  );
  return bodies;
}

describe('admin: projects and rate limits', () => {
  it('lists and pages every project', async () => {
    signInAdmin();
    const shop = adminProject({ name: 'Shop', memberCount: 2, owner: { id: 'u1', name: 'Grace', email: 'grace@example.com' } });
    const blog = adminProject({ name: 'Blog', archived: true });
    const cli = adminProject({ name: 'CLI project' });
    const queries: Record<string, string | null>[] = [];
    server.use(
      http.get('/api/v1/admin/projects', ({ request }) => {
        const url = new URL(request.url);
        const cursor = url.searchParams.get('cursor');
        queries.push({ q: url.searchParams.get('q'), state: url.searchParams.get('state'), cursor });
        return cursor
          ? HttpResponse.json({ projects: [cli] })
          : HttpResponse.json({ projects: [shop, blog], nextCursor: 'page2' });
      }),
    );
    renderApp('/admin/projects');
    const user = userEvent.setup();

    const table = await screen.findByRole('table', { name: 'Projects' });
    const shopRow = within(table).getByRole('row', { name: /Shop/ });
    expect(shopRow).toHaveTextContent('grace@example.com');
    expect(shopRow).toHaveTextContent('Active');
    expect(within(shopRow).getByRole('link', { name: 'Shop' })).toHaveAttribute('href', `/projects/${shop.id}/settings`);
    expect(within(table).getByRole('row', { name: /Blog/ })).toHaveTextContent('Archived');
    expect(screen.getByRole('link', { name: /Projects & rate limits/ })).toHaveAttribute('aria-current', 'page');

    await user.click(screen.getByRole('button', { name: 'Load more projects' }));
    expect(await within(table).findByRole('row', { name: /CLI project/ })).toBeInTheDocument();
    expect(queries).toEqual([
      { q: null, state: 'all', cursor: null },
      { q: null, state: 'all', cursor: 'page2' },
    ]);
  });

  it('filters by state and searches', async () => {
    signInAdmin();
    const shop = adminProject({ name: 'Shop' });
    const blog = adminProject({ name: 'Blog', archived: true });
    const queries: Record<string, string | null>[] = [];
    server.use(
      http.get('/api/v1/admin/projects', ({ request }) => {
        const url = new URL(request.url);
        const q = url.searchParams.get('q');
        const state = url.searchParams.get('state');
        queries.push({ q, state });
        const all = state === 'archived' ? [blog] : [shop, blog];
        return HttpResponse.json({ projects: q ? all.filter((p) => p.name.includes(q)) : all });
      }),
    );
    const { router } = renderApp('/admin/projects');
    const user = userEvent.setup();

    expect(await screen.findByRole('row', { name: /Shop/ })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Archived' }));
    await waitFor(() => {
      expect(within(screen.getByRole('table', { name: 'Projects' })).queryByRole('row', { name: /Shop/ })).not.toBeInTheDocument();
    });

    await user.type(screen.getByLabelText('Search projects'), 'Blo');
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ q: 'Blo' });
    });
    await waitFor(() => {
      expect(queries.at(-1)).toEqual({ q: 'Blo', state: 'archived' });
    });
    expect(await screen.findByRole('row', { name: /Blog/ })).toBeInTheDocument();
    expect(queries).toEqual([
      { q: null, state: 'all' },
      { q: null, state: 'archived' },
      { q: 'Blo', state: 'archived' },
    ]);
  });

  it('shows the limits in effect and validates the overrides before sending them', async () => {
    signInAdmin();
    const shop = adminProject({ name: 'Shop' });
    server.use(http.get('/api/v1/admin/projects', () => HttpResponse.json({ projects: [shop] })));
    const bodies = rateLimitApi(shop.id, { requests: 5000, periodSeconds: null, authFailures: null });
    renderApp('/admin/projects');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Rate limits of Shop' }));
    const dialog = screen.getByRole('dialog', { name: 'Rate limits of Shop' });
    const effective = await within(dialog).findByRole('table', { name: 'Limits in effect' });
    expect(within(effective).getByRole('row', { name: /Submissions/ })).toHaveTextContent('5,000override');
    expect(within(effective).getByRole('row', { name: /Window/ })).toHaveTextContent('60 sinstance');
    expect(within(effective).getByRole('row', { name: /before authentication/ })).toHaveTextContent('12,000instance only');

    const form = within(dialog).getByRole('form', { name: 'Rate limit overrides' });
    const requests = within(form).getByLabelText(/Submissions per window/);
    const period = within(form).getByLabelText(/Window length/);
    const failures = within(form).getByLabelText(/Failed authentications/);
    expect(requests).toHaveValue('5000');
    expect(period).toHaveValue('');
    expect(period).toHaveAttribute('placeholder', 'Inherit (60)');

    // Out of range, not whole, not a number: nothing is sent.
    await user.type(period, '86401');
    await user.type(failures, '1.5');
    await user.click(within(form).getByRole('button', { name: 'Save overrides' }));
    expect(await within(form).findByText('Check the highlighted fields.')).toBeInTheDocument();
    expect(period).toHaveAttribute('aria-invalid', 'true');
    expect(failures).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getAllByText(/Enter a whole number from 1 to 86,400, or leave it empty to inherit/)).toHaveLength(1);
    expect(within(form).getAllByText(/Enter a whole number from 1 to 10,000,000/)).toHaveLength(1);
    expect(requests).not.toHaveAttribute('aria-invalid');
    await user.clear(failures);
    await user.type(failures, 'lots');
    await user.clear(requests);
    await user.type(requests, '0');
    await user.click(within(form).getByRole('button', { name: 'Save overrides' }));
    expect(requests).toHaveAttribute('aria-invalid', 'true');
    expect(bodies).toEqual([]);
  });

  it('saves overrides, shows the server’s field errors, and clears the overrides', async () => {
    signInAdmin();
    const shop = adminProject({ name: 'Shop' });
    server.use(http.get('/api/v1/admin/projects', () => HttpResponse.json({ projects: [shop] })));
    const bodies = rateLimitApi(shop.id, { requests: 5000, periodSeconds: null, authFailures: null });
    renderApp('/admin/projects');
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Rate limits of Shop' }));
    const dialog = screen.getByRole('dialog', { name: 'Rate limits of Shop' });
    const effective = await within(dialog).findByRole('table', { name: 'Limits in effect' });
    const form = within(dialog).getByRole('form', { name: 'Rate limit overrides' });
    const requests = within(form).getByLabelText(/Submissions per window/);
    const period = within(form).getByLabelText(/Window length/);

    // The server's own field errors land on the fields too.
    await user.clear(requests);
    await user.type(requests, '9999999');
    await user.click(within(form).getByRole('button', { name: 'Save overrides' }));
    expect(await within(form).findByText('is too many for this instance')).toBeInTheDocument();

    // Valid: numbers override, empty inherits.
    await user.clear(requests);
    await user.type(requests, ' 250 ');
    await user.type(period, '10');
    await user.click(within(form).getByRole('button', { name: 'Save overrides' }));
    expect(await screen.findByText('Rate limits of Shop saved')).toBeInTheDocument();
    expect(bodies.at(-1)).toEqual({ requests: 250, periodSeconds: 10, authFailures: null });
    await waitFor(() => {
      expect(within(effective).getByRole('row', { name: /Window/ })).toHaveTextContent('10 soverride');
    });

    // Clearing sends nulls for all three.
    await user.click(within(dialog).getByRole('button', { name: 'Clear overrides' }));
    expect(await screen.findByText('Shop inherits the instance’s limits')).toBeInTheDocument();
    expect(bodies.at(-1)).toEqual({ requests: null, periodSeconds: null, authFailures: null });
    await waitFor(() => {
      expect(within(effective).getByRole('row', { name: /Submissions/ })).toHaveTextContent('1,200instance');
    });

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('is not for other users', async () => {
    signIn({ admin: false });
    renderApp('/admin/projects');
    expect(await screen.findByText('You do not have access to this page')).toBeInTheDocument();
  });
});
