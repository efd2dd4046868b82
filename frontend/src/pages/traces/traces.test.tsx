import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { eventSummaryFactory, spanFactory, traceFactory, projectFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server, signIn } from '../../test/server';
import { barGeometry, indentRem, kindTone, MAX_INDENT_DEPTH, MIN_BAR_PCT, waterfallRows } from './waterfall';

const PROJECT_ID = '00000000-0000-4000-8000-00000000e002';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

function projectApi() {
  server.use(
    http.get('/api/v1/projects/:projectId', () => HttpResponse.json(projectFactory({ id: PROJECT_ID, name: 'Shop' }))),
  );
}

describe('waterfall geometry', () => {
  it('places a bar by its offset and duration relative to the trace', () => {
    expect(barGeometry(0, 200, 200)).toEqual({ leftPct: 0, widthPct: 100 });
    expect(barGeometry(50, 100, 200)).toEqual({ leftPct: 25, widthPct: 50 });
    expect(barGeometry(3.1, 12.5, 182.4)).toEqual({ leftPct: 1.7, widthPct: 6.853 });
  });

  it('keeps bars visible and inside the axis', () => {
    // An instant span gets the minimum width.
    expect(barGeometry(100, 0, 200)).toEqual({ leftPct: 50, widthPct: MIN_BAR_PCT });
    // An instant span at the very end is pulled back inside.
    expect(barGeometry(200, 0, 200)).toEqual({ leftPct: 100 - MIN_BAR_PCT, widthPct: MIN_BAR_PCT });
    // A span that outlasts the trace (clock skew) is clipped.
    expect(barGeometry(150, 400, 200)).toEqual({ leftPct: 0, widthPct: 100 });
    expect(barGeometry(-5, 10, 100)).toEqual({ leftPct: 0, widthPct: 10 });
    // A trace of zero duration fills the axis.
    expect(barGeometry(0, 0, 0)).toEqual({ leftPct: 0, widthPct: 100 });
  });

  it('indents by depth up to a limit and flags orphans', () => {
    expect(indentRem(0)).toBe(0);
    expect(indentRem(3)).toBe(3);
    expect(indentRem(40)).toBe(MAX_INDENT_DEPTH);
    const root = spanFactory({ spanId: 'a', name: 'root' });
    const child = spanFactory({ spanId: 'b', parentSpanId: 'a', depth: 1, offsetMs: 10, durationMs: 50 });
    const orphan = spanFactory({ spanId: 'c', parentSpanId: 'gone', depth: 0, offsetMs: 150, durationMs: 50 });
    const rows = waterfallRows([root, child, orphan], 200);
    expect(rows.map((r) => r.orphan)).toEqual([false, false, true]);
    expect(rows.map((r) => r.indent)).toEqual([0, 1, 0]);
    expect(rows[1]?.bar).toEqual({ leftPct: 5, widthPct: 25 });
    expect(kindTone('DB')).toBe('db');
    expect(kindTone('something')).toBe('other');
  });
});

