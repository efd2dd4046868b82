import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { errorResponse, server } from '../test/server';
import { renderApp } from '../test/renderApp';

const TOKEN = 'abcdefghijklmnop_0123456789';

describe('SetupPage', () => {
  it('says a valid link is valid, with the API message', async () => {
    let askedFor: string | undefined;
    server.use(
      http.get('/api/v1/setup/:token', ({ params }) => {
        askedFor = String(params.token);
        return HttpResponse.json({
          valid: true,
          accountCreationAvailable: false,
          message: 'Creating the first administrator arrives with the accounts feature.',
        });
      }),
    );
    renderApp(`/setup/${TOKEN}`);

    expect(await screen.findByText('This setup link is valid.')).toBeInTheDocument();
    expect(
      screen.getByText('Creating the first administrator arrives with the accounts feature.'),
    ).toBeInTheDocument();
    expect(askedFor).toBe(TOKEN);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the API error message for an unknown token (404)', async () => {
    server.use(
      http.get('/api/v1/setup/:token', () =>
        errorResponse(404, {
          error: 'The setup link is not valid.',
          code: 'not_found',
          requestId: 'req-404-xyz',
        }),
      ),
    );
    renderApp(`/setup/${TOKEN}`);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This setup link cannot be used.');
    expect(alert).toHaveTextContent('The setup link is not valid.');
    expect(alert).toHaveTextContent('req-404-xyz');
    expect(screen.queryByText('This setup link is valid.')).not.toBeInTheDocument();
  });

  it('shows the API error message for a used link (410)', async () => {
    server.use(
      http.get('/api/v1/setup/:token', () =>
        errorResponse(410, { error: 'Setup has already been completed.', code: 'gone' }),
      ),
    );
    renderApp(`/setup/${TOKEN}`);

    expect(await screen.findByRole('alert')).toHaveTextContent('Setup has already been completed.');
  });
});
