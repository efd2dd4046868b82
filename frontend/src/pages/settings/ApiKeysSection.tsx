import { useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { $api } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { SecretReveal } from '../../components/SecretReveal';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice, Notice } from '../../components/ErrorNotice';
import { Form, SubmitButton } from '../../components/form/Form';
import { TextField } from '../../components/form/fields';
import { Icon } from '../../components/Icon';
import { SkeletonRows } from '../../components/Loading';
import { RelativeTime } from '../../components/Time';
import { useToast } from '../../components/Toast';
import { SettingsSection } from '../profile/SettingsSection';
import { hasAccess, needsRole, settingsError, useSettingsProject, type Project } from './project';

type ApiKey = components['schemas']['ApiKey'];
type CreatedApiKey = components['schemas']['CreatedApiKey'];

/** Settings › API keys: the project's ingest keys, a new one shown once, revoking. */
export function ApiKeysSection() {
  const project = useSettingsProject();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const canManage = hasAccess(project, 'admin');

  return (
    <SettingsSection
      id="api-keys"
      stacked
      title="API keys"
      description={
        <>
          SDKs send one as <code>Authorization: Bearer &lt;key&gt;</code> (or <code>X-Api-Key</code>) to report errors
          to this project. The{' '}
          <Link to="/projects/$projectId/setup" params={{ projectId: project.id }}>
            setup page
          </Link>{' '}
          shows how.
        </>
      }
      actions={
        canManage &&
        !project.archived &&
        !creating &&
        !created && (
          <button type="button" className="btn btn--primary" onClick={() => { setCreating(true); }}>
            <Icon name="plus" size={14} /> New API key
          </button>
        )
      }
    >
      {!canManage ? (
        <Notice tone="info" title="Not available to you">
          <p>{needsRole(project, 'admin', 'see and manage API keys')}</p>
        </Notice>
      ) : (
        <>
          {project.archived && (
            <Notice tone="warning" title="The project is archived">
              <p>Its keys were revoked when it was archived, and new ones cannot be created until the owner restores it.</p>
            </Notice>
          )}
          {created ? (
            <CreatedKeyPanel apiKey={created} onDone={() => { setCreated(null); }} />
          ) : (
            creating && (
              <NewKeyForm
                project={project}
                onCancel={() => { setCreating(false); }}
                onCreated={(key) => {
                  setCreating(false);
                  setCreated(key);
                }}
              />
            )
          )}
          <KeyList project={project} highlight={created?.id} />
        </>
      )}
    </SettingsSection>
  );
}

function NewKeyForm({
  project,
  onCreated,
  onCancel,
}: {
  project: Project;
  onCreated: (key: CreatedApiKey) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const create = $api.useMutation('post', '/api/v1/projects/{projectId}/api-keys');
  return (
    <div className="subpanel">
      <h3 className="subpanel__title">New API key</h3>
      <Form
        aria-label="New API key"
        errorTitle="Could not create the API key."
        onSubmit={async (values) => {
          try {
            const key = await create.mutateAsync({
              params: { path: { projectId: project.id } },
              body: { name: values.trimmed('name') },
            });
            void invalidatePath(queryClient, '/api/v1/projects/{projectId}/api-keys');
            onCreated(key);
          } catch (error) {
            throw settingsError(error);
          }
        }}
      >
        <div className="form__inline">
          <TextField name="name" label="Name" placeholder="Production" maxLength={200} autoFocus />
          <div className="form__actions">
            <SubmitButton pendingLabel="Creating…">Create API key</SubmitButton>
            <button type="button" className="btn btn--ghost" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
      </Form>
    </div>
  );
}

/** The new key's plaintext, shown this once: the API keeps only its digest. */
function CreatedKeyPanel({ apiKey, onDone }: { apiKey: CreatedApiKey; onDone: () => void }) {
  return (
    <SecretReveal
      region="New API key"
      title={<>API key “{apiKey.name}” created</>}
      inputId="new-api-key-value"
      inputLabel="New API key"
      secret={apiKey.key}
      onDone={onDone}
    />
  );
}

function KeyState({ apiKey }: { apiKey: ApiKey }) {
  if (apiKey.revokedAt) {
    return (
      <span className="badge badge--danger">
        Revoked <RelativeTime iso={apiKey.revokedAt} />
      </span>
    );
  }
  if (!apiKey.active) return <span className="badge badge--warning">Inactive (archived)</span>;
  return <span className="badge badge--success">Active</span>;
}

function KeyList({ project, highlight }: { project: Project; highlight: string | undefined }) {
  const keys = $api.useQuery('get', '/api/v1/projects/{projectId}/api-keys', {
    params: { path: { projectId: project.id } },
  });
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const revoke = $api.useMutation('delete', '/api/v1/projects/{projectId}/api-keys/{keyId}', {
    onSuccess: async () => {
      toast({ title: 'API key revoked', description: 'Ingestion with it stops within seconds.' });
      setRevoking(null);
      await invalidatePath(queryClient, '/api/v1/projects/{projectId}/api-keys');
    },
    onError: (error) => {
      setRevoking(null);
      toast({ tone: 'error', title: 'Could not revoke the API key', description: settingsError(error).message });
    },
  });

  if (keys.isPending) return <SkeletonRows label="Loading API keys" />;
  if (keys.isError) {
    return (
      <ErrorNotice title="Could not load the API keys." error={settingsError(keys.error)} onRetry={() => void keys.refetch()} />
    );
  }
  if (keys.data.apiKeys.length === 0) {
    return (
      <EmptyState icon="key" title="No API keys">
        <p>Create one for each application or environment that reports to this project.</p>
      </EmptyState>
    );
  }

  return (
    <>
      <DataTable label="API keys" columns={['Name', 'Key', 'Created', 'Last used', 'State']} actions>
        {keys.data.apiKeys.map((key) => (
          <tr key={key.id} className={key.id === highlight ? 'is-new' : undefined}>
            <th scope="row">{key.name}</th>
            <td>
              <code>{key.hint}…</code>
            </td>
            <td>
              <RelativeTime iso={key.createdAt} />
            </td>
            <td>{key.lastUsedAt ? <RelativeTime iso={key.lastUsedAt} /> : <span className="muted">Never</span>}</td>
            <td>
              <KeyState apiKey={key} />
            </td>
            <td className="table__actions">
              {!key.revokedAt && (
                <button
                  type="button"
                  className="btn btn--ghost btn--small btn--danger-text"
                  onClick={() => { setRevoking(key); }}
                  aria-label={`Revoke ${key.name}`}
                >
                  Revoke
                </button>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke API key"
          pending={revoke.isPending}
          onCancel={() => { setRevoking(null); }}
          onConfirm={() => {
            revoke.mutate({ params: { path: { projectId: project.id, keyId: revoking.id } } });
          }}
        >
          <p>Applications sending with it are refused within seconds. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
