import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { $api, asApiError } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { useCurrentUser } from '../../auth/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Form, SubmitButton } from '../../components/form/Form';
import { TextField } from '../../components/form/fields';
import { Icon } from '../../components/Icon';
import { SkeletonRows, Spinner } from '../../components/Loading';
import { Menu } from '../../components/Menu';
import { initials } from '../../components/shell/UserMenu';
import { RelativeTime } from '../../components/Time';
import { useToast } from '../../components/Toast';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { DebouncedSearch } from '../../lists/filters';
import { LoadMore } from '../../lists/LoadMore';
import { adminUsersOptions } from './queries';

type User = components['schemas']['User'];

const routeApi = getRouteApi('/_app/admin/users');

const SEARCH_DELAY_MS = 250;

/** `/admin/users`: every account, searchable, with what an administrator can do to each. */
export function UsersPage() {
  useDocumentTitle('Users');
  const { q } = routeApi.useSearch();
  const navigate = useNavigate();
  const [inviting, setInviting] = useState(false);

  return (
    <>
      <div className="toolbar">
        <DebouncedSearch
          id="user-search"
          label="Search users"
          placeholder="Search by name or e-mail"
          maxLength={254}
          delayMs={SEARCH_DELAY_MS}
          value={q}
          onCommit={(value) => {
            void navigate({ to: '/admin/users', search: value ? { q: value } : {}, replace: true });
          }}
        />
        {!inviting && (
          <button type="button" className="btn btn--primary" onClick={() => { setInviting(true); }}>
            <Icon name="mail" size={14} /> Invite someone
          </button>
        )}
      </div>
      {inviting && <InviteForm onClose={() => { setInviting(false); }} />}
      <UserTable q={q} />
    </>
  );
}

function InviteForm({ onClose }: { onClose: () => void }) {
  const toast = useToast();
  const invite = $api.useMutation('post', '/api/v1/admin/invitations');
  return (
    <div className="card subpanel">
      <h2 className="subpanel__title">Invite someone</h2>
      <p className="muted small">
        They get a link to create their account, valid for 7 days, whatever the sign-up mode. Without SMTP, find the
        link in the mail outbox.
      </p>
      <Form
        aria-label="Invite someone"
        errorTitle="Could not send the invitation."
        resetOnSuccess
        onSubmit={async (values) => {
          const invitation = await invite.mutateAsync({ body: { email: values.trimmed('email') } });
          toast({ title: `Invitation sent to ${invitation.email}` });
          onClose();
        }}
      >
        <div className="form__inline">
          <TextField name="email" type="email" label="E-mail address" autoComplete="off" maxLength={254} autoFocus />
          <div className="form__actions">
            <SubmitButton pendingLabel="Sending…">Send invitation</SubmitButton>
            <button type="button" className="btn btn--ghost" onClick={onClose}>
              Cancel
            </button>
          </div>
        </div>
      </Form>
    </div>
  );
}

