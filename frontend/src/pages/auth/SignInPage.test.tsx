import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/renderApp';
import { errorResponse, readyInstance, server } from '../../test/server';

async function submit(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('E-mail address'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  return user;
}

describe('SignInPage', () => {
  it('says so when the credentials are wrong, without clearing the form', async () => {
    server.use(
      http.post('/api/v1/auth/sign-in', () =>
        errorResponse(401, { error: 'The e-mail address or password is wrong.', code: 'invalid_credentials' }),
      ),
    );
    renderApp('/sign-in');
    await submit('grace@example.com', 'wrong');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not sign in.');
    expect(alert).toHaveTextContent('The e-mail address or password is wrong.');
    expect(screen.getByLabelText('E-mail address')).toHaveValue('grace@example.com');
    // A wrong password is not a lost session: we stay here.
    expect(screen.queryByText('Your session has ended')).not.toBeInTheDocument();
  });

  it('offers a new confirmation link to an unconfirmed address', async () => {
    server.use(
      http.post('/api/v1/auth/sign-in', () =>
        errorResponse(403, { error: 'Confirm your e-mail address first.', code: 'email_not_confirmed' }),
      ),
    );
    renderApp('/sign-in');
    await submit('new@example.com', 'password123');
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('link', { name: 'Send a new confirmation link' })).toHaveAttribute(
      'href',
      '/resend-confirmation?email=new%40example.com',
    );
  });

  it('shows how long to wait when rate limited (Retry-After)', async () => {
    server.use(
      http.post('/api/v1/auth/sign-in', () =>
        errorResponse(
          429,
          { error: 'Too many sign-in attempts.', code: 'rate_limited' },
          { 'Retry-After': '120' },
        ),
      ),
    );
    renderApp('/sign-in');
    await submit('grace@example.com', 'password123');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Too many sign-in attempts.');
    expect(alert).toHaveTextContent('try again in 2 minutes');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  });

  it('points to the setup link while the instance has no administrator', async () => {
    server.use(http.get('/api/v1/instance', () => HttpResponse.json({ ...readyInstance, setupRequired: true })));
    renderApp('/sign-in');
    expect(await screen.findByText('No administrator yet')).toBeInTheDocument();
  });
});
