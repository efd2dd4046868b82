import { Link } from '@tanstack/react-router';
import { useCurrentUser } from '../auth/session';
import { Icon } from '../components/Icon';
import { useDocumentTitle } from '../components/useDocumentTitle';
import { ProjectList } from './projects/ProjectList';

/** The signed-in landing page. */
export function HomePage() {
  useDocumentTitle('Projects');
  const user = useCurrentUser();
  return (
    <div className="page">
      <div className="page__header">
        <div>
          <h1 className="page__title">Projects</h1>
          <p className="page__subtitle">Welcome, {user.name}.</p>
        </div>
      </div>
      <div className="home">
        <section className="card" aria-labelledby="projects-heading">
          <h2 id="projects-heading" className="visually-hidden">
            Your projects
          </h2>
          <ProjectList />
        </section>
        <aside className="home__aside" aria-label="Shortcuts">
          <ul className="shortcuts">
            <li>
              <Link to="/profile" hash="tokens" className="shortcut">
                <Icon name="key" size={18} />
                <span>
                  <strong>Personal access tokens</strong>
                  <span>Script the API from your terminal or CI.</span>
                </span>
              </Link>
            </li>
            {user.admin && (
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
        </aside>
      </div>
    </div>
  );
}
