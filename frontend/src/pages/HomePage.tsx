import { Link } from '@tanstack/react-router';
import { $api } from '../api/client';
import type { components } from '../api/schema.gen';
import { useCurrentUser } from '../auth/session';
import { ErrorNotice } from '../components/ErrorNotice';
import { Icon } from '../components/Icon';
import { SkeletonRows } from '../components/Loading';
import { RelativeTime } from '../components/Time';
import { useDocumentTitle } from '../components/useDocumentTitle';
import { EventsByType } from './dashboard/EventsByType';
import { LevelBadge } from './issues/levels';
import { ProjectList } from './projects/ProjectList';
import '../components/stat-strip.css';
import './dashboard/dashboard.css';

type Dashboard = components['schemas']['Dashboard'];
type DashboardIssue = components['schemas']['DashboardIssue'];
type MonitorCounts = components['schemas']['MonitorCounts'];

/** The signed-in landing page: a summary of all the user's projects. */
export function HomePage() {
  useDocumentTitle('Dashboard');
  const user = useCurrentUser();
  const dashboard = $api.useQuery('get', '/api/v1/dashboard');

  return (
    <div className="page page--wide">
      <div className="page__header">
        <div>
          <h1 className="page__title">Dashboard</h1>
          <p className="page__subtitle">
            Welcome, {user.name}.
            {dashboard.data && dashboard.data.projectCount > 0 && (
              <span>
                {' '}
                {dashboard.data.projectCount === 1 ? 'Your project' : `Your ${String(dashboard.data.projectCount)} projects`} at a
                glance, as of <RelativeTime iso={dashboard.data.generatedAt} />.
              </span>
            )}
          </p>
        </div>
        {dashboard.data && dashboard.data.projectCount > 0 && (
          <Link to="/projects/new" className="btn btn--secondary">
            <Icon name="plus" size={14} /> New project
          </Link>
        )}
      </div>
      {dashboard.isError ? (
        <ErrorNotice title="Could not load the dashboard." error={dashboard.error} onRetry={() => void dashboard.refetch()} />
      ) : !dashboard.data ? (
        <SkeletonRows rows={6} label="Loading the dashboard" />
      ) : dashboard.data.projectCount === 0 ? (
        <NoProjects />
      ) : (
        <DashboardView data={dashboard.data} />
      )}
      <Shortcuts admin={user.admin} />
    </div>
  );
}

/** No active project: the project list (which invites to create one, and lists archived ones). */
function NoProjects() {
  return (
    <section className="card" aria-label="Your projects">
      <ProjectList />
    </section>
  );
}

function DashboardView({ data }: { data: Dashboard }) {
  return (
    <>
      <ul className="stat-cards" aria-label="Issues">
        <StatCard label="Open issues" value={data.openIssues} />
        <StatCard label="New in 24 h" value={data.newIssues24h} tone={data.newIssues24h > 0 ? 'warning' : undefined} />
        <StatCard label="Assigned to me" value={data.assignedToMe} />
        <StatCard label="Unassigned" value={data.unassigned} />
      </ul>
      <div className="dash-grid">
        <section className="card" aria-labelledby="dash-events">
          <h2 id="dash-events" className="card__title">
            Events in the last 24 hours
          </h2>
          <EventsByType counts={data.events24h} />
        </section>
        <section className="card" aria-labelledby="dash-monitors">
          <h2 id="dash-monitors" className="card__title">
            Monitors
          </h2>
          <MonitorSummary counts={data.monitors} />
        </section>
      </div>
      <div className="dash-grid">
        <IssueListCard
          id="dash-assigned"
          title="Assigned to you"
          issues={data.assignedIssues}
          empty="Nothing is assigned to you. Assign yourself an issue from its page."
        />
        <IssueListCard
          id="dash-attention"
          title="Needs attention"
          issues={data.needsAttention}
          empty="No open issues. Errors your applications send appear here."
        />
      </div>
      <ProjectTable projects={data.projects} />
    </>
  );
}

function StatCard({ label, value, tone }: { label: string; value: number; tone?: 'warning' }) {
  return (
    <li className={tone ? `stat-card stat-card--${tone}` : 'stat-card'}>
      <span className="stat-card__label">{label}</span>
      <span className="stat-card__value">{value.toLocaleString()}</span>
    </li>
  );
}

const MONITOR_ROWS: readonly { key: keyof MonitorCounts; label: string }[] = [
  { key: 'error', label: 'Error' },
  { key: 'missed', label: 'Missed' },
  { key: 'ok', label: 'OK' },
];

