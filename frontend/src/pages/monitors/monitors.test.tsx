import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema.gen';
import { monitorFactory, projectFactory } from '../../test/factories';
import { renderApp } from '../../test/renderApp';
import { errorResponse, server, signIn } from '../../test/server';

type Monitor = components['schemas']['Monitor'];
type Access = components['schemas']['Project']['access'];

const PROJECT_ID = '00000000-0000-4000-8000-00000000e003';

function api(access: Access, monitors: Monitor[]) {
  const calls: { action: string; monitorId: string; csrf: string | null }[] = [];
  let current = monitors;
  const counts = () => ({
    ok: current.filter((m) => m.status === 'ok').length,
    missed: current.filter((m) => m.status === 'missed').length,
    error: current.filter((m) => m.status === 'error').length,
    paused: current.filter((m) => m.status === 'paused').length,
  });
  server.use(
    http.get('/api/v1/projects/:projectId', () =>
      HttpResponse.json(projectFactory({ id: PROJECT_ID, name: 'Shop', access, role: access })),
    ),
    http.get('/api/v1/projects/:projectId/monitors', () => HttpResponse.json({ monitors: current, counts: counts() })),
    http.post('/api/v1/projects/:projectId/monitors/:monitorId/:action', ({ params, request }) => {
      const action = String(params.action);
      const monitorId = String(params.monitorId);
      calls.push({ action, monitorId, csrf: request.headers.get('X-CSRF-Token') });
      current = current.map((m) =>
        m.id === monitorId
          ? { ...m, status: action === 'pause' ? 'paused' : 'ok', pausedAt: action === 'pause' ? '2026-01-16T12:00:00Z' : undefined }
          : m,
      );
      const monitor = current.find((m) => m.id === monitorId);
      return HttpResponse.json(monitor);
    }),
  );
  return calls;
}

describe('monitors', () => {
  it('pauses and resumes a monitor for an admin, with toasts', async () => {
    signIn();
    const billing = monitorFactory({ slug: 'nightly-billing', status: 'error', lastStatus: 'error', lastErrorAt: '2026-01-16T09:00:00Z' });
    const backup = monitorFactory({ slug: 'backup', status: 'paused', pausedAt: '2026-01-16T08:00:00Z' });
    const calls = api('admin', [billing, backup]);
    renderApp(`/projects/${PROJECT_ID}/monitors`);
    const user = userEvent.setup();

    const counts = await screen.findByRole('list', { name: 'Monitors by status' });
    expect(within(counts).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['1Error', '0Missed', '0OK', '1Paused']);
    const row = screen.getByRole('row', { name: /nightly-billing/ });
    expect(within(row).getByText('Error')).toHaveClass('badge--danger');
    expect(within(row).getByText('every 1 h')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Pause nightly-billing' }));
    expect(await screen.findByText('Paused nightly-billing')).toBeInTheDocument();
    expect(calls).toEqual([{ action: 'pause', monitorId: billing.id, csrf: 'csrf-token-1' }]);
    expect(await screen.findByRole('button', { name: 'Resume nightly-billing' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Resume backup' }));
    expect(await screen.findByText('Resumed backup')).toBeInTheDocument();
    expect(calls.at(-1)).toEqual({ action: 'resume', monitorId: backup.id, csrf: 'csrf-token-1' });
  });

  it('hides pause and resume from viewers', async () => {
    signIn();
    api('viewer', [monitorFactory({ slug: 'nightly-billing' })]);
    renderApp(`/projects/${PROJECT_ID}/monitors`);
    expect(await screen.findByRole('row', { name: /nightly-billing/ })).toBeInTheDocument();
    expect(await screen.findByText('Project admins and the owner can pause and resume monitors.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Pause|Resume/ })).not.toBeInTheDocument();
  });

  it('shows a failed pause as an error toast', async () => {
    signIn();
    api('owner', [monitorFactory({ slug: 'nightly-billing' })]);
    server.use(
      http.post('/api/v1/projects/:projectId/monitors/:monitorId/pause', () =>
        errorResponse(403, { error: 'Only project admins may do this.', code: 'forbidden' }),
      ),
    );
    renderApp(`/projects/${PROJECT_ID}/monitors`);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Pause nightly-billing' }));
    expect(await screen.findByText('Could not pause nightly-billing')).toBeInTheDocument();
    expect(screen.getByText('Only project admins may do this.')).toBeInTheDocument();
  });

  it('explains check-ins when there are no monitors', async () => {
    signIn();
    api('owner', []);
    renderApp(`/projects/${PROJECT_ID}/monitors`);
    expect(await screen.findByText('No monitors yet')).toBeInTheDocument();
    await waitFor(() => {
      expect(screen.getByRole('link', { name: /Get an ingest key/ })).toHaveAttribute('href', `/projects/${PROJECT_ID}/setup`);
    });
  });
});