function UserTable({ q }: { q: string | undefined }) {
  // While a new search loads, keep showing the previous results rather than a skeleton.
  const users = useInfiniteQuery({ ...adminUsersOptions(q), placeholderData: keepPreviousData });

  if (users.isPending) return <SkeletonRows rows={5} label="Loading users" />;
  if (users.isError) {
    return <ErrorNotice title="Could not load the users." error={users.error} onRetry={() => void users.refetch()} />;
  }
  const rows = users.data.pages.flatMap((page) => page.users);
  if (rows.length === 0) {
    return (
      <div className="card">
        <EmptyState icon="users" title={q ? `No user matches “${q}”` : 'No users yet'}>
          {q && <p>Search looks in names and e-mail addresses.</p>}
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="card card--flush">
      <DataTable columns={['User', 'Status', 'Joined', 'Last sign-in']} actions>
        {rows.map((user) => (
          <UserRow key={user.id} user={user} />
        ))}
      </DataTable>
      <LoadMore query={users} label="Load more users" />
    </div>
  );
}

function StatusBadges({ user }: { user: User }) {
  return (
    <span className="badges">
      {user.disabled ? (
        <span className="badge badge--danger">Disabled</span>
      ) : user.confirmed ? (
        <span className="badge badge--success">Active</span>
      ) : (
        <span className="badge badge--warning">Unconfirmed</span>
      )}
      {user.admin && <span className="badge badge--accent">Admin</span>}
      {user.pendingEmail && (
        <span className="badge" title={`Changing to ${user.pendingEmail}`}>
          E-mail change pending
        </span>
      )}
    </span>
  );
}

type Action = 'confirm' | 'resend' | 'disable' | 'enable' | 'delete';

function UserRow({ user }: { user: User }) {
  const me = useCurrentUser();
  const isMe = me.id === user.id;
  const queryClient = useQueryClient();
  const toast = useToast();
  const [asking, setAsking] = useState<'disable' | 'delete' | null>(null);

  const options = {
    onError: (error: unknown) => {
      setAsking(null);
      toast({ tone: 'error', title: 'The action failed', description: asApiError(error).message });
    },
  };
  const refresh = () => invalidatePath(queryClient, '/api/v1/admin/users');
  const confirm = $api.useMutation('post', '/api/v1/admin/users/{userId}/confirm', options);
  const resend = $api.useMutation('post', '/api/v1/admin/users/{userId}/resend-confirmation', options);
  const disable = $api.useMutation('post', '/api/v1/admin/users/{userId}/disable', options);
  const enable = $api.useMutation('post', '/api/v1/admin/users/{userId}/enable', options);
  const remove = $api.useMutation('delete', '/api/v1/admin/users/{userId}', options);
  // Administrators cannot disable or delete themselves; the API refuses it too.
  const hasActions = !user.confirmed || user.disabled || !isMe;
  const pending = confirm.isPending || resend.isPending || disable.isPending || enable.isPending || remove.isPending;

  async function run(action: Action) {
    const init = { params: { path: { userId: user.id } } };
    switch (action) {
      case 'confirm':
        await confirm.mutateAsync(init);
        toast({ title: `${user.email} is confirmed` });
        break;
      case 'resend':
        await resend.mutateAsync(init);
        toast({ title: `A new confirmation link is on its way to ${user.email}` });
        break;
      case 'disable':
        await disable.mutateAsync(init);
        toast({ title: `${user.name} is disabled`, description: 'Their sessions and tokens stopped working.' });
        break;
      case 'enable':
        await enable.mutateAsync(init);
        toast({ title: `${user.name} is enabled again` });
        break;
      case 'delete':
        await remove.mutateAsync(init);
        toast({ title: `${user.name} is deleted` });
        break;
    }
    setAsking(null);
    await refresh();
  }

  const act = (action: Action) => {
    run(action).catch(() => undefined); // errors are shown by the mutations' onError
  };

  return (
    <tr>
      <th scope="row">
        <span className="user-cell">
          <span className="avatar" aria-hidden="true">
            {initials(user.name, user.email)}
          </span>
          <span>
            <span className="user-cell__name">
              {user.name}
              {isMe && <span className="muted"> (you)</span>}
            </span>
            <span className="user-cell__email">{user.email}</span>
          </span>
        </span>
      </th>
      <td>
        <StatusBadges user={user} />
      </td>
      <td>
        <RelativeTime iso={user.createdAt} />
      </td>
      <td>{user.lastSignInAt ? <RelativeTime iso={user.lastSignInAt} /> : <span className="muted">Never</span>}</td>
      <td className="table__actions">
        {pending ? (
          <Spinner />
        ) : !hasActions ? null : (
          <Menu
            label={`Actions for ${user.email}`}
            buttonClassName="icon-button"
            buttonContent={<span aria-hidden="true">•••</span>}
          >
            <>
                {!user.confirmed && (
                  <>
                    <button type="button" role="menuitem" className="menu__item" onClick={() => { act('confirm'); }}>
                      <Icon name="check" /> Confirm address
                    </button>
                    <button type="button" role="menuitem" className="menu__item" onClick={() => { act('resend'); }}>
                      <Icon name="mail" /> Resend confirmation
                    </button>
                  </>
                )}
                {user.disabled ? (
                  <button type="button" role="menuitem" className="menu__item" onClick={() => { act('enable'); }}>
                    <Icon name="refresh" /> Enable
                  </button>
                ) : (
                  !isMe && (
                    <button type="button" role="menuitem" className="menu__item" onClick={() => { setAsking('disable'); }}>
                      <Icon name="x" /> Disable…
                    </button>
                  )
                )}
                {!isMe && (
                  <button
                    type="button"
                    role="menuitem"
                    className="menu__item menu__item--danger"
                    onClick={() => { setAsking('delete'); }}
                  >
                    <Icon name="alert" /> Delete…
                  </button>
                )}
            </>
          </Menu>
        )}
        {asking === 'disable' && (
          <ConfirmDialog
            title={`Disable ${user.name}?`}
            confirmLabel="Disable user"
            pending={disable.isPending}
            onCancel={() => { setAsking(null); }}
            onConfirm={() => { act('disable'); }}
          >
            <p>
              {user.email} can no longer sign in; their sessions end and their personal access tokens are revoked at
              once. You can enable them again later, but revoked tokens stay revoked.
            </p>
          </ConfirmDialog>
        )}
        {asking === 'delete' && (
          <ConfirmDialog
            title={`Delete ${user.name}?`}
            confirmLabel="Delete user"
            pending={remove.isPending}
            onCancel={() => { setAsking(null); }}
            onConfirm={() => { act('delete'); }}
          >
            <p>
              This deletes {user.email} with their sessions and tokens. It cannot be undone. A user who still owns
              projects cannot be deleted.
            </p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}
