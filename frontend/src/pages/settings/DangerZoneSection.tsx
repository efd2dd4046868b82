import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useId, useState } from 'react';
import { $api } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice, Notice } from '../../components/ErrorNotice';
import { Spinner } from '../../components/Loading';
import { formatDateTime } from '../../components/Time';
import { useToast } from '../../components/Toast';
import { SettingsSection } from '../profile/SettingsSection';
import { forgetProject, hasAccess, needsRole, settingsError, useSettingsProject, type Project } from './project';

/** Settings › Danger zone (the owner's): archive or restore the project, or delete it for good. */
export function DangerZoneSection() {
  const project = useSettingsProject();
  if (!hasAccess(project, 'owner')) {
    return (
      <SettingsSection id="danger-zone" title="Danger zone" description="Archiving and deleting the project.">
        <Notice tone="info" title="Not available to you">
          <p>{needsRole(project, 'owner', 'archive, restore or delete it')}</p>
        </Notice>
      </SettingsSection>
    );
  }
  return (
    <>
      <ArchiveSection project={project} />
      <DeleteSection project={project} />
    </>
  );
}

function useSetProject(projectId: string) {
  const queryClient = useQueryClient();
  return async (updated: Project) => {
    queryClient.setQueryData(
      $api.queryOptions('get', '/api/v1/projects/{projectId}', { params: { path: { projectId } } }).queryKey,
      updated,
    );
    await Promise.all([
      invalidatePath(queryClient, '/api/v1/projects'),
      invalidatePath(queryClient, '/api/v1/admin/projects'),
    ]);
  };
}

function ArchiveSection({ project }: { project: Project }) {
  const [asking, setAsking] = useState(false);
  const toast = useToast();
  const setProject = useSetProject(project.id);
  const options = {
    onSuccess: async (updated: Project) => {
      setAsking(false);
      toast({ title: updated.archived ? `${updated.name} is archived` : `${updated.name} is restored` });
      await setProject(updated);
    },
    onError: () => {
      setAsking(false);
    },
  };
  const archive = $api.useMutation('post', '/api/v1/projects/{projectId}/archive', options);
  const restore = $api.useMutation('post', '/api/v1/projects/{projectId}/restore', options);
  const path = { params: { path: { projectId: project.id } } };
  const error = archive.error ?? restore.error;
  const deleting = Boolean(project.deletionRequestedAt);

  return (
    <SettingsSection
      id="archive"
      title={project.archived ? 'Restore' : 'Archive'}
      description={
        project.archived
          ? 'Bring the project back to dashboards. Its old keys stay revoked: create new ones.'
          : 'Hide the project from dashboards and stop ingestion: every API key is revoked at once. Its data stays, and you can restore it.'
      }
    >
      {error && <ErrorNotice title="That did not work." error={settingsError(error)} />}
      {project.archived ? (
        <>
          <p>
            Archived {project.archivedAt ? formatDateTime(project.archivedAt) : ''}.
            {deleting && ' Its deletion has started; delete it again below to finish.'}
          </p>
          <div className="form__actions">
            <button
              type="button"
              className="btn btn--secondary"
              disabled={deleting || restore.isPending}
              onClick={() => { setAsking(true); }}
            >
              Restore project
            </button>
          </div>
        </>
      ) : (
        <div className="form__actions">
          <button type="button" className="btn btn--secondary" disabled={archive.isPending} onClick={() => { setAsking(true); }}>
            Archive project
          </button>
        </div>
      )}
      {asking &&
        (project.archived ? (
          <ConfirmDialog
            title={`Restore ${project.name}?`}
            confirmLabel="Restore project"
            tone="primary"
            pending={restore.isPending}
            onCancel={() => { setAsking(false); }}
            onConfirm={() => { restore.mutate(path); }}
          >
            <p>It shows on dashboards again. Its old API keys stay revoked: create new ones to send events.</p>
          </ConfirmDialog>
        ) : (
          <ConfirmDialog
            title={`Archive ${project.name}?`}
            confirmLabel="Archive project"
            pending={archive.isPending}
            onCancel={() => { setAsking(false); }}
            onConfirm={() => { archive.mutate(path); }}
          >
            <p>
              Every API key of the project is revoked at once, so applications can no longer send to it. Its issues
              stay readable, and you can restore it later.
            </p>
          </ConfirmDialog>
        ))}
    </SettingsSection>
  );
}

function DeleteSection({ project }: { project: Project }) {
  const [asking, setAsking] = useState(false);
  return (
    <SettingsSection
      id="delete"
      title="Delete"
      description="Delete the project with all its issues, events, keys and members. This cannot be undone."
    >
      <div className="form__actions">
        <button type="button" className="btn btn--danger" onClick={() => { setAsking(true); }}>
          Delete project…
        </button>
      </div>
      {asking && <DeleteProjectDialog project={project} onCancel={() => { setAsking(false); }} />}
    </SettingsSection>
  );
}

/** Deleting asks for the project's exact name, typed, before the button works. */
function DeleteProjectDialog({ project, onCancel }: { project: Project; onCancel: () => void }) {
  const inputId = useId();
  const [typed, setTyped] = useState('');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const remove = $api.useMutation('delete', '/api/v1/projects/{projectId}', {
    onSuccess: async () => {
      await navigate({ to: '/' });
      toast({ title: `${project.name} was deleted`, description: 'All its data is gone.' });
      await forgetProject(queryClient, project.id);
    },
  });
  const matches = typed === project.name;
  const pending = remove.isPending;

  return (
    <Dialog title={`Delete ${project.name}?`} busy={pending} onCancel={onCancel}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (matches && !pending) remove.mutate({ params: { path: { projectId: project.id } } });
        }}
      >
        <div className="dialog__body form">
          {remove.isError && <ErrorNotice title="Could not delete the project." error={settingsError(remove.error)} />}
          <p>
            This deletes the project with all its issues, events, API keys, members and invitations, for good. Ingestion
            stops at once.
          </p>
          <div className="field">
            <label className="field__label" htmlFor={inputId}>
              Type <strong>{project.name}</strong> to confirm
            </label>
            <input
              id={inputId}
              className="input"
              autoComplete="off"
              spellCheck={false}
              autoFocus
              value={typed}
              onChange={(event) => { setTyped(event.currentTarget.value); }}
            />
          </div>
        </div>
        <div className="dialog__actions">
          <button type="button" className="btn btn--secondary" onClick={onCancel} disabled={pending}>
            Cancel
          </button>
          <button type="submit" className="btn btn--danger" disabled={!matches || pending}>
            {pending && <Spinner size={14} />}
            Delete this project
          </button>
        </div>
      </form>
    </Dialog>
  );
}
