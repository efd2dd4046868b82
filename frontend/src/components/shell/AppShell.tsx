import { Link, Outlet } from '@tanstack/react-router';
import { useInstance } from '../../api/instance';
import { useSession } from '../../auth/session';
import { ThemeToggle } from '../../theme/ThemeToggle';
import { Icon, LogoMark } from '../Icon';
import { ProjectNav } from './ProjectNav';
import { ProjectSwitcher } from './ProjectSwitcher';
import { UserMenu } from './UserMenu';

/** The signed-in app: the top bar, then the page. */
export function AppShell() {
  const instance = useInstance();
  const signedIn = Boolean(useSession().data);
  const name = instance.data?.name ?? 'Logister';
  // The route guard let us in signed in; when the session ends meanwhile (sign-out, expiry), the
  // app is on its way to the sign-in page: render nothing rather than pages without a user.
  if (!signedIn) return null;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar__start">
          <Link to="/" className="brand">
            <LogoMark size={24} />
            <span className="brand__name">{name}</span>
          </Link>
          <span className="topbar__divider" aria-hidden="true">
            /
          </span>
          <ProjectSwitcher />
        </div>
        <nav className="topbar__end" aria-label="Account">
          <a className="topbar__link" href="/api/docs">
            <Icon name="book" /> <span>API reference</span>
          </a>
          <ThemeToggle />
          <UserMenu />
        </nav>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <ProjectNav />
        <Outlet />
      </main>
    </>
  );
}
