import type { ReactNode } from 'react';
import { Icon } from '../../components/Icon';

/** The heading of a project page: the project's name above the title, and a line about the page. */
export function PageHeader({
  project,
  title,
  children,
  actions,
}: {
  project: string | undefined;
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="page__header">
      <div>
        <p className="page__eyebrow">
          <Icon name="folder" size={14} /> {project ?? 'Project'}
        </p>
        <h1 className="page__title">{title}</h1>
        {children && <p className="view-lead">{children}</p>}
      </div>
      {actions}
    </div>
  );
}
