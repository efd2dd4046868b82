import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { $api } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { useCurrentUser } from '../../auth/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice, Notice } from '../../components/ErrorNotice';
import { Form, SubmitButton } from '../../components/form/Form';
import { SelectField, TextField } from '../../components/form/fields';
import { Icon } from '../../components/Icon';
import { SkeletonRows, Spinner } from '../../components/Loading';
import { initials } from '../../components/shell/UserMenu';
import { formatDateTime, RelativeTime } from '../../components/Time';
import { useToast } from '../../components/Toast';
import { SettingsSection } from '../profile/SettingsSection';
import {
  forgetProject,
  hasAccess,
  isMemberRole,
  MEMBER_ROLES,
  needsRole,
  ROLE_LABELS,
  settingsError,
  useSettingsProject,
  type Project,
} from './project';

type Member = components['schemas']['ProjectMember'];
type Invitation = components['schemas']['ProjectInvitation'];

/** What adding an address did: a member at once, or an invitation mailed. */
type AddOutcome = { kind: 'member'; member: Member } | { kind: 'invitation'; invitation: Invitation };

/** Settings › Members: the team, adding and inviting, roles, removing and leaving, pending invitations. */
export function MembersSection() {
  const project = useSettingsProject();
  const canManage = hasAccess(project, 'admin');
  const [outcome, setOutcome] = useState<AddOutcome | null>(null);

  return (
    <>
      <SettingsSection
        id="members"
        stacked
        title="Members"
        description="Viewers read and triage issues; admins also manage settings, members and API keys; the owner also archives and deletes the project."
      >
        {canManage ? (
          <AddMemberForm project={project} onAdded={setOutcome} />
        ) : (
          <Notice tone="info">
            <p>{needsRole(project, 'admin', 'add, remove or change members')}</p>
          </Notice>
        )}
        {outcome && <AddOutcomeNotice outcome={outcome} />}
        <MemberTable project={project} />
      </SettingsSection>
      {canManage && (
        <SettingsSection
          id="invitations"
          stacked
          title="Pending invitations"
          description="Addresses without an account, invited to join. An invitation works once, for 7 days."
        >
          <InvitationTable project={project} />
        </SettingsSection>
      )}
    </>
  );
}

function AddMemberForm({ project, onAdded }: { project: Project; onAdded: (outcome: AddOutcome) => void }) {
  const queryClient = useQueryClient();
  const add = $api.useMutation('post', '/api/v1/projects/{projectId}/members');
  return (
    <div className="subpanel">
      <h3 className="subpanel__title">Add someone</h3>
      <Form
        aria-label="Add a member"
        errorTitle="Could not add them."
        resetOnSuccess
        onSubmit={async (values) => {
          const role = values.string('role');
          try {
            const added = await add.mutateAsync({
              params: { path: { projectId: project.id } },
              body: { email: values.trimmed('email'), role: isMemberRole(role) ? role : 'viewer' },
            });
            if ('user' in added) {
              onAdded({ kind: 'member', member: added });
              await invalidatePath(queryClient, '/api/v1/projects/{projectId}/members');
            } else {
              onAdded({ kind: 'invitation', invitation: added });
              await invalidatePath(queryClient, '/api/v1/projects/{projectId}/invitations');
            }
          } catch (error) {
            throw settingsError(error);
          }
        }}
      >
        <div className="form__inline">
          <TextField
            name="email"
            type="email"
            label="E-mail address"
            autoComplete="off"
            maxLength={254}
            hint="Someone with an account joins at once; anyone else is mailed an invitation."
          />
          <SelectField name="role" label="Role" options={MEMBER_ROLES} defaultValue="viewer" />
          <div className="form__actions">
            <SubmitButton pendingLabel="Adding…">Add member</SubmitButton>
          </div>
        </div>
      </Form>
    </div>
  );
}

