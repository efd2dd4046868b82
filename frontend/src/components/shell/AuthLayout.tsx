import { Link, Outlet } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useInstance } from '../../api/instance';
import { ThemeToggle } from '../../theme/ThemeToggle';
import { LogoMark } from '../Icon';

/** The signed-out pages: the instance's name above one centred card. */
export function AuthLayout() {
  const instance = useInstance();
  const name = instance.data?.name ?? 'Logister';
  return (
    <div className="auth">
      <header className="auth__header">
        <Link to="/" className="brand">
          <LogoMark size={28} />
          <span className="brand__name">{name}</span>
        </Link>
      </header>
      <main id="main" className="auth__main">
        <Outlet />
      </main>
      <footer className="auth__footer">
        <span>
          Logister{instance.data ? ` ${instance.data.version}` : ''} · self-hosted error monitoring
        </span>
        <a href="/api/docs">API reference</a>
        <ThemeToggle />
      </footer>
    </div>
  );
}

/** One auth page's card: a heading, an optional lead sentence, the content, and links below. */
export function AuthCard({
  title,
  lead,
  children,
  footer,
}: {
  title: string;
  lead?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <>
      <section className="auth-card" aria-labelledby="auth-card-title">
        <h1 id="auth-card-title" className="auth-card__title">
          {title}
        </h1>
        {lead && <p className="auth-card__lead">{lead}</p>}
        {children}
      </section>
      {footer && <div className="auth-card__footer">{footer}</div>}
    </>
  );
}
