import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { errorResponse, readyInstance, server } from '../test/server';
import { renderApp } from '../test/renderApp';

function checkRow(name: string) {
  return screen.getByRole('row', { name: new RegExp(`^${name}\\b`) });
}

describe('HomePage', () => {
  it('shows the instance name, version, commit and passing checks', async () => {
    renderApp('/');

    expect(await screen.findByRole('heading', { level: 1, name: 'Acme Logister' })).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent('Acme Logister');
    expect(screen.getByText('0.1.0')).toBeInTheDocument();
    expect(screen.getByText('abc1234')).toBeInTheDocument();

    const health = screen.getByRole('region', { name: /health/i });
    expect(within(health).getByText('Ready')).toBeInTheDocument();
    expect(within(checkRow('database')).getByText('OK')).toBeInTheDocument();
    expect(within(checkRow('migrations')).getByText('OK')).toBeInTheDocument();

    const apiLink = screen.getAllByRole('link', { name: 'API reference' })[0];
    expect(apiLink).toHaveAttribute('href', '/api/docs');
    expect(screen.queryByText('Setup required')).not.toBeInTheDocument();
  });

  it('shows a not-ready state with the failing check and its message', async () => {
    server.use(
      http.get('/api/v1/instance', () =>
        HttpResponse.json({
          ...readyInstance,
          commit: undefined,
          ready: false,
          setupRequired: true,
          checks: [
            { name: 'database', ok: true },
            { name: 'migrations', ok: false, message: '2 migrations are not applied yet.' },
          ],
        }),
      ),
    );
    renderApp('/');

    const health = await screen.findByRole('region', { name: /health/i });
    expect(within(health).getByText('Not ready')).toBeInTheDocument();
    const failing = checkRow('migrations');
    expect(within(failing).getByText('Failing')).toBeInTheDocument();
    expect(within(failing).getByText('2 migrations are not applied yet.')).toBeInTheDocument();
    expect(within(checkRow('database')).getByText('OK')).toBeInTheDocument();
    expect(screen.queryByText('Commit')).not.toBeInTheDocument();
    expect(screen.getByText('Setup required')).toBeInTheDocument();
  });

  it('shows the API error message and request id when the instance cannot be loaded', async () => {
    server.use(
      http.get('/api/v1/instance', () =>
        errorResponse(500, {
          error: 'The instance information is unavailable.',
          code: 'internal',
          requestId: 'req-500-abc',
        }),
      ),
    );
    renderApp('/');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load this instance.');
    expect(alert).toHaveTextContent('The instance information is unavailable.');
    expect(alert).toHaveTextContent('req-500-abc');
    // The header falls back to the product name.
    expect(within(screen.getByRole('banner')).getByRole('link', { name: 'Logister' })).toBeInTheDocument();
  });

  it('says so when the server cannot be reached', async () => {
    server.use(http.get('/api/v1/instance', () => HttpResponse.error()));
    renderApp('/');

    expect(await screen.findByRole('alert')).toHaveTextContent('Could not reach the Logister server.');
  });
});
