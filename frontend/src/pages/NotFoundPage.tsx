import { Link, useLocation } from '@tanstack/react-router';
import { Icon, LogoMark } from '../components/Icon';
import { useDocumentTitle } from '../components/useDocumentTitle';

/** Any path the app does not know, signed in or not. */
export function NotFoundPage() {
  useDocumentTitle('Page not found');
  const pathname = useLocation({ select: (location) => location.pathname });
  return (
    <div className="auth">
      <header className="auth__header">
        <Link to="/" className="brand" aria-label="Home">
          <LogoMark size={28} />
        </Link>
      </header>
      <main id="main" className="auth__main">
        <section className="auth-card empty" aria-labelledby="not-found-heading">
          <span className="empty__icon">
            <Icon name="search" size={22} />
          </span>
          <h1 id="not-found-heading" className="auth-card__title">
            Page not found
          </h1>
          <p className="muted">
            There is no page at <code>{pathname}</code>.
          </p>
          <Link to="/" className="btn btn--primary">
            Go to the home page
          </Link>
        </section>
      </main>
    </div>
  );
}
