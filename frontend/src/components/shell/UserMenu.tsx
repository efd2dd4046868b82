import { Link } from '@tanstack/react-router';
import { useCurrentUser } from '../../auth/session';
import { useSignOut } from '../../auth/useSignOut';
import { Icon } from '../Icon';
import { Menu } from '../Menu';

/** Up to two initials of a name ("Ada Lovelace" → "AL"), else of the e-mail address. */
export function initials(name: string, email: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 0 ? words.slice(0, 2).map((w) => w[0] ?? '') : [email[0] ?? '?'];
  return letters.join('').toUpperCase();
}

export function UserMenu() {
  const user = useCurrentUser();
  const signOut = useSignOut();
  return (
    <Menu
      label={`Account menu for ${user.name}`}
      buttonClassName="user-button"
      buttonContent={
        <>
          <span className="avatar" aria-hidden="true">
            {initials(user.name, user.email)}
          </span>
          <span className="user-button__name">{user.name}</span>
          <Icon name="chevronDown" size={14} />
        </>
      }
    >
      <>
          <div className="menu__header" role="none">
            <p className="menu__name">{user.name}</p>
            <p className="menu__email">{user.email}</p>
          </div>
          <Link to="/profile" role="menuitem" className="menu__item">
            <Icon name="user" /> Profile and tokens
          </Link>
          {user.admin && (
            <Link to="/admin/users" role="menuitem" className="menu__item">
              <Icon name="shield" /> Instance admin
            </Link>
          )}
          <div className="menu__separator" role="separator" />
          <button
            type="button"
            role="menuitem"
            className="menu__item"
            disabled={signOut.isPending}
            onClick={() => { signOut.mutate(); }}
          >
            <Icon name="logOut" /> Sign out
          </button>
      </>
    </Menu>
  );
}
