import { useQueryClient } from '@tanstack/react-query';
import { Dialog } from '../../components/Dialog';
import { $api, ApiError } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Form, SubmitButton } from '../../components/form/Form';
import { TextField } from '../../components/form/fields';
import type { FormValues } from '../../components/form/FormValues';
import { Loading } from '../../components/Loading';
import { useToast } from '../../components/Toast';

type Project = components['schemas']['Project'];
type Overrides = components['schemas']['RateLimitOverrides'];
type Effective = components['schemas']['EffectiveRateLimits'];
type OverrideName = keyof Overrides;

/** The overrides' ranges, as in openapi.yaml's RateLimitOverrides. */
export const OVERRIDE_FIELDS: readonly { name: OverrideName; label: string; unit: string; max: number }[] = [
  { name: 'requests', label: 'Submissions per window', unit: 'per key and endpoint', max: 10_000_000 },
  { name: 'periodSeconds', label: 'Window length', unit: 'seconds', max: 86_400 },
  { name: 'authFailures', label: 'Failed authentications per window', unit: 'per client IP', max: 10_000_000 },
];

const NUMBER = new Intl.NumberFormat('en');

/**
 * Reads the three override fields: empty inherits the instance's setting (null), anything else
 * must be a whole number in the schema's range. Throws a 422-shaped ApiError naming the fields
 * otherwise, so the form shows it next to them like the API's own.
 */
export function readOverrides(values: FormValues): Overrides {
  const result: Overrides = { requests: null, periodSeconds: null, authFailures: null };
  const fields: Record<string, string> = {};
  for (const field of OVERRIDE_FIELDS) {
    const text = values.trimmed(field.name);
    if (text === '') continue;
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < 1 || value > field.max) {
      fields[field.name] = `Enter a whole number from 1 to ${NUMBER.format(field.max)}, or leave it empty to inherit.`;
      continue;
    }
    result[field.name] = value;
  }
  if (Object.keys(fields).length > 0) {
    throw new ApiError({ status: 422, code: 'validation_failed', message: 'Check the highlighted fields.', fields });
  }
  return result;
}

function EffectiveLimits({ effective, overrides }: { effective: Effective; overrides: Overrides }) {
  const source = (name: OverrideName) =>
    overrides[name] === null ? <span className="muted small">instance</span> : <span className="badge badge--accent">override</span>;
  return (
    <table className="table table--compact" aria-label="Limits in effect">
      <thead>
        <tr>
          <th scope="col">Limit</th>
          <th scope="col">In effect</th>
          <th scope="col">From</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Submissions per key and endpoint</th>
          <td>{NUMBER.format(effective.requests)}</td>
          <td>{source('requests')}</td>
        </tr>
        <tr>
          <th scope="row">Window</th>
          <td>{NUMBER.format(effective.periodSeconds)} s</td>
          <td>{source('periodSeconds')}</td>
        </tr>
        <tr>
          <th scope="row">Failed authentications per IP</th>
          <td>{NUMBER.format(effective.authFailures)}</td>
          <td>{source('authFailures')}</td>
        </tr>
        <tr>
          <th scope="row">Requests per IP before authentication</th>
          <td>{NUMBER.format(effective.preAuth)}</td>
          <td>
            <span className="muted small">instance only</span>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/**
 * A project's public API rate limits for an administrator: those in effect, and a form for the
 * project's overrides (empty inherits the instance's setting).
 */
export function RateLimitsDialog({ project, onClose }: { project: Project; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const init = { params: { path: { projectId: project.id } } };
  const limits = $api.useQuery('get', '/api/v1/admin/projects/{projectId}/rate-limits', init);
  const save = $api.useMutation('put', '/api/v1/admin/projects/{projectId}/rate-limits');
  const clear = $api.useMutation('put', '/api/v1/admin/projects/{projectId}/rate-limits');
  const pending = save.isPending || clear.isPending;

  async function put(mutation: typeof save, overrides: Overrides, message: string) {
    const updated = await mutation.mutateAsync({ ...init, body: overrides });
    queryClient.setQueryData(
      $api.queryOptions('get', '/api/v1/admin/projects/{projectId}/rate-limits', init).queryKey,
      updated,
    );
    toast({ title: message, description: 'They take effect within 2 seconds.' });
  }

  return (
    <Dialog title={`Rate limits of ${project.name}`} width="wide" busy={pending} onCancel={onClose}>
      {limits.isPending ? (
        <Loading>Loading the limits…</Loading>
      ) : limits.isError ? (
        <ErrorNotice title="Could not load the limits." error={limits.error} onRetry={() => void limits.refetch()} />
      ) : (
        <div className="dialog__body form">
          <p>
            Limits of the public ingestion API for this project’s keys. A project override replaces the instance’s
            setting; an empty field inherits it.
          </p>
          <EffectiveLimits effective={limits.data.effective} overrides={limits.data.overrides} />
          <Form
            key={JSON.stringify(limits.data.overrides)}
            aria-label="Rate limit overrides"
            errorTitle="Could not save the overrides."
            onSubmit={async (values) => {
              await put(save, readOverrides(values), `Rate limits of ${project.name} saved`);
            }}
          >
            {OVERRIDE_FIELDS.map((field) => (
              <TextField
                key={field.name}
                name={field.name}
                label={field.label}
                required={false}
                inputMode="numeric"
                autoComplete="off"
                placeholder={`Inherit (${NUMBER.format(limits.data.effective[field.name])})`}
                defaultValue={limits.data.overrides[field.name] ?? ''}
                hint={`${field.unit}; 1 to ${NUMBER.format(field.max)}`}
              />
            ))}
            <div className="dialog__actions">
              <button
                type="button"
                className="btn btn--ghost"
                disabled={pending}
                onClick={() => {
                  const none = { requests: null, periodSeconds: null, authFailures: null };
                  // A failure shows in the notice below.
                  put(clear, none, `${project.name} inherits the instance’s limits`).catch(() => undefined);
                }}
              >
                Clear overrides
              </button>
              <button type="button" className="btn btn--secondary" onClick={onClose} disabled={pending}>
                Close
              </button>
              <SubmitButton pendingLabel="Saving…">Save overrides</SubmitButton>
            </div>
          </Form>
          {clear.isError && <ErrorNotice title="Could not clear the overrides." error={clear.error} />}
        </div>
      )}
    </Dialog>
  );
}
