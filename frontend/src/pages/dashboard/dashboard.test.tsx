import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import type { components } from '../../api/schema.gen';
import { issueSummaryFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { emptyDashboard, errorResponse, server, signIn } from '../../test/server';
import { eventsByTypeOption, type ChartPalette } from './eventsByType';

// ECharts draws nothing in jsdom: the chart is stubbed by an image with its label; pixels are
// left to the browser tests.
vi.mock('./EChart', () => ({
  default: ({ label }: { label: string }) => <div role="img" aria-label={label} data-chart-ready="true" />,
}));

type Dashboard = components['schemas']['Dashboard'];

const SHOP = { id: '00000000-0000-4000-8000-00000000d001', name: 'Shop', slug: 'shop' };
const BLOG = { id: '00000000-0000-4000-8000-00000000d002', name: 'Blog', slug: 'blog' };

function dashboard(overrides: Partial<Dashboard> = {}): Dashboard {
  return {
    ...emptyDashboard,
    projectCount: 2,
    openIssues: 12,
    newIssues24h: 3,
    assignedToMe: 2,
    unassigned: 7,
    events24h: { error: 5, log: 120, metric: 0, transaction: 40, checkIn: 6 },
    monitors: { ok: 3, missed: 1, error: 1, paused: 2 },
    assignedIssues: [{ ...issueSummaryFactory({ title: 'TypeError: cart is undefined' }), project: SHOP }],
    needsAttention: [
      { ...issueSummaryFactory({ title: 'KeyError: slug' }), project: BLOG },
      { ...issueSummaryFactory({ title: 'TypeError: cart is undefined' }), project: SHOP },
    ],
    projects: [
      { project: SHOP, openIssues: 10, newIssues24h: 2, events24h: 150, failingMonitors: 2, lastEventAt: '2026-01-16T10:00:00Z' },
      { project: BLOG, openIssues: 2, newIssues24h: 1, events24h: 21, failingMonitors: 0 },
    ],
    ...overrides,
  };
}

const PALETTE: ChartPalette = {
  text: '#111',
  muted: '#555',
  border: '#ddd',
  surface: '#fff',
  series: { error: '#e00', log: '#00e', metric: '#0ee', transaction: '#0e0', checkIn: '#ee0' },
};

describe('eventsByTypeOption', () => {
  it('draws one coloured bar per type, top to bottom in display order', () => {
    const option = eventsByTypeOption({ error: 5, log: 120, metric: 0, transaction: 40, checkIn: 6 }, PALETTE, false);
    expect(option.animation).toBe(false);
    expect(option.yAxis).toMatchObject({ data: ['Check-ins', 'Transactions', 'Metrics', 'Logs', 'Errors'] });
    const series = Array.isArray(option.series) ? option.series[0] : option.series;
    expect(series?.data).toEqual([
      { value: 6, itemStyle: { color: '#ee0', borderRadius: 3 } },
      { value: 40, itemStyle: { color: '#0e0', borderRadius: 3 } },
      { value: 0, itemStyle: { color: '#0ee', borderRadius: 3 } },
      { value: 120, itemStyle: { color: '#00e', borderRadius: 3 } },
      { value: 5, itemStyle: { color: '#e00', borderRadius: 3 } },
    ]);
  });
});

describe('dashboard', () => {
  it('sums up every project: cards, events by type, monitors, issue lists and the project table', async () => {
    signIn({ name: 'Grace Hopper' });
    const data = dashboard();
    server.use(http.get('/api/v1/dashboard', () => HttpResponse.json(data)));
    renderApp('/');

    const cards = await screen.findByRole('list', { name: 'Issues' });
    expect(within(cards).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Open issues12',
      'New in 24 h3',
      'Assigned to me2',
      'Unassigned7',
    ]);
    const byType = screen.getByRole('list', { name: 'Events in the last 24 hours by type' });
    expect(within(byType).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Errors5',
      'Logs120',
      'Metrics0',
      'Transactions40',
      'Check-ins6',
    ]);
    expect(await screen.findByRole('img', { name: /Events in the last 24 hours by type: Errors 5, Logs 120/ })).toBeInTheDocument();
    const monitors = screen.getByRole('list', { name: 'Monitors by status' });
    expect(within(monitors).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['1Error', '1Missed', '3OK', '2Paused']);

    const assigned = screen.getByRole('region', { name: 'Assigned to you' });
    const assignedIssue = data.assignedIssues[0];
    expect(within(assigned).getByRole('link', { name: 'TypeError: cart is undefined' })).toHaveAttribute(
      'href',
      `/projects/${SHOP.id}/issues/${assignedIssue?.id ?? ''}`,
    );
    const attention = screen.getByRole('region', { name: 'Needs attention' });
    expect(within(attention).getAllByRole('listitem')).toHaveLength(2);
    expect(within(attention).getByText('Blog')).toBeInTheDocument();

    const table = screen.getByRole('region', { name: 'Projects' });
    const shopRow = within(table).getByRole('row', { name: /Shop/ });
    expect(within(shopRow).getByRole('link', { name: 'Shop' })).toHaveAttribute('href', `/projects/${SHOP.id}/issues`);
    expect(within(shopRow).getByRole('link', { name: '2' })).toHaveAttribute('href', `/projects/${SHOP.id}/monitors`);
    const blogRow = within(table).getByRole('row', { name: /Blog/ });
    expect(within(blogRow).getByText('never')).toBeInTheDocument();
    expect(screen.getByText(/Your 2 projects at a glance/)).toBeInTheDocument();
  });

  it('says so when nothing happened and nothing is assigned', async () => {
    signIn();
    server.use(
      http.get('/api/v1/dashboard', () =>
        HttpResponse.json(
          dashboard({
            events24h: { error: 0, log: 0, metric: 0, transaction: 0, checkIn: 0 },
            monitors: { ok: 0, missed: 0, error: 0, paused: 0 },
            assignedIssues: [],
            needsAttention: [],
          }),
        ),
      ),
    );
    renderApp('/');
    expect(await screen.findByText('No events in the last 24 hours.')).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: /Events in the last 24 hours/ })).not.toBeInTheDocument();
    expect(screen.getByText(/No active monitors/)).toBeInTheDocument();
    expect(screen.getByText(/Nothing is assigned to you/)).toBeInTheDocument();
    expect(screen.getByText(/No open issues/)).toBeInTheDocument();
  });

  it('offers to create a project to a user without any', async () => {
    signIn();
    renderApp('/');
    expect(await screen.findByText('Create your first project')).toBeInTheDocument();
    const projects = screen.getByRole('region', { name: 'Your projects' });
    for (const link of within(projects).getAllByRole('link', { name: 'New project' })) {
      expect(link).toHaveAttribute('href', '/projects/new');
    }
    expect(screen.queryByRole('list', { name: 'Issues' })).not.toBeInTheDocument();
  });

  it('shows a failed load with a retry', async () => {
    signIn();
    server.use(
      http.get('/api/v1/dashboard', () => errorResponse(500, { error: 'Something went wrong.', code: 'internal', requestId: 'req-d' })),
    );
    renderApp('/');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not load the dashboard.');
    expect(within(alert).getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
