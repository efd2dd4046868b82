import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema.gen';
import { mailFactory, userFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, readyInstance, server, signInAdmin } from '../../test/server';

type User = components['schemas']['User'];

describe('admin: users', () => {
  it('lists, searches, pages and disables users', async () => {
    const me = signInAdmin().user;
    const linus = userFactory({ name: 'Linus', email: 'linus@example.com' });
    const eve = userFactory({ name: 'Eve', email: 'eve@example.com', confirmed: false });
    const queries: (string | null)[][] = [];
    const disabled: string[] = [];
    server.use(
      http.get('/api/v1/admin/users', ({ request }) => {
        const url = new URL(request.url);
        const q = url.searchParams.get('q');
        const cursor = url.searchParams.get('cursor');
        queries.push([q, cursor]);
        const all: User[] = [me, linus, eve].map((u) => (disabled.includes(u.id) ? { ...u, disabled: true } : u));
        if (q) return HttpResponse.json({ users: all.filter((u) => u.email.includes(q)) });
        return cursor
          ? HttpResponse.json({ users: all.slice(2) })
          : HttpResponse.json({ users: all.slice(0, 2), nextCursor: 'page2' });
      }),
      http.post('/api/v1/admin/users/:id/disable', ({ params }) => {
        disabled.push(String(params.id));
        return HttpResponse.json({ ...linus, disabled: true });
      }),
    );
    const { router } = renderApp('/admin/users');
    const user = userEvent.setup();

    expect(await screen.findByRole('row', { name: /Linus/ })).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /Ada Admin/ })).toHaveTextContent('Ada Admin (you)');
    expect(queries).toEqual([[null, null]]);

    // Paging.
    await user.click(screen.getByRole('button', { name: 'Load more users' }));
    expect(await screen.findByRole('row', { name: /Eve/ })).toHaveTextContent('Unconfirmed');
    expect(queries).toEqual([
      [null, null],
      [null, 'page2'],
    ]);
    expect(screen.queryByRole('button', { name: 'Load more users' })).not.toBeInTheDocument();

    // Disabling asks first.
    await user.click(within(screen.getByRole('row', { name: /Linus/ })).getByRole('button', { name: 'Actions for linus@example.com' }));
    await user.click(screen.getByRole('menuitem', { name: 'Disable…' }));
    const dialog = screen.getByRole('dialog', { name: 'Disable Linus?' });
    await user.click(within(dialog).getByRole('button', { name: 'Disable user' }));
    expect(await screen.findByText('Linus is disabled')).toBeInTheDocument();
    await waitFor(() => {
      expect(screen.getByRole('row', { name: /Linus/ })).toHaveTextContent('Disabled');
    });
    expect(disabled).toEqual([linus.id]);

    // Search goes into the address, debounced.
    await user.type(screen.getByRole('searchbox', { name: 'Search users' }), 'eve');
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ q: 'eve' });
    });
    await waitFor(() => {
      expect(screen.queryByRole('row', { name: /Linus/ })).not.toBeInTheDocument();
    });
    expect(screen.getByRole('row', { name: /Eve/ })).toBeInTheDocument();
  });

  it('has no destructive actions on your own account', async () => {
    const me = signInAdmin().user;
    server.use(http.get('/api/v1/admin/users', () => HttpResponse.json({ users: [me] })));
    renderApp('/admin/users');
    const row = await screen.findByRole('row', { name: /Ada Admin/ });
    expect(within(row).queryByRole('button', { name: /Actions for/ })).not.toBeInTheDocument();
  });

  it('invites someone, showing the API error on the address', async () => {
    signInAdmin();
    server.use(
      http.get('/api/v1/admin/users', () => HttpResponse.json({ users: [] })),
      http.post('/api/v1/admin/invitations', async ({ request }) => {
        const { email } = (await request.json()) as { email: string };
        if (email === 'taken@example.com') {
          return errorResponse(409, { error: 'This address already has an account.', code: 'email_taken' });
        }
        return HttpResponse.json({ email, expiresAt: '2099-01-01T00:00:00Z' }, { status: 201 });
      }),
    );
    renderApp('/admin/users');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Invite someone' }));
    const form = screen.getByRole('form', { name: 'Invite someone' });
    await user.type(within(form).getByLabelText('E-mail address'), 'taken@example.com');
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent('This address already has an account.');

    await user.clear(within(form).getByLabelText('E-mail address'));
    await user.type(within(form).getByLabelText('E-mail address'), 'new@example.com');
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('Invitation sent to new@example.com')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Invite someone' })).not.toBeInTheDocument();
  });
});

describe('admin: mail outbox', () => {
  it('shows each message with its links clickable', async () => {
    signInAdmin();
    server.use(
      http.get('/api/v1/admin/mail', () =>
        HttpResponse.json({
          messages: [
            mailFactory({
              to: 'eve@example.com',
              text: 'Hello Eve,\n\nconfirm here:\n\n  http://logister.test/confirm/abcdefghijklmnopqrst\n\nThanks.',
            }),
          ],
        }),
      ),
    );
    renderApp('/admin/mail');
    const user = userEvent.setup();
    const list = await screen.findByRole('list', { name: 'Messages' });
    await user.click(within(list).getByText('[Acme Logister] Confirm your e-mail address'));
    expect(screen.getByRole('link', { name: 'http://logister.test/confirm/abcdefghijklmnopqrst' })).toHaveAttribute(
      'href',
      'http://logister.test/confirm/abcdefghijklmnopqrst',
    );
    expect(within(list).getByText('Confirmation')).toBeInTheDocument();
    expect(within(list).getByText('stored')).toBeInTheDocument();
  });

  it('has an empty state', async () => {
    signInAdmin();
    server.use(http.get('/api/v1/admin/mail', () => HttpResponse.json({ messages: [] })));
    renderApp('/admin/mail');
    expect(await screen.findByText('No mail yet')).toBeInTheDocument();
  });
});

describe('admin: instance', () => {
  it('shows version, sign-up mode, services, and a failing readiness check with its message', async () => {
    signInAdmin();
    server.use(
      http.get('/api/v1/admin/instance', () =>
        HttpResponse.json({
          name: 'Acme Logister',
          version: '0.1.0',
          commit: 'abc1234',
          signup: 'invite',
          services: [
            { name: 'database', configured: true, ok: true },
            { name: 'redis', configured: true, ok: false, message: 'Redis does not answer.' },
            { name: 'smtp', configured: false },
          ],
        }),
      ),
      http.get('/api/v1/instance', () =>
        HttpResponse.json({
          ...readyInstance,
          ready: false,
          checks: [
            { name: 'database', ok: true },
            { name: 'migrations', ok: false, message: '2 migrations are not applied yet.' },
          ],
        }),
      ),
    );
    renderApp('/admin/instance');

    expect(await screen.findByText('By invitation only')).toBeInTheDocument();
    expect(screen.getByText('abc1234')).toBeInTheDocument();
    expect(await screen.findByText('Not ready')).toBeInTheDocument();
    const checks = screen.getByRole('table', { name: 'Readiness checks' });
    expect(within(checks).getByRole('row', { name: /migrations/ })).toHaveTextContent(
      'Failing2 migrations are not applied yet.',
    );
    expect(screen.getByRole('row', { name: /Redis/ })).toHaveTextContent('FailingRedis does not answer.');
    expect(screen.getByRole('row', { name: /SMTP/ })).toHaveTextContent('Not configured');
  });
});
