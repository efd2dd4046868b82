import { getRouteApi, Link, Outlet } from '@tanstack/react-router';
import { asApiError } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon, type IconName } from '../../components/Icon';
import { PageLoading } from '../../components/RouteStates';
import { useProjectPage } from '../../components/useProjectPage';
import { ROLE_LABELS, SettingsProjectContext } from './project';
import './settings.css';

const routeApi = getRouteApi('/_app/projects/$projectId/settings');

type SectionPath =
  | '/projects/$projectId/settings'
  | '/projects/$projectId/settings/members'
  | '/projects/$projectId/settings/api-keys'
  | '/projects/$projectId/settings/danger-zone';

const SECTIONS: readonly { to: SectionPath; label: string; icon: IconName; exact?: boolean }[] = [
  { to: '/projects/$projectId/settings', label: 'General', icon: 'folder', exact: true },
  { to: '/projects/$projectId/settings/members', label: 'Members', icon: 'users' },
  { to: '/projects/$projectId/settings/api-keys', label: 'API keys', icon: 'key' },
  { to: '/projects/$projectId/settings/danger-zone', label: 'Danger zone', icon: 'alert' },
];

/**
 * `/projects/:projectId/settings/*`: the project's name and description, team, ingest keys and
 * its archiving or deletion, one tab each. What the caller's role does not allow is shown read-only
 * or not at all, with the reason.
 */
export function SettingsLayout() {
  const { projectId } = routeApi.useParams();
  const project = useProjectPage(projectId, 'Settings');

  if (project.isPending) return <PageLoading />;
  if (project.isError) {
    const error = asApiError(project.error);
    if (error.status === 404) {
      return (
        <div className="page">
          <div className="card">
            <EmptyState
              icon="folder"
              title="No such project"
              action={
                <Link to="/" className="btn btn--secondary">
                  Go to your projects
                </Link>
              }
            >
              <p>It was deleted, or you are not a member of it.</p>
            </EmptyState>
          </div>
        </div>
      );
    }
    return (
      <div className="page">
        <ErrorNotice title="Could not load the project." error={error} onRetry={() => void project.refetch()} />
      </div>
    );
  }

  const data = project.data;
  return (
    <SettingsProjectContext.Provider value={data}>
      <div className="page page--narrow settings-page">
        <div className="page__header page__header--tabs">
          <div>
            <p className="page__eyebrow">
              <Icon name="folder" size={14} /> {data.name}
            </p>
            <h1 className="page__title">
              Settings{' '}
              {data.archived && <span className="badge badge--warning">Archived</span>}
            </h1>
            <p className="page__subtitle">
              {data.role ? (
                <>
                  Your role: <span className="badge">{ROLE_LABELS[data.role]}</span>
                </>
              ) : (
                <>
                  <span className="badge badge--accent">Instance admin</span> You manage it as its owner would.
                </>
              )}
            </p>
            <nav className="tabs" aria-label="Settings sections">
              {SECTIONS.map((section) => (
                <Link
                  key={section.to}
                  to={section.to}
                  params={{ projectId }}
                  className="tabs__tab"
                  activeOptions={{ exact: section.exact ?? false }}
                  activeProps={{ className: 'is-active', 'aria-current': 'page' }}
                >
                  <Icon name={section.icon} size={15} />
                  {section.label}
                </Link>
              ))}
            </nav>
          </div>
        </div>
        <Outlet />
      </div>
    </SettingsProjectContext.Provider>
  );
}
