import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { eventFactory, eventSummaryFactory, projectFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server, signIn } from '../../test/server';
import { formatDuration } from './format';
import { validateEventsSearch } from './search';

const PROJECT_ID = '00000000-0000-4000-8000-00000000e001';

function projectApi() {
  server.use(
    http.get('/api/v1/projects/:projectId', () => HttpResponse.json(projectFactory({ id: PROJECT_ID, name: 'Shop' }))),
  );
}

describe('validateEventsSearch', () => {
  it('keeps known filters and drops unknown or empty ones', () => {
    expect(
      validateEventsSearch({ type: 'transaction', period: '7d', q: ' checkout ', environment: 'production', release: 42 }),
    ).toEqual({ type: 'transaction', period: '7d', q: 'checkout', environment: 'production', release: '42' });
    expect(validateEventsSearch({ type: 'error', period: '1y', q: '', environment: '   ' })).toEqual({});
    expect(validateEventsSearch({ period: '24h' })).toEqual({});
    expect(validateEventsSearch({ q: 'x'.repeat(300) }).q).toHaveLength(200);
  });
});

describe('formatDuration', () => {
  it('picks a unit people read', () => {
    expect(formatDuration(0.421)).toBe('0.42 ms');
    expect(formatDuration(125.54)).toBe('125.5 ms');
    expect(formatDuration(1250)).toBe('1.25 s');
    expect(formatDuration(150_000)).toBe('2.5 min');
  });
});

describe('events feed', () => {
  it('reads its filters from the URL, sends them, and writes changes back', async () => {
    signIn();
    projectApi();
    const seen: URLSearchParams[] = [];
    server.use(
      http.get('/api/v1/projects/:projectId/events', ({ request }) => {
        const params = new URL(request.url).searchParams;
        seen.push(params);
        return HttpResponse.json({
          events: [
            eventSummaryFactory({ type: 'transaction', level: 'info', message: '', name: 'GET /checkout', durationMs: 182.4 }),
            eventSummaryFactory({ type: 'log', level: 'error', message: 'Payment declined', name: 'payments' }),
          ],
        });
      }),
    );
    const { router } = renderApp(`/projects/${PROJECT_ID}/events?type=transaction&period=7d&q=checkout&environment=staging`);
    const user = userEvent.setup();

    const table = await screen.findByRole('table', { name: 'Events, newest first' });
    expect(within(table).getByRole('link', { name: 'GET /checkout' })).toHaveAttribute(
      'href',
      expect.stringMatching(new RegExp(`^/projects/${PROJECT_ID}/events/`)),
    );
    expect(within(table).getByText('182.4 ms')).toBeInTheDocument();
    expect(within(table).getByText('Transaction')).toBeInTheDocument();
    const first = seen[0];
    expect(first?.get('type')).toBe('transaction');
    expect(first?.get('period')).toBe('7d');
    expect(first?.get('q')).toBe('checkout');
    expect(first?.get('environment')).toBe('staging');
    expect(first?.has('release')).toBe(false);

    // The controls show the URL's filters.
    expect(screen.getByLabelText('Search events')).toHaveValue('checkout');
    expect(screen.getByLabelText('Period')).toHaveValue('7d');
    expect(screen.getByLabelText('Environment')).toHaveValue('staging');
    const tabs = screen.getByRole('navigation', { name: 'Event type' });
    expect(within(tabs).getByRole('link', { name: 'Transactions' })).toHaveAttribute('aria-current', 'page');
    expect(within(tabs).getByRole('link', { name: 'All' })).not.toHaveAttribute('aria-current');

    // Typing is debounced into the URL; the select and the tabs write at once.
    const box = screen.getByLabelText('Search events');
    await user.clear(box);
    await user.type(box, 'declined');
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ type: 'transaction', period: '7d', q: 'declined', environment: 'staging' });
    });
    await user.type(screen.getByLabelText('Release'), '1.4.2');
    await waitFor(() => {
      expect(router.state.location.search).toMatchObject({ release: '1.4.2' });
    });
    await user.selectOptions(screen.getByLabelText('Period'), '24h');
    await waitFor(() => {
      expect(router.state.location.search).not.toHaveProperty('period');
    });
    await user.click(within(tabs).getByRole('link', { name: 'Logs' }));
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ type: 'log', q: 'declined', environment: 'staging', release: '1.4.2' });
    });
    await waitFor(() => {
      expect(seen.at(-1)?.get('type')).toBe('log');
    });
    const last = seen.at(-1);
    expect(last?.get('q')).toBe('declined');
    expect(last?.get('release')).toBe('1.4.2');
    expect(last?.has('period')).toBe(false);
    expect(within(tabs).getByRole('link', { name: 'Logs' })).toHaveAttribute('aria-current', 'page');
  });

  it('marks the Events tab of the project navigation', async () => {
    signIn();
    projectApi();
    server.use(http.get('/api/v1/projects/:projectId/events', () => HttpResponse.json({ events: [] })));
    renderApp(`/projects/${PROJECT_ID}/events`);
    const nav = await screen.findByRole('navigation', { name: 'Project' });
    expect(within(nav).getByRole('link', { name: 'Events' })).toHaveAttribute('aria-current', 'page');
    expect(within(nav).getByRole('link', { name: 'Issues' })).not.toHaveAttribute('aria-current');
    expect(within(nav).getByRole('link', { name: 'Settings' })).toHaveAttribute('href', `/projects/${PROJECT_ID}/settings`);
    expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual([
      'Issues',
      'Events',
      'Traces',
      'Monitors',
      'Deployments',
      'Setup',
      'Settings',
    ]);
  });

  it('explains how to send telemetry when the feed is empty', async () => {
    signIn();
    projectApi();
    server.use(http.get('/api/v1/projects/:projectId/events', () => HttpResponse.json({ events: [] })));
    renderApp(`/projects/${PROJECT_ID}/events`);
    expect(await screen.findByText('No events in the last 24 hours')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Set up an SDK/ })).toHaveAttribute('href', `/projects/${PROJECT_ID}/setup`);
  });

  it('offers to clear filters that match nothing, and shows errors with a retry', async () => {
    signIn();
    projectApi();
    let fail = true;
    server.use(
      http.get('/api/v1/projects/:projectId/events', () =>
        fail
          ? errorResponse(500, { error: 'Something went wrong.', code: 'internal', requestId: 'req-9' })
          : HttpResponse.json({ events: [] }),
      ),
    );
    const { router } = renderApp(`/projects/${PROJECT_ID}/events?q=nothing`);
    const user = userEvent.setup();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the events.');
    expect(alert).toHaveTextContent('req-9');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No events match these filters')).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Clear filters' }));
    await waitFor(() => {
      expect(router.state.location.search).toEqual({});
    });
  });

  it('pages with Load more', async () => {
    signIn();
    projectApi();
    server.use(
      http.get('/api/v1/projects/:projectId/events', ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        return cursor === 'c2'
          ? HttpResponse.json({ events: [eventSummaryFactory({ message: 'Older line' })] })
          : HttpResponse.json({ events: [eventSummaryFactory({ message: 'Newer line' })], nextCursor: 'c2' });
      }),
    );
    renderApp(`/projects/${PROJECT_ID}/events`);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Load more' }));
    expect(await screen.findByRole('link', { name: 'Older line' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });
});

