import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { $api, asApiError } from '../../api/client';
import { invalidatePath } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { useCurrentUser } from '../../auth/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable } from '../../components/DataTable';
import { SecretReveal } from '../../components/SecretReveal';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Form, SubmitButton } from '../../components/form/Form';
import { SelectField, TextField } from '../../components/form/fields';
import { Icon } from '../../components/Icon';
import { SkeletonRows } from '../../components/Loading';
import { formatDate, RelativeTime } from '../../components/Time';
import { useToast } from '../../components/Toast';
import { SettingsSection } from './SettingsSection';

type Token = components['schemas']['PersonalAccessToken'];
type CreatedToken = components['schemas']['CreatedPersonalAccessToken'];
type Scope = Token['scope'];

const SCOPES: readonly { value: Scope; label: string; adminOnly?: boolean }[] = [
  { value: 'read', label: 'Read: GET requests only' },
  { value: 'write', label: 'Write: read and change' },
  { value: 'admin', label: 'Admin: also the admin API', adminOnly: true },
];

const EXPIRIES = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '180', label: '180 days' },
  { value: '366', label: '1 year' },
] as const;

function isScope(value: string): value is Scope {
  return SCOPES.some((s) => s.value === value);
}

/** Personal access tokens: the list, a form for a new one, its plaintext shown once, revoking. */
export function TokensSection() {
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);

  return (
    <SettingsSection
      id="tokens"
      stacked
      title="Personal access tokens"
      description={
        <>
          For scripts and the command line: send one as <code>Authorization: Bearer &lt;token&gt;</code>. A token acts
          as you, within its scope.
        </>
      }
      actions={
        !creating &&
        !created && (
          <button type="button" className="btn btn--primary" onClick={() => { setCreating(true); }}>
            <Icon name="plus" size={14} /> New token
          </button>
        )
      }
    >
      {created ? (
        <CreatedTokenPanel
          token={created}
          onDone={() => { setCreated(null); }}
        />
      ) : (
        creating && (
          <NewTokenForm
            onCancel={() => { setCreating(false); }}
            onCreated={(token) => {
              setCreating(false);
              setCreated(token);
            }}
          />
        )
      )}
      <TokenList highlight={created?.id} />
    </SettingsSection>
  );
}

function NewTokenForm({ onCreated, onCancel }: { onCreated: (token: CreatedToken) => void; onCancel: () => void }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const create = $api.useMutation('post', '/api/v1/me/tokens');
  const scopes = SCOPES.filter((s) => !s.adminOnly || user.admin);

  return (
    <div className="subpanel">
      <h3 className="subpanel__title">New token</h3>
      <Form
        aria-label="New token"
        errorTitle="Could not create the token."
        onSubmit={async (values) => {
          const scope = values.string('scope');
          const token = await create.mutateAsync({
            body: {
              name: values.trimmed('name'),
              scope: isScope(scope) ? scope : 'read',
              expiresInDays: values.integer('expiresInDays') ?? 30,
            },
          });
          void invalidatePath(queryClient, '/api/v1/me/tokens');
          onCreated(token);
        }}
      >
        <div className="form__grid">
          <TextField name="name" label="Name" placeholder="CI deploy script" maxLength={100} autoFocus />
          <SelectField name="scope" label="Scope" options={scopes} defaultValue="read" />
          <SelectField name="expiresInDays" label="Expires after" options={EXPIRIES} defaultValue="30" />
        </div>
        <div className="form__actions">
          <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
          <button type="button" className="btn btn--ghost" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </Form>
    </div>
  );
}

/** The new token's plaintext, shown this once: the API keeps only its digest. */
export function CreatedTokenPanel({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  return (
    <SecretReveal
      region="New token"
      title={<>Token “{token.name}” created</>}
      inputId="new-token-value"
      inputLabel="New token"
      secret={token.token}
      onDone={onDone}
    >
      <p className="muted small">
        Scope {token.scope}, expires {formatDate(token.expiresAt)}.
      </p>
    </SecretReveal>
  );
}

function isExpired(token: Token): boolean {
  return Date.parse(token.expiresAt) <= Date.now();
}

function TokenList({ highlight }: { highlight: string | undefined }) {
  const tokens = $api.useQuery('get', '/api/v1/me/tokens');
  const [revoking, setRevoking] = useState<Token | null>(null);
  const queryClient = useQueryClient();
  const toast = useToast();
  const revoke = $api.useMutation('delete', '/api/v1/me/tokens/{tokenId}', {
    onSuccess: async () => {
      await invalidatePath(queryClient, '/api/v1/me/tokens');
      toast({ title: 'Token revoked', description: 'It stopped working at once.' });
      setRevoking(null);
    },
    onError: (error: unknown) => {
      toast({ tone: 'error', title: 'Could not revoke the token', description: asApiError(error).message });
      setRevoking(null);
    },
  });

  if (tokens.isPending) return <SkeletonRows label="Loading tokens" />;
  if (tokens.isError) {
    return <ErrorNotice title="Could not load your tokens." error={tokens.error} onRetry={() => void tokens.refetch()} />;
  }
  if (tokens.data.tokens.length === 0) {
    return (
      <EmptyState icon="key" title="No personal access tokens">
        <p>Create one to call the API from a script or your terminal.</p>
      </EmptyState>
    );
  }

  return (
    <>
      <DataTable columns={['Name', 'Scope', 'Token', 'Created', 'Expires', 'Last used']} actions>
        {tokens.data.tokens.map((token) => (
          <tr key={token.id} className={token.id === highlight ? 'is-new' : undefined}>
            <th scope="row">{token.name}</th>
            <td>
              <span className={`badge badge--scope-${token.scope}`}>{token.scope}</span>
            </td>
            <td>
              <code>{token.hint}…</code>
            </td>
            <td>
              <RelativeTime iso={token.createdAt} />
            </td>
            <td>
              {isExpired(token) ? (
                <span className="badge badge--danger">Expired</span>
              ) : (
                <RelativeTime iso={token.expiresAt} />
              )}
            </td>
            <td>{token.lastUsedAt ? <RelativeTime iso={token.lastUsedAt} /> : <span className="muted">Never</span>}</td>
            <td className="table__actions">
              <button
                type="button"
                className="btn btn--ghost btn--small btn--danger-text"
                onClick={() => { setRevoking(token); }}
                aria-label={`Revoke ${token.name}`}
              >
                Revoke
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke token"
          pending={revoke.isPending}
          onCancel={() => { setRevoking(null); }}
          onConfirm={() => { revoke.mutate({ params: { path: { tokenId: revoking.id } } }); }}
        >
          <p>Scripts using it stop working at once. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
