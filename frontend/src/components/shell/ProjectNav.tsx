import { Link, useParams } from '@tanstack/react-router';

/** The project's sections, in the order of the tab bar. */
export const PROJECT_SECTIONS = [
  { to: '/projects/$projectId/issues', label: 'Issues' },
  { to: '/projects/$projectId/events', label: 'Events' },
  { to: '/projects/$projectId/traces', label: 'Traces' },
  { to: '/projects/$projectId/monitors', label: 'Monitors' },
  { to: '/projects/$projectId/deployments', label: 'Deployments' },
  { to: '/projects/$projectId/setup', label: 'Setup' },
  { to: '/projects/$projectId/settings', label: 'Settings' },
] as const;

/**
 * The tab bar of a project, shown above every `/projects/$projectId/...` page (the app shell
 * renders it whenever the route has a project): one link per section; the current one (or the
 * one a detail page belongs to, such as an issue of Issues) has `aria-current="page"`.
 */
export function ProjectNav() {
  const { projectId } = useParams({ strict: false });
  if (!projectId) return null;
  return (
    <nav className="project-nav" aria-label="Project">
      <div className="project-nav__inner">
        {PROJECT_SECTIONS.map((section) => (
          <Link
            key={section.to}
            to={section.to}
            params={{ projectId }}
            className="project-nav__tab"
            activeOptions={{ includeSearch: false }}
          >
            {section.label}
          </Link>
        ))}
      </div>
    </nav>
  );
}
