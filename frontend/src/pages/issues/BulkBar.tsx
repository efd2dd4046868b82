import type { components } from '../../api/schema.gen';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Loading';
import { Menu } from '../../components/Menu';
import { ignoreCommand, SNOOZES, type BulkCommand } from './bulk';

type ProjectMember = components['schemas']['ProjectMember'];
type User = components['schemas']['User'];

/**
 * The actions on the selected issues, floating at the bottom of the window while any are selected:
 * resolve, ignore (with a snooze), archive, reopen, assign, unassign. `onAction` gets the request
 * and how the toast should name the detail ("for 1 hour", "to Grace").
 */
export function BulkBar({
  count,
  pending,
  me,
  members,
  membersLoading,
  onAction,
  onClear,
}: {
  count: number;
  pending: boolean;
  me: User;
  members: readonly ProjectMember[];
  membersLoading: boolean;
  onAction: (command: BulkCommand, detail?: string) => void;
  onClear: () => void;
}) {
  const others = members.filter((m) => m.user.id !== me.id);
  const button = (label: string, command: BulkCommand, primary = false) => (
    <button
      type="button"
      className={primary ? 'btn btn--primary btn--small' : 'btn btn--secondary btn--small'}
      disabled={pending}
      onClick={() => { onAction(command); }}
    >
      {label}
    </button>
  );

  return (
    <section className="bulk-bar" aria-label="Bulk actions">
      <p className="bulk-bar__count">
        {pending ? <Spinner size={14} /> : null}
        <strong>{count}</strong> selected
      </p>
      <div className="bulk-bar__actions">
        {button('Resolve', { action: 'resolve' }, true)}
        <Menu
          label="Ignore"
          align="start"
          buttonClassName="btn btn--secondary btn--small"
          buttonContent={
            <>
              Ignore <Icon name="chevronDown" size={14} />
            </>
          }
        >
          {SNOOZES.map((snooze) => (
            <button
              key={snooze.label}
              type="button"
              role="menuitem"
              className="menu__item"
              disabled={pending}
              onClick={() => { onAction(ignoreCommand(snooze, Date.now()), snooze.phrase); }}
            >
              {snooze.label}
            </button>
          ))}
        </Menu>
        {button('Archive', { action: 'archive' })}
        {button('Reopen', { action: 'reopen' })}
        <Menu
          label="Assign to…"
          align="start"
          buttonClassName="btn btn--secondary btn--small"
          buttonContent={
            <>
              <Icon name="user" size={14} /> Assign <Icon name="chevronDown" size={14} />
            </>
          }
        >
          <button
            type="button"
            role="menuitem"
            className="menu__item"
            disabled={pending}
            onClick={() => { onAction({ action: 'assign', userId: me.id }, 'to you'); }}
          >
            <Icon name="user" size={14} /> Assign to me
          </button>
          {(others.length > 0 || membersLoading) && <div className="menu__separator" role="separator" />}
          {membersLoading && (
            <p className="menu__item muted" aria-live="polite">
              Loading the team…
            </p>
          )}
          {others.map((m) => (
            <button
              key={m.user.id}
              type="button"
              role="menuitem"
              className="menu__item bulk-bar__member"
              disabled={pending}
              onClick={() => { onAction({ action: 'assign', userId: m.user.id }, `to ${m.user.name}`); }}
            >
              <span>{m.user.name}</span>{' '}
              <span className="small muted">{m.user.email}</span>
            </button>
          ))}
        </Menu>
        {button('Unassign', { action: 'unassign' })}
      </div>
      <button type="button" className="icon-button" aria-label="Clear the selection" onClick={onClear}>
        <Icon name="x" size={16} />
      </button>
    </section>
  );
}
