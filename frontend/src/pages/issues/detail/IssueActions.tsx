import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { $api, api, asApiError } from '../../../api/client';
import { invalidatePath } from '../../../api/queries';
import type { components } from '../../../api/schema.gen';
import { useCurrentUser } from '../../../auth/session';
import { Icon } from '../../../components/Icon';
import { Spinner } from '../../../components/Loading';
import { Menu } from '../../../components/Menu';
import { useToast } from '../../../components/Toast';
import { IGNORE_OPTIONS } from './snooze';

type Issue = components['schemas']['Issue'];
type IssueStatus = components['schemas']['IssueStatus'];
type SetIssueStatusRequest = components['schemas']['SetIssueStatusRequest'];
type UserSummary = components['schemas']['UserSummary'];

const ACTIONS: readonly { status: IssueStatus; label: string; done: string; when: (s: IssueStatus) => boolean }[] = [
  { status: 'resolved', label: 'Resolve', done: 'Issue resolved', when: (s) => s === 'unresolved' },
  { status: 'archived', label: 'Archive', done: 'Issue archived', when: (s) => s !== 'archived' },
  { status: 'unresolved', label: 'Reopen', done: 'Issue reopened', when: (s) => s !== 'unresolved' },
];

/**
 * The issue's triage actions: Resolve, Ignore (forever, or snoozed for a while or until more
 * occurrences), Archive or Reopen; assigning (to oneself, or anyone of the project through the
 * picker); and the JSON export.
 */
export function IssueActions({ projectId, issue }: { projectId: string; issue: Issue }) {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const toast = useToast();
  const path = { projectId, issueId: issue.id };
  const refresh = () => invalidatePath(queryClient, '/api/v1/projects/{projectId}/issues');
  const onError = (title: string) => (error: unknown) => {
    toast({ tone: 'error', title, description: asApiError(error).message });
  };
  const setStatus = $api.useMutation('post', '/api/v1/projects/{projectId}/issues/{issueId}/status', {
    onError: onError('Could not change the status'),
  });
  const setAssignee = $api.useMutation('put', '/api/v1/projects/{projectId}/issues/{issueId}/assignee', {
    onError: onError('Could not change the assignee'),
  });
  const busy = setStatus.isPending || setAssignee.isPending;
  const assignedToMe = issue.assignee?.id === me.id;

  const changeStatus = (body: SetIssueStatusRequest, done: string) => {
    setStatus.mutate(
      { params: { path }, body },
      {
        onSuccess: () => {
          toast({ title: done });
          void refresh();
        },
      },
    );
  };
  const assign = (user: Pick<UserSummary, 'id' | 'name'> | null) => {
    setAssignee.mutate(
      { params: { path }, body: { userId: user ? user.id : null } },
      {
        onSuccess: () => {
          toast({
            title: user === null ? 'Issue unassigned' : user.id === me.id ? 'Issue assigned to you' : `Issue assigned to ${user.name}`,
          });
          void refresh();
        },
      },
    );
  };
  const statusButton = (action: (typeof ACTIONS)[number]) => (
    <button
      key={action.status}
      type="button"
      className={action.status === 'resolved' ? 'btn btn--primary' : 'btn btn--secondary'}
      disabled={busy}
      onClick={() => { changeStatus({ status: action.status }, action.done); }}
    >
      {action.label}
    </button>
  );
  const [resolve, archive, reopen] = ACTIONS;

  return (
    <div className="issue-actions" role="group" aria-label="Issue actions">
      {resolve?.when(issue.status) && statusButton(resolve)}
      {issue.status === 'unresolved' && (
        <div className="split-button">
          <button
            type="button"
            className="btn btn--secondary split-button__main"
            disabled={busy}
            onClick={() => { changeStatus({ status: 'ignored' }, 'Issue ignored'); }}
          >
            Ignore
          </button>
          <Menu
            label="Ignore for a while"
            align="start"
            buttonClassName="btn btn--secondary split-button__more"
            buttonContent={<Icon name="chevronDown" size={14} />}
          >
            {IGNORE_OPTIONS.map((option, index) => (
              <Fragment key={option.label}>
                {index === 1 && (
                  <>
                    <div className="menu__separator" role="separator" />
                    <p className="menu__header muted small">Reopen by itself</p>
                  </>
                )}
                <button
                  type="button"
                  role="menuitem"
                  className="menu__item"
                  disabled={busy}
                  onClick={() => { changeStatus(option.body(Date.now()), option.done); }}
                >
                  {option.label}
                </button>
              </Fragment>
            ))}
          </Menu>
        </div>
      )}
      {archive?.when(issue.status) && statusButton(archive)}
      {reopen?.when(issue.status) && statusButton(reopen)}
      <span className="issue-actions__divider" aria-hidden="true" />
      <button
        type="button"
        className="btn btn--ghost"
        disabled={busy}
        onClick={() => { assign(assignedToMe ? null : { id: me.id, name: me.name }); }}
      >
        <Icon name="user" size={14} /> {assignedToMe ? 'Unassign' : 'Assign to me'}
      </button>
      <Menu
        label={`Assignee: ${issue.assignee?.name ?? 'nobody'}`}
        buttonClassName="btn btn--secondary assignee-button"
        buttonContent={
          <>
            <Icon name="users" size={14} />
            <span className="assignee-button__label">Assignee:</span>
            <span className="assignee-button__name">{issue.assignee?.name ?? 'nobody'}</span>
            <Icon name="chevronDown" size={14} />
          </>
        }
      >
        <AssigneeItems projectId={projectId} issue={issue} meId={me.id} busy={busy} onAssign={assign} />
      </Menu>
      <ExportButton projectId={projectId} issueId={issue.id} />
    </div>
  );
}