describe('trace page', () => {
  it('draws the waterfall, shows a span on select, links errors to their issues', async () => {
    signIn();
    projectApi();
    const spans = [
      spanFactory({ spanId: 'a', name: 'GET /checkout', kind: 'server', durationMs: 200 }),
      spanFactory({
        spanId: 'b',
        parentSpanId: 'a',
        name: 'SELECT orders',
        kind: 'db',
        depth: 1,
        offsetMs: 50,
        durationMs: 100,
        attributes: { 'db.statement': 'SELECT * FROM orders', password: '[REDACTED]' },
      }),
      spanFactory({ spanId: 'c', parentSpanId: 'lost', name: 'late job', kind: 'queue', status: 'error', offsetMs: 150, durationMs: 50 }),
    ];
    const issueId = '00000000-0000-4000-8000-0000000015e0';
    const trace = traceFactory({
      traceId: TRACE_ID,
      durationMs: 200,
      spans,
      truncated: true,
      errors: [eventSummaryFactory({ type: 'error', level: 'error', message: 'TypeError: boom', issueId })],
    });
    server.use(http.get('/api/v1/projects/:projectId/traces/:traceId', () => HttpResponse.json(trace)));
    renderApp(`/projects/${PROJECT_ID}/traces/${TRACE_ID}`);
    const user = userEvent.setup();

    const list = await screen.findByRole('list', { name: 'Spans' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows).toHaveLength(3);
    const bars = within(list).getAllByTestId('span-bar');
    expect(bars[0]).toHaveStyle({ left: '0%', width: '100%' });
    expect(bars[1]).toHaveStyle({ left: '25%', width: '50%' });
    expect(bars[2]).toHaveStyle({ left: '75%', width: '25%' });
    expect(bars[1]).toHaveClass('span-bar--db');
    expect(bars[2]).toHaveClass('span-bar--error');
    const labels = rows.map((row) => row.querySelector('.span-row__label'));
    expect(labels[0]).toHaveStyle({ paddingLeft: '0.75rem' });
    expect(labels[1]).toHaveStyle({ paddingLeft: '1.75rem' });
    expect(labels[2]).toHaveStyle({ paddingLeft: '0.75rem' });
    const orphanRow = rows[2];
    if (!orphanRow) throw new Error('no third row');
    expect(within(orphanRow).getByText('orphan')).toBeInTheDocument();
    expect(within(rows[0] ?? orphanRow).queryByText('orphan')).not.toBeInTheDocument();

    expect(screen.getByText('This trace is truncated')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'TypeError: boom' })).toHaveAttribute(
      'href',
      `/projects/${PROJECT_ID}/issues/${issueId}`,
    );

    const second = within(list).getByRole('button', { name: /SELECT orders/ });
    expect(second).toHaveAccessibleDescription('SELECT orders: starts at +50 ms, lasts 100 ms');
    await user.click(second);
    expect(second).toHaveAttribute('aria-pressed', 'true');
    const detail = screen.getByRole('region', { name: 'SELECT orders' });
    expect(within(detail).getByLabelText('Span attributes')).toHaveTextContent('"password": "[REDACTED]"');
    await user.click(within(detail).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('region', { name: 'SELECT orders' })).not.toBeInTheDocument();
  });

  it('says when the trace has no spans', async () => {
    signIn();
    projectApi();
    server.use(
      http.get('/api/v1/projects/:projectId/traces/:traceId', () =>
        errorResponse(404, { error: 'Trace not found.', code: 'not_found' }),
      ),
    );
    renderApp(`/projects/${PROJECT_ID}/traces/${TRACE_ID}`);
    expect(await screen.findByText('No spans with this trace id')).toBeInTheDocument();
  });
});

describe('traces list', () => {
  it('lists traces, filters through the URL', async () => {
    signIn();
    projectApi();
    const seen: URLSearchParams[] = [];
    server.use(
      http.get('/api/v1/projects/:projectId/traces', ({ request }) => {
        seen.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          traces: [{ traceId: TRACE_ID, name: 'GET /checkout', kind: 'server', status: 'ok', startedAt: '2026-01-16T10:00:00Z', durationMs: 182.4 }],
        });
      }),
    );
    const { router } = renderApp(`/projects/${PROJECT_ID}/traces?period=30d`);
    const user = userEvent.setup();
    expect(await screen.findByRole('link', { name: 'GET /checkout' })).toHaveAttribute(
      'href',
      `/projects/${PROJECT_ID}/traces/${TRACE_ID}`,
    );
    expect(seen[0]?.get('period')).toBe('30d');
    await user.type(screen.getByLabelText('Search traces'), 'checkout');
    await waitFor(() => {
      expect(router.state.location.search).toEqual({ period: '30d', q: 'checkout' });
    });
    await waitFor(() => {
      expect(seen.at(-1)?.get('q')).toBe('checkout');
    });
    const nav = screen.getByRole('navigation', { name: 'Project' });
    expect(within(nav).getByRole('link', { name: 'Traces' })).toHaveAttribute('aria-current', 'page');
  });
});
