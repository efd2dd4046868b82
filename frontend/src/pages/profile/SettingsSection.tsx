import type { ReactNode } from 'react';

/** A settings block: title and explanation on the left, the form on the right (stacked when narrow). */
export function SettingsSection({
  id,
  title,
  description,
  actions,
  stacked = false,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** Title above a full-width body, for tables. */
  stacked?: boolean;
  children: ReactNode;
}) {
  const headingId = `${id}-heading`;
  return (
    <section id={id} className={stacked ? 'settings-section settings-section--stacked' : 'settings-section'} aria-labelledby={headingId}>
      <div className="settings-section__intro">
        <h2 id={headingId} className="settings-section__title">
          {title}
        </h2>
        {description && <p className="settings-section__description">{description}</p>}
        {actions}
      </div>
      <div className="card settings-section__body">{children}</div>
    </section>
  );
}
