import { Link, useParams } from '@tanstack/react-router';
import { $api } from '../../api/client';
import { Icon } from '../Icon';
import { Menu } from '../Menu';

/**
 * The project switcher of the top bar: a menu of the user's active projects (each opens its
 * inbox), plus "All projects" and "New project". The button names the current project.
 */
export function ProjectSwitcher() {
  const { projectId } = useParams({ strict: false });
  const projects = $api.useQuery('get', '/api/v1/projects');
  const list = projects.data?.projects ?? [];
  const current = projectId ? list.find((p) => p.id === projectId) : undefined;

  return (
    <Menu
      label="Switch project"
      buttonClassName="project-switcher"
      align="start"
      buttonContent={
        <>
          <Icon name="folder" size={15} />
          <span>{current?.name ?? 'All projects'}</span>
          <Icon name="chevronDown" size={14} />
        </>
      }
    >
      <>
        {list.map((project) => (
          <Link
            key={project.id}
            to="/projects/$projectId/issues"
            params={{ projectId: project.id }}
            role="menuitem"
            className="menu__item"
            aria-current={project.id === projectId ? 'page' : undefined}
          >
            <Icon name={project.id === projectId ? 'check' : 'folder'} /> {project.name}
          </Link>
        ))}
        {list.length > 0 && <div className="menu__separator" role="separator" />}
        <Link to="/" role="menuitem" className="menu__item">
          <Icon name="folder" /> All projects
        </Link>
        <Link to="/projects/new" role="menuitem" className="menu__item">
          <Icon name="plus" /> New project
        </Link>
      </>
    </Menu>
  );
}