describe('event page', () => {
  it('shows the context, the request and the tags', async () => {
    signIn();
    projectApi();
    const event = eventFactory({
      type: 'transaction',
      message: 'POST /checkout',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      durationMs: 1250,
      context: { user: { email: '[REDACTED]' }, cart: { items: 3 } },
      request: { method: 'POST', url: 'https://shop.example.com/checkout', clientIp: '203.0.113.7', headers: { Accept: 'text/html' } },
      tags: { region: 'eu-west-1' },
    });
    server.use(http.get('/api/v1/projects/:projectId/events/:eventId', () => HttpResponse.json(event)));
    renderApp(`/projects/${PROJECT_ID}/events/${event.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'POST /checkout' })).toBeInTheDocument();
    const request = screen.getByRole('region', { name: 'Request' });
    expect(within(request).getByText('https://shop.example.com/checkout')).toBeInTheDocument();
    expect(within(request).getByText('203.0.113.7')).toBeInTheDocument();
    expect(within(request).getByRole('rowheader', { name: 'Accept' })).toBeInTheDocument();
    const context = screen.getByLabelText('Context JSON');
    expect(context).toHaveTextContent('"email": "[REDACTED]"');
    expect(screen.getByText('region')).toBeInTheDocument();
    expect(screen.getByText('eu-west-1')).toBeInTheDocument();
    expect(screen.getByText('1.25 s')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '4bf92f3577b34da6' })).toHaveAttribute(
      'href',
      `/projects/${PROJECT_ID}/traces/4bf92f3577b34da6a3ce929d0e0e4736`,
    );
  });

  it('says when the event does not exist', async () => {
    signIn();
    projectApi();
    server.use(
      http.get('/api/v1/projects/:projectId/events/:eventId', () =>
        errorResponse(404, { error: 'Event not found.', code: 'not_found' }),
      ),
    );
    renderApp(`/projects/${PROJECT_ID}/events/00000000-0000-4000-8000-000000000404`);
    expect(await screen.findByText('This event does not exist')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All events' })).toHaveAttribute('href', `/projects/${PROJECT_ID}/events`);
  });
});
