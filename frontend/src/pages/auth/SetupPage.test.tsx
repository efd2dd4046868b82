import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { sessionFactory, userFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server } from '../../test/server';

const TOKEN = 'abcdefghijklmnop_0123456789';

function validLink() {
  server.use(
    http.get('/api/v1/setup/:token', () =>
      HttpResponse.json({
        valid: true,
        accountCreationAvailable: true,
        message: 'This link creates the first administrator of this instance. It works once.',
      }),
    ),
  );
}

describe('SetupPage', () => {
  it('creates the first administrator and lands signed in on the home page', async () => {
    validLink();
    const session = sessionFactory({ user: userFactory({ name: 'Ada Lovelace', admin: true }) });
    let claimed: { token: string; body: unknown } | undefined;
    server.use(
      http.post('/api/v1/setup/:token', async ({ params, request }) => {
        claimed = { token: String(params.token), body: await request.json() };
        server.use(http.get('/api/v1/session', () => HttpResponse.json(session)));
        return HttpResponse.json(session, { status: 201 });
      }),
    );
    const { router } = renderApp(`/setup/${TOKEN}`);
    const user = userEvent.setup();

    expect(await screen.findByRole('heading', { name: 'Set up Acme Logister' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Your name'), 'Ada Lovelace');
    await user.type(screen.getByLabelText('E-mail address'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'analytical engine');
    await user.click(screen.getByRole('button', { name: 'Create administrator' }));

    expect(await screen.findByText('Welcome, Ada Lovelace.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(screen.getByText('You are the administrator of Acme Logister.')).toBeInTheDocument();
    expect(claimed).toEqual({
      token: TOKEN,
      body: { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical engine' },
    });
  });

  it('shows the API field errors next to their fields', async () => {
    validLink();
    server.use(
      http.post('/api/v1/setup/:token', () =>
        errorResponse(422, {
          error: 'The request failed validation.',
          code: 'validation_failed',
          fields: { email: 'must be an e-mail address' },
        }),
      ),
    );
    renderApp(`/setup/${TOKEN}`);
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Your name'), 'Ada');
    await user.type(screen.getByLabelText('E-mail address'), 'ada@localhost');
    await user.type(screen.getByLabelText('Password'), 'analytical engine');
    await user.click(screen.getByRole('button', { name: 'Create administrator' }));
    expect(await screen.findByText('must be an e-mail address')).toBeInTheDocument();
    expect(screen.getByLabelText('E-mail address')).toHaveFocus();
  });

  it('sends people to sign-in once setup is complete', async () => {
    server.use(
      http.get('/api/v1/setup/:token', () =>
        errorResponse(410, { error: 'This instance is already set up. Sign in instead.', code: 'setup_complete' }),
      ),
    );
    renderApp(`/setup/${TOKEN}`);
    expect(await screen.findByRole('heading', { name: 'Setup is complete' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in');
  });

  it('explains an unknown link with the API message and request id', async () => {
    server.use(
      http.get('/api/v1/setup/:token', () =>
        errorResponse(404, {
          error: 'This setup link is not valid. Restart the server to print a new one.',
          code: 'not_found',
          requestId: 'req-404-xyz',
        }),
      ),
    );
    renderApp(`/setup/${TOKEN}`);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This setup link cannot be used.');
    expect(alert).toHaveTextContent('This setup link is not valid.');
    expect(alert).toHaveTextContent('req-404-xyz');
  });
});