function MonitorSummary({ counts }: { counts: MonitorCounts }) {
  const active = counts.ok + counts.missed + counts.error;
  if (active === 0) {
    return (
      <p className="muted dash-empty">
        No active monitors. A monitor appears with a job's first check-in (<code>POST /api/v1/check_ins</code>).
      </p>
    );
  }
  return (
    <ul className="stat-strip stat-strip--stacked" aria-label="Monitors by status">
      {MONITOR_ROWS.map((row) => (
        <li key={row.key} className={`stat-strip__item stat-strip__item--${row.key}`}>
          <span className="stat-strip__value">{counts[row.key]}</span>
          <span className="stat-strip__label">{row.label}</span>
        </li>
      ))}
      {counts.paused > 0 && (
        <li className="stat-strip__item stat-strip__item--paused">
          <span className="stat-strip__value">{counts.paused}</span>
          <span className="stat-strip__label">Paused</span>
        </li>
      )}
    </ul>
  );
}

function IssueListCard({ id, title, issues, empty }: { id: string; title: string; issues: readonly DashboardIssue[]; empty: string }) {
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id} className="card__title">
        {title}
      </h2>
      {issues.length === 0 ? (
        <p className="muted dash-empty">{empty}</p>
      ) : (
        <ul className="dash-issues" aria-labelledby={id}>
          {issues.map((issue) => (
            <li key={issue.id} className="dash-issue">
              <Link
                to="/projects/$projectId/issues/$issueId"
                params={{ projectId: issue.project.id, issueId: issue.id }}
                className="dash-issue__title"
              >
                {issue.title}
              </Link>
              <span className="dash-issue__meta small muted">
                <LevelBadge level={issue.level} />
                <span>{issue.project.name}</span>
                <span>
                  <RelativeTime iso={issue.lastSeenAt} />
                </span>
                <span>{issue.occurrenceCount.toLocaleString()} events</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ProjectTable({ projects }: { projects: Dashboard['projects'] }) {
  return (
    <section className="card card--flush dash-projects" aria-labelledby="dash-projects">
      <h2 id="dash-projects" className="card__title dash-projects__title">
        Projects
      </h2>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Project</th>
              <th scope="col" className="num">
                Open issues
              </th>
              <th scope="col" className="num">
                New in 24 h
              </th>
              <th scope="col" className="num">
                Events in 24 h
              </th>
              <th scope="col" className="num">
                Failing monitors
              </th>
              <th scope="col">Last event</th>
            </tr>
          </thead>
          <tbody>
            {projects.map((row) => (
              <tr key={row.project.id}>
                <th scope="row">
                  <Link to="/projects/$projectId/issues" params={{ projectId: row.project.id }}>
                    {row.project.name}
                  </Link>
                </th>
                <td className="num">{row.openIssues.toLocaleString()}</td>
                <td className="num">{row.newIssues24h.toLocaleString()}</td>
                <td className="num">
                  <Link to="/projects/$projectId/events" params={{ projectId: row.project.id }} className="quiet-link">
                    {row.events24h.toLocaleString()}
                  </Link>
                </td>
                <td className="num">
                  {row.failingMonitors > 0 ? (
                    <Link to="/projects/$projectId/monitors" params={{ projectId: row.project.id }} className="badge badge--danger">
                      {row.failingMonitors}
                    </Link>
                  ) : (
                    <span className="muted">0</span>
                  )}
                </td>
                <td className="nowrap">{row.lastEventAt ? <RelativeTime iso={row.lastEventAt} /> : <span className="muted">never</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Shortcuts({ admin }: { admin: boolean }) {
  return (
    <nav aria-label="Shortcuts" className="dash-shortcuts">
      <ul className="shortcuts shortcuts--row">
        <li>
          <Link to="/profile" hash="tokens" className="shortcut">
            <Icon name="key" size={18} />
            <span>
              <strong>Personal access tokens</strong>
              <span>Script the API from your terminal or CI.</span>
            </span>
          </Link>
        </li>
        {admin && (
          <li>
            <Link to="/admin/users" className="shortcut">
              <Icon name="users" size={18} />
              <span>
                <strong>Invite your team</strong>
                <span>Add people and manage their accounts.</span>
              </span>
            </Link>
          </li>
        )}
        <li>
          <a href="/api/docs" className="shortcut">
            <Icon name="book" size={18} />
            <span>
              <strong>API reference</strong>
              <span>Every endpoint this server answers.</span>
            </span>
          </a>
        </li>
      </ul>
    </nav>
  );
}
