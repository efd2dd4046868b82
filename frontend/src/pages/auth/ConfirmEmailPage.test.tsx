import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server } from '../../test/server';

const TOKEN = 'confirm_token_0123456789';

describe('ConfirmEmailPage', () => {
  it('uses the link once (also under StrictMode) and offers to sign in', async () => {
    const posted: unknown[] = [];
    server.use(
      http.post('/api/v1/auth/confirm', async ({ request }) => {
        posted.push(await request.json());
        return HttpResponse.json({ email: 'eve@example.com', emailChanged: false });
      }),
    );
    renderApp(`/confirm/${TOKEN}`);
    expect(await screen.findByRole('heading', { name: 'Your e-mail address is confirmed' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in?email=eve%40example.com');
    expect(posted).toEqual([{ token: TOKEN }]);
  });

  it('explains a used link', async () => {
    server.use(
      http.post('/api/v1/auth/confirm', () =>
        errorResponse(404, { error: 'This link is not valid or was already used.', code: 'not_found' }),
      ),
    );
    renderApp(`/confirm/${TOKEN}`);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This confirmation link cannot be used.');
    expect(alert).toHaveTextContent('This link is not valid or was already used.');
  });
});
