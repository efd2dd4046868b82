import { getRouteApi, Link, Outlet } from '@tanstack/react-router';
import { EmptyState } from '../../components/EmptyState';
import { Icon, type IconName } from '../../components/Icon';
import { useDocumentTitle } from '../../components/useDocumentTitle';

const routeApi = getRouteApi('/_app/admin');

const TABS: readonly {
  to: '/admin/users' | '/admin/mail' | '/admin/projects' | '/admin/instance';
  label: string;
  icon: IconName;
}[] = [
  { to: '/admin/users', label: 'Users', icon: 'users' },
  { to: '/admin/mail', label: 'Mail outbox', icon: 'mail' },
  { to: '/admin/projects', label: 'Projects & rate limits', icon: 'folder' },
  { to: '/admin/instance', label: 'Instance', icon: 'server' },
];

/** `/admin/*`: instance administration, with its tabs. */
export function AdminLayout() {
  const isAdmin = routeApi.useRouteContext({ select: (context) => context.isAdmin });
  if (!isAdmin) return <NoAccess />;
  return (
    <div className="page">
      <div className="page__header page__header--tabs">
        <div>
          <p className="page__eyebrow">
            <Icon name="shield" size={14} /> Instance admin
          </p>
          <nav className="tabs" aria-label="Admin sections">
            {TABS.map((tab) => (
              <Link key={tab.to} to={tab.to} className="tabs__tab" activeProps={{ className: 'is-active', 'aria-current': 'page' }}>
                <Icon name={tab.icon} size={15} />
                {tab.label}
              </Link>
            ))}
          </nav>
        </div>
      </div>
      <Outlet />
    </div>
  );
}

function NoAccess() {
  useDocumentTitle('No access');
  return (
    <div className="page">
      <div className="card">
        <EmptyState
          icon="shield"
          title="You do not have access to this page"
          action={
            <Link to="/" className="btn btn--secondary">
              Go to the home page
            </Link>
          }
        >
          <p>Only instance administrators can open the admin pages.</p>
        </EmptyState>
      </div>
    </div>
  );
}