function AddOutcomeNotice({ outcome }: { outcome: AddOutcome }) {
  if (outcome.kind === 'member') {
    const { member } = outcome;
    return (
      <Notice tone="success" title={`${member.user.name} was added as ${ROLE_LABELS[member.role].toLowerCase()}`}>
        <p>
          {member.user.email} already had an account, so they are a member now; we told them by e-mail.
        </p>
      </Notice>
    );
  }
  const { invitation } = outcome;
  return (
    <Notice tone="success" title={`Invitation sent to ${invitation.email}`}>
      <p>
        There is no account with this address yet. We mailed an invitation to join as{' '}
        {ROLE_LABELS[invitation.role].toLowerCase()}, valid until {formatDateTime(invitation.expiresAt)}. It is listed
        under pending invitations until it is used.
      </p>
    </Notice>
  );
}

function MemberTable({ project }: { project: Project }) {
  const members = $api.useQuery('get', '/api/v1/projects/{projectId}/members', {
    params: { path: { projectId: project.id } },
  });

  if (members.isPending) return <SkeletonRows label="Loading members" />;
  if (members.isError) {
    return (
      <ErrorNotice
        title="Could not load the members."
        error={settingsError(members.error)}
        onRetry={() => void members.refetch()}
      />
    );
  }

  return (
    <DataTable label="Members" columns={['Member', 'Role', 'Joined']} actions>
      {members.data.members.map((member) => (
        <MemberRow key={member.user.id} project={project} member={member} />
      ))}
    </DataTable>
  );
}

function MemberRow({ project, member }: { project: Project; member: Member }) {
  const me = useCurrentUser();
  const isMe = member.user.id === me.id;
  const isOwner = member.role === 'owner';
  const canManage = hasAccess(project, 'admin');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const [asking, setAsking] = useState<'remove' | 'leave' | null>(null);
  const path = { params: { path: { projectId: project.id, userId: member.user.id } } };

  const changeRole = $api.useMutation('patch', '/api/v1/projects/{projectId}/members/{userId}', {
    onSuccess: async (updated) => {
      toast({ title: `${updated.user.name} is now ${updated.role === 'admin' ? 'an admin' : 'a viewer'}` });
      await invalidatePath(queryClient, '/api/v1/projects/{projectId}/members');
      if (isMe) await invalidatePath(queryClient, '/api/v1/projects');
    },
    onError: (error) => {
      toast({ tone: 'error', title: 'Could not change the role', description: settingsError(error).message });
    },
  });
  const remove = $api.useMutation('delete', '/api/v1/projects/{projectId}/members/{userId}', {
    onSuccess: async () => {
      setAsking(null);
      if (isMe) {
        await navigate({ to: '/' });
        toast({ title: `You left ${project.name}` });
        await forgetProject(queryClient, project.id);
        return;
      }
      toast({ title: `${member.user.name} was removed from ${project.name}` });
      await invalidatePath(queryClient, '/api/v1/projects/{projectId}/members');
    },
    onError: (error) => {
      setAsking(null);
      toast({ tone: 'error', title: isMe ? 'Could not leave the project' : 'Could not remove them', description: settingsError(error).message });
    },
  });

  const roleLabelId = `role-${member.user.id}`;
  const canChangeRole = canManage && !isOwner;
  return (
    <tr>
      <th scope="row">
        <span className="user-cell">
          <span className="avatar" aria-hidden="true">
            {initials(member.user.name, member.user.email)}
          </span>
          <span>
            <span className="user-cell__name">
              {member.user.name}
              {isMe && <span className="muted"> (you)</span>}
            </span>
            <span className="user-cell__email">{member.user.email}</span>
          </span>
        </span>
      </th>
      <td>
        {canChangeRole ? (
          <span className="form__actions">
            <label htmlFor={roleLabelId} className="visually-hidden">
              Role of {member.user.email}
            </label>
            <select
              id={roleLabelId}
              className="input select"
              value={member.role}
              disabled={changeRole.isPending}
              onChange={(event) => {
                const role = event.currentTarget.value;
                if (isMemberRole(role)) changeRole.mutate({ ...path, body: { role } });
              }}
            >
              <option value="viewer">Viewer</option>
              <option value="admin">Admin</option>
            </select>
            {changeRole.isPending && <Spinner size={14} />}
          </span>
        ) : (
          <span className={isOwner ? 'badge badge--accent' : 'badge'}>{ROLE_LABELS[member.role]}</span>
        )}
      </td>
      <td>
        <RelativeTime iso={member.addedAt} />
      </td>
      <td className="table__actions">
        {isMe && !isOwner ? (
          <button type="button" className="btn btn--ghost btn--small btn--danger-text" onClick={() => { setAsking('leave'); }}>
            Leave project
          </button>
        ) : (
          canManage &&
          !isOwner && (
            <button
              type="button"
              className="btn btn--ghost btn--small btn--danger-text"
              aria-label={`Remove ${member.user.email}`}
              onClick={() => { setAsking('remove'); }}
            >
              Remove
            </button>
          )
        )}
        {asking === 'remove' && (
          <ConfirmDialog
            title={`Remove ${member.user.name}?`}
            confirmLabel="Remove member"
            pending={remove.isPending}
            onCancel={() => { setAsking(null); }}
            onConfirm={() => { remove.mutate(path); }}
          >
            <p>
              {member.user.email} loses access to {project.name} at once, and their issue assignments in it are cleared.
              You can add them again later.
            </p>
          </ConfirmDialog>
        )}
        {asking === 'leave' && (
          <ConfirmDialog
            title={`Leave ${project.name}?`}
            confirmLabel="Leave project"
            pending={remove.isPending}
            onCancel={() => { setAsking(null); }}
            onConfirm={() => { remove.mutate(path); }}
          >
            <p>You lose access to its issues at once. To come back, an admin must add you again.</p>
          </ConfirmDialog>
        )}
      </td>
    </tr>
  );
}

