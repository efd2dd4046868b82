import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../test/renderApp';
import { server, signIn, signInAdmin } from '../test/server';

describe('HomePage', () => {
  it('greets the user in the app shell, with the instance name and the projects list', async () => {
    signIn({ name: 'Grace Hopper', admin: false });
    renderApp('/');

    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    expect(screen.getByText('Welcome, Grace Hopper.')).toBeInTheDocument();
    expect(await screen.findByText('Create your first project')).toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: 'New project' })[0]).toHaveAttribute('href', '/projects/new');
    const banner = screen.getByRole('banner');
    expect(await within(banner).findByRole('link', { name: 'Acme Logister' })).toHaveAttribute('href', '/');
    expect(within(banner).getByRole('link', { name: 'API reference' })).toHaveAttribute('href', '/api/docs');
    expect(screen.queryByRole('link', { name: /Invite your team/ })).not.toBeInTheDocument();
    expect(document.title).toBe('Dashboard · Acme Logister');
  });

  it('offers administrators the admin pages, in the shortcuts and the account menu', async () => {
    signInAdmin();
    renderApp('/');
    expect(await screen.findByRole('link', { name: /Invite your team/ })).toHaveAttribute('href', '/admin/users');

    const user = userEvent.setup();
    const menuButton = screen.getByRole('button', { name: 'Account menu for Ada Admin' });
    await user.click(menuButton);
    const menu = screen.getByRole('menu');
    const items = within(menu).getAllByRole('menuitem');
    expect(items.map((item) => item.textContent.trim())).toEqual(['Profile and tokens', 'Instance admin', 'Sign out']);
    expect(items[0]).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(items[1]).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(menuButton).toHaveFocus();
  });

  it('signs out from the account menu', async () => {
    signIn({ name: 'Grace Hopper' });
    let csrf: string | null = null;
    server.use(
      http.post('/api/v1/auth/sign-out', ({ request }) => {
        csrf = request.headers.get('X-CSRF-Token');
        server.use(
          http.get('/api/v1/session', () => HttpResponse.json({ error: 'Sign in.', code: 'unauthenticated' }, { status: 401 })),
        );
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { router } = renderApp('/');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /Account menu/ }));
    await user.click(screen.getByRole('menuitem', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(screen.getByText('Signed out')).toBeInTheDocument();
    expect(csrf).toBe('csrf-token-1');
  });

  it('says so when the server cannot be reached', async () => {
    server.use(http.get('/api/v1/session', () => HttpResponse.error()));
    renderApp('/');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This page could not be loaded.');
    expect(alert).toHaveTextContent('Could not reach the Logister server.');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
