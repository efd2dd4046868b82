import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { sessionFactory, userFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server } from '../../test/server';

const INVITATION = 'invitation_token_0123456789';

describe('SignUpPage', () => {
  it('with an invitation: the address is fixed, and the new account starts signed in', async () => {
    const session = sessionFactory({ user: userFactory({ name: 'Linus', email: 'linus@example.com' }) });
    let sent: unknown;
    server.use(
      http.get('/api/v1/invitations/:token', () =>
        HttpResponse.json({ email: 'linus@example.com', expiresAt: '2099-01-01T00:00:00Z' }),
      ),
      http.post('/api/v1/auth/sign-up', async ({ request }) => {
        sent = await request.json();
        server.use(http.get('/api/v1/session', () => HttpResponse.json(session)));
        return HttpResponse.json(session, { status: 201 });
      }),
    );
    const { router } = renderApp(`/sign-up?invitation=${INVITATION}`);
    const user = userEvent.setup();

    expect(await screen.findByText('You are invited to Acme Logister.')).toBeInTheDocument();
    const email = screen.getByLabelText('E-mail address');
    expect(email).toHaveValue('linus@example.com');
    expect(email).toHaveAttribute('readonly');
    await user.type(screen.getByLabelText('Your name'), 'Linus');
    await user.type(screen.getByLabelText('Password'), 'penguins!');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByText('Welcome, Linus.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(sent).toEqual({
      name: 'Linus',
      email: 'linus@example.com',
      password: 'penguins!',
      invitationToken: INVITATION,
    });
  });

  it('without one, on an invite-only instance: says to ask for an invitation', async () => {
    server.use(
      http.post('/api/v1/auth/sign-up', () =>
        errorResponse(403, { error: 'Sign-up is by invitation only.', code: 'invitation_required' }),
      ),
    );
    renderApp('/sign-up');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Your name'), 'Eve');
    await user.type(screen.getByLabelText('E-mail address'), 'eve@example.com');
    await user.type(screen.getByLabelText('Password'), 'password123');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Sign-up is by invitation only.');
    expect(alert).toHaveTextContent('Ask an administrator of this instance to invite you');
  });

  it('with open sign-up: asks to confirm the address from the mailbox', async () => {
    server.use(
      http.post('/api/v1/auth/sign-up', () =>
        HttpResponse.json(
          { message: 'Check your mailbox: follow the link we sent to confirm your address, then sign in.' },
          { status: 202 },
        ),
      ),
    );
    renderApp('/sign-up');
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Your name'), 'Eve');
    await user.type(screen.getByLabelText('E-mail address'), 'eve@example.com');
    await user.type(screen.getByLabelText('Password'), 'password123');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(await screen.findByRole('heading', { name: 'Check your mailbox' })).toBeInTheDocument();
    expect(screen.getByText('We sent a confirmation link to eve@example.com.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'send a new link' })).toHaveAttribute(
      'href',
      '/resend-confirmation?email=eve%40example.com',
    );
  });

  it('explains an expired invitation', async () => {
    server.use(
      http.get('/api/v1/invitations/:token', () =>
        errorResponse(410, { error: 'This link has expired.', code: 'link_expired' }),
      ),
    );
    renderApp(`/sign-up?invitation=${INVITATION}`);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This invitation cannot be used.');
    expect(alert).toHaveTextContent('This link has expired.');
  });
});