function InvitationTable({ project }: { project: Project }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const invitations = $api.useQuery('get', '/api/v1/projects/{projectId}/invitations', {
    params: { path: { projectId: project.id } },
  });
  const revoke = $api.useMutation('delete', '/api/v1/projects/{projectId}/invitations/{invitationId}', {
    onSuccess: async () => {
      toast({ title: 'Invitation withdrawn', description: 'Its link no longer works.' });
      setRevoking(null);
      await invalidatePath(queryClient, '/api/v1/projects/{projectId}/invitations');
    },
    onError: (error) => {
      setRevoking(null);
      toast({ tone: 'error', title: 'Could not withdraw the invitation', description: settingsError(error).message });
    },
  });

  if (invitations.isPending) return <SkeletonRows label="Loading invitations" />;
  if (invitations.isError) {
    return (
      <ErrorNotice
        title="Could not load the invitations."
        error={settingsError(invitations.error)}
        onRetry={() => void invitations.refetch()}
      />
    );
  }
  if (invitations.data.invitations.length === 0) {
    return (
      <EmptyState icon="mail" title="No pending invitations">
        <p>Add an address without an account above to invite it.</p>
      </EmptyState>
    );
  }

  return (
    <>
      <DataTable label="Pending invitations" columns={['Address', 'Role', 'Invited by', 'Expires']} actions>
        {invitations.data.invitations.map((invitation) => (
          <tr key={invitation.id}>
            <th scope="row">{invitation.email}</th>
            <td>
              <span className="badge">{ROLE_LABELS[invitation.role]}</span>
            </td>
            <td>{invitation.invitedBy ? invitation.invitedBy.name : <span className="muted">—</span>}</td>
            <td>
              <RelativeTime iso={invitation.expiresAt} />
            </td>
            <td className="table__actions">
              <button
                type="button"
                className="btn btn--ghost btn--small btn--danger-text"
                aria-label={`Withdraw the invitation of ${invitation.email}`}
                onClick={() => { setRevoking(invitation); }}
              >
                <Icon name="x" size={14} /> Withdraw
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      {revoking && (
        <ConfirmDialog
          title={`Withdraw the invitation of ${revoking.email}?`}
          confirmLabel="Withdraw invitation"
          pending={revoke.isPending}
          onCancel={() => { setRevoking(null); }}
          onConfirm={() => {
            revoke.mutate({ params: { path: { projectId: project.id, invitationId: revoking.id } } });
          }}
        >
          <p>The link we mailed stops working. You can invite the address again later.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