/** The assignee picker's items: me, nobody, then the project's owner and members (loaded when it opens). */
function AssigneeItems({
  projectId,
  issue,
  meId,
  busy,
  onAssign,
}: {
  projectId: string;
  issue: Issue;
  meId: string;
  busy: boolean;
  onAssign: (user: Pick<UserSummary, 'id' | 'name'> | null) => void;
}) {
  const members = $api.useQuery('get', '/api/v1/projects/{projectId}/members', { params: { path: { projectId } } });
  const project = $api.useQuery('get', '/api/v1/projects/{projectId}', { params: { path: { projectId } } });
  const people: UserSummary[] = [];
  const seen = new Set<string>();
  for (const user of [project.data?.owner, ...(members.data?.members.map((m) => m.user) ?? [])]) {
    if (user && !seen.has(user.id)) {
      seen.add(user.id);
      people.push(user);
    }
  }
  const roles = new Map(members.data?.members.map((m) => [m.user.id, m.role]));
  if (project.data?.owner) roles.set(project.data.owner.id, 'owner');
  const current = issue.assignee?.id;

  return (
    <>
      {current !== meId && (
        <button type="button" role="menuitem" className="menu__item" disabled={busy} onClick={() => { onAssign({ id: meId, name: '' }); }}>
          <Icon name="user" size={14} /> Assign to me
        </button>
      )}
      {current !== undefined && (
        <button type="button" role="menuitem" className="menu__item" disabled={busy} onClick={() => { onAssign(null); }}>
          <Icon name="x" size={14} /> Unassign
        </button>
      )}
      <div className="menu__separator" role="separator" />
      {members.isPending ? (
        <p className="menu__header muted small" role="status">
          <Spinner size={12} /> Loading the team…
        </p>
      ) : members.isError ? (
        <p className="menu__header small field__error" role="alert">
          Could not load the team: {asApiError(members.error).message}
        </p>
      ) : (
        people.map((user) => (
          <button
            key={user.id}
            type="button"
            role="menuitem"
            className="menu__item"
            disabled={busy}
            onClick={() => { onAssign(user); }}
          >
            <Icon name={user.id === current ? 'check' : 'user'} size={14} />
            <span className="assignee-item">
              <span>
                {user.name}
                {user.id === meId && <span className="muted"> (you)</span>}
                {user.id === current && <span className="visually-hidden"> (assigned)</span>}
              </span>
              <span className="muted small">
                {user.email}
                {roles.get(user.id) ? ` · ${roles.get(user.id) ?? ''}` : ''}
              </span>
            </span>
          </button>
        ))
      )}
    </>
  );
}

/** The file name from a Content-Disposition header (`attachment; filename="x.json"`), if any. */
export function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain filename
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim();
}

/** Saves a Blob under a file name through a temporary link, as a browser download. */
function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL by now; free it a little later for slow browsers.
  setTimeout(() => { URL.revokeObjectURL(url); }, 60_000);
}

/** Downloads the issue as JSON (with its latest 50 occurrences), under the server's file name. */
function ExportButton({ projectId, issueId }: { projectId: string; issueId: string }) {
  const toast = useToast();
  const [pending, setPending] = useState(false);
  const download = async () => {
    setPending(true);
    try {
      const { data, response } = await api.GET('/api/v1/projects/{projectId}/issues/{issueId}/export', {
        params: { path: { projectId, issueId }, query: { includeOccurrences: true } },
        parseAs: 'blob',
      });
      if (!data) throw new Error('The export was empty.');
      saveBlob(data, fileNameOf(response.headers.get('Content-Disposition')) ?? `logister-error-${issueId}.json`);
      toast({ title: 'Export downloaded' });
    } catch (error) {
      toast({ tone: 'error', title: 'Could not export the issue', description: asApiError(error).message });
    } finally {
      setPending(false);
    }
  };
  return (
    <button type="button" className="btn btn--ghost" disabled={pending} onClick={() => void download()}>
      {pending ? <Spinner size={14} /> : <Icon name="book" size={14} />} Export JSON
    </button>
  );
}
