import { Icon } from '../Icon';

/**
 * SLOT: the project switcher of the top bar. Projects come with the projects API; until then the
 * bar shows where the switcher goes. Replace this component (same name, no props) with the real
 * switcher: a menu of the user's projects (GET /api/v1/projects) that navigates to a project's
 * inbox, plus "All projects" and "New project".
 */
export function ProjectSwitcher() {
  return (
    <span className="project-switcher" aria-label="Project">
      <Icon name="folder" size={15} />
      <span>All projects</span>
    </span>
  );
}
