import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon';

/** What a list shows when it has nothing: an icon, a sentence, and what to do next. */
export function EmptyState({
  icon = 'folder',
  title,
  children,
  action,
}: {
  icon?: IconName;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
}) {
  return (
    <div className="empty">
      <span className="empty__icon">
        <Icon name={icon} size={22} />
      </span>
      <p className="empty__title">{title}</p>
      {children && <div className="empty__text">{children}</div>}
      {action && <div className="empty__action">{action}</div>}
    </div>
  );
}
