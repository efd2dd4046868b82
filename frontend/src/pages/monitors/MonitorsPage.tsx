import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { $api, api, asApiError } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { SkeletonRows, Spinner } from '../../components/Loading';
import { formatDateTime, RelativeTime } from '../../components/Time';
import { useToast } from '../../components/Toast';
import { useProjectPage } from '../../components/useProjectPage';
import { formatInterval } from '../events/format';
import { PageHeader } from '../events/parts';
import '../../components/stat-strip.css';
import '../events/telemetry.css';

type Monitor = components['schemas']['Monitor'];
type MonitorStatus = components['schemas']['MonitorStatus'];
type MonitorCounts = components['schemas']['MonitorCounts'];

const routeApi = getRouteApi('/_app/projects/$projectId/monitors');

/** Each status: its label, badge tone and what it means. */
export const MONITOR_STATUSES: Record<MonitorStatus, { label: string; tone: string; hint: string }> = {
  error: { label: 'Error', tone: 'badge--danger', hint: 'the last check-in reported an error' },
  missed: { label: 'Missed', tone: 'badge--warning', hint: 'no check-in within its interval and grace' },
  ok: { label: 'OK', tone: 'badge--success', hint: 'checking in on time' },
  paused: { label: 'Paused', tone: '', hint: 'raises no alert' },
};

const ORDER: readonly MonitorStatus[] = ['error', 'missed', 'ok', 'paused'];

export function MonitorStatusBadge({ status }: { status: MonitorStatus }) {
  const { label, tone } = MONITOR_STATUSES[status];
  return <span className={`badge ${tone}`}>{label}</span>;
}

/** `/projects/:projectId/monitors`: check-in monitors with their computed status. */
export function MonitorsPage() {
  const { projectId } = routeApi.useParams();
  const project = useProjectPage(projectId, 'Monitors');
  const monitors = $api.useQuery('get', '/api/v1/projects/{projectId}/monitors', { params: { path: { projectId } } });
  const canManage = project.data?.access === 'admin' || project.data?.access === 'owner';

  return (
    <div className="page page--wide">
      <PageHeader project={project.data?.name} title="Monitors">
        Cron jobs and heartbeats that check in. A monitor is missed when no check-in arrives within its interval
        plus grace.
      </PageHeader>
      {monitors.isError ? (
        <ErrorNotice title="Could not load the monitors." error={monitors.error} onRetry={() => void monitors.refetch()} />
      ) : !monitors.data ? (
        <SkeletonRows rows={4} label="Loading monitors" />
      ) : monitors.data.monitors.length === 0 ? (
        <div className="card">
          <EmptyState
            icon="refresh"
            title="No monitors yet"
            action={
              <Link to="/projects/$projectId/setup" params={{ projectId }} className="btn btn--primary">
                <Icon name="key" size={14} /> Get an ingest key
              </Link>
            }
          >
            <p>
              A monitor appears with its first check-in: <code>POST /api/v1/check_ins</code> with a slug, a status (
              <code>ok</code> or <code>error</code>) and the expected interval, from the end of each run of your job.
            </p>
          </EmptyState>
        </div>
      ) : (
        <>
          <StatusCounts counts={monitors.data.counts} />
          <div className="card card--flush">
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Monitors, most urgent first</caption>
                <thead>
                  <tr>
                    <th scope="col">Monitor</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last check-in</th>
                    <th scope="col">Interval</th>
                    <th scope="col">Next expected</th>
                    <th scope="col" className="num">
                      Check-ins
                    </th>
                    {canManage && (
                      <th scope="col" className="table__actions">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {monitors.data.monitors.map((monitor) => (
                    <MonitorRow key={monitor.id} projectId={projectId} monitor={monitor} canManage={canManage} />
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          {!canManage && project.data && (
            <p className="muted small view-footnote">Project admins and the owner can pause and resume monitors.</p>
          )}
        </>
      )}
    </div>
  );
}

function StatusCounts({ counts }: { counts: MonitorCounts }) {
  return (
    <ul className="stat-strip" aria-label="Monitors by status">
      {ORDER.map((status) => (
        <li key={status} className={`stat-strip__item stat-strip__item--${status}`}>
          <span className="stat-strip__value">{counts[status]}</span>
          <span className="stat-strip__label">{MONITOR_STATUSES[status].label}</span>
        </li>
      ))}
    </ul>
  );
}

function MonitorRow({ projectId, monitor, canManage }: { projectId: string; monitor: Monitor; canManage: boolean }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const paused = monitor.status === 'paused';
  const toggle = useMutation({
    mutationFn: async () => {
      const params = { params: { path: { projectId, monitorId: monitor.id } } };
      const { data } = paused
        ? await api.POST('/api/v1/projects/{projectId}/monitors/{monitorId}/resume', params)
        : await api.POST('/api/v1/projects/{projectId}/monitors/{monitorId}/pause', params);
      return data;
    },
    onSuccess: async () => {
      toast({
        title: paused ? `Resumed ${monitor.slug}` : `Paused ${monitor.slug}`,
        description: paused ? 'It alerts again when a check-in is missed or fails.' : 'It raises no alert until resumed.',
      });
      await Promise.all([
        invalidatePath(queryClient, '/api/v1/projects/{projectId}/monitors'),
        invalidatePath(queryClient, '/api/v1/dashboard'),
      ]);
    },
    onError: (error) => {
      toast({ tone: 'error', title: `Could not ${paused ? 'resume' : 'pause'} ${monitor.slug}`, description: asApiError(error).message });
    },
  });
  return (
    <tr>
      <th scope="row">
        <span className="monitor-name">{monitor.slug}</span>
        <span className="small muted">{monitor.environment}</span>
      </th>
      <td>
        <MonitorStatusBadge status={monitor.status} />
        {monitor.status === 'error' && monitor.lastErrorAt && (
          <span className="small muted monitor-sub">
            error <RelativeTime iso={monitor.lastErrorAt} />
          </span>
        )}
        {paused && monitor.pausedAt && (
          <span className="small muted monitor-sub">
            since <RelativeTime iso={monitor.pausedAt} />
          </span>
        )}
      </td>
      <td>
        <RelativeTime iso={monitor.lastCheckInAt} />{' '}
        <span className="small muted">({monitor.lastStatus})</span>
      </td>
      <td>
        every {formatInterval(monitor.expectedIntervalSeconds)}
        <span className="small muted monitor-sub">grace {formatInterval(monitor.graceSeconds)}</span>
      </td>
      <td title={formatDateTime(monitor.nextExpectedAt)}>
        {paused ? <span className="muted">–</span> : <RelativeTime iso={monitor.nextExpectedAt} />}
      </td>
      <td className="num">{monitor.checkInCount}</td>
      {canManage && (
        <td className="table__actions">
          <button
            type="button"
            className="btn btn--secondary btn--small"
            disabled={toggle.isPending}
            aria-label={`${paused ? 'Resume' : 'Pause'} ${monitor.slug}`}
            onClick={() => { toggle.mutate(); }}
          >
            {toggle.isPending && <Spinner size={12} />}
            {paused ? 'Resume' : 'Pause'}
          </button>
        </td>
      )}
    </tr>
  );
}
