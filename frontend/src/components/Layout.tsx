import { Link, Outlet } from '@tanstack/react-router';
import { $api } from '../api/client';

const FALLBACK_NAME = 'Logister';

export function Layout() {
  // Shares its cache entry with the home page: one request serves both.
  const instance = $api.useQuery('get', '/api/v1/instance');
  const name = instance.data?.name ?? FALLBACK_NAME;

  return (
    <>
      <header className="site-header">
        <div className="container site-header__inner">
          <Link to="/" className="site-header__name">
            {name}
          </Link>
          <nav aria-label="Main">
            <a href="/api/docs">API reference</a>
          </nav>
        </div>
      </header>
      <main className="container">
        <Outlet />
      </main>
      <footer className="site-footer">
        <div className="container">
          Logister{instance.data ? ` ${instance.data.version}` : ''} · self-hosted error monitoring
        </div>
      </footer>
    </>
  );
}
