import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { sessionFactory, userFactory } from '../test/factories';
import { renderApp } from '../test/renderApp';
import { errorResponse, server, signIn, signInAdmin } from '../test/server';
import { safeRedirect } from './guards';

function noTokens() {
  server.use(http.get('/api/v1/me/tokens', () => HttpResponse.json({ tokens: [] })));
}

describe('route guards', () => {
  it('sends signed-out visitors to sign-in with a return path, and back after signing in', async () => {
    noTokens();
    const session = sessionFactory({ user: userFactory({ name: 'Grace Hopper', email: 'grace@example.com' }) });
    let signInBody: unknown;
    server.use(
      http.post('/api/v1/auth/sign-in', async ({ request }) => {
        signInBody = await request.json();
        server.use(http.get('/api/v1/session', () => HttpResponse.json(session)));
        return HttpResponse.json(session);
      }),
    );
    const { router } = renderApp('/profile');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/sign-in');
    expect(router.state.location.search).toEqual({ redirect: '/profile' });

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('E-mail address'), 'grace@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Grace Hopper' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/profile');
    expect(signInBody).toEqual({ email: 'grace@example.com', password: 'correct horse' });
  });

  it('sends signed-in users past the sign-in page, to the home page', async () => {
    signIn({ name: 'Grace Hopper' });
    const { router } = renderApp('/sign-in');
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(screen.getByText('Welcome, Grace Hopper.')).toBeInTheDocument();
  });

  it('honours a return path for signed-in users', async () => {
    signIn();
    noTokens();
    const { router } = renderApp('/sign-up');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    expect(router.state.location.pathname).toBe('/');

    const second = renderApp('/sign-in?redirect=%2Fprofile');
    await waitFor(() => {
      expect(second.router.state.location.pathname).toBe('/profile');
    });
  });

  it('keeps non-administrators out of the admin pages', async () => {
    signIn({ admin: false });
    renderApp('/admin/users');
    expect(await screen.findByText('You do not have access to this page')).toBeInTheDocument();
    expect(screen.getByText('Only instance administrators can open the admin pages.')).toBeInTheDocument();
    // The account menu has no admin entry either.
    await userEvent.setup().click(screen.getByRole('button', { name: /Account menu/ }));
    const menu = screen.getByRole('menu');
    expect(within(menu).queryByRole('menuitem', { name: /admin/i })).not.toBeInTheDocument();
  });

  it('returns to sign-in when a request finds the session gone mid-session', async () => {
    signInAdmin();
    server.use(
      http.get('/api/v1/admin/users', () =>
        errorResponse(401, { error: 'Your session has expired.', code: 'session_expired' }),
      ),
    );
    const { router } = renderApp('/admin/users?q=ada');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.search).toEqual({ redirect: '/admin/users?q=ada' });
    expect(await screen.findByText('Your session has ended')).toBeInTheDocument();
  });
});

describe('safeRedirect', () => {
  it('allows only paths of this app', () => {
    expect(safeRedirect('/profile?tab=1#tokens')).toBe('/profile?tab=1#tokens');
    expect(safeRedirect(undefined)).toBe('/');
    expect(safeRedirect('https://evil.example/')).toBe('/');
    expect(safeRedirect('//evil.example/')).toBe('/');
    expect(safeRedirect('/\\evil.example')).toBe('/');
    expect(safeRedirect('/sign-in?redirect=/x')).toBe('/');
    expect(safeRedirect('/sign-out')).toBe('/');
  });
});
