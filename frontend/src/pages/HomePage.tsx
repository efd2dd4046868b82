import { $api } from '../api/client';
import type { components } from '../api/schema.gen';
import { ErrorNotice } from '../components/ErrorNotice';
import { Loading } from '../components/Loading';

type Check = components['schemas']['Check'];

function ChecksTable({ checks }: { checks: readonly Check[] }) {
  if (checks.length === 0) return <p>No checks were reported.</p>;
  return (
    <table className="checks">
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Status</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((check) => (
          <tr key={check.name}>
            <th scope="row">{check.name}</th>
            <td>
              <span className={check.ok ? 'badge badge--ok' : 'badge badge--fail'}>
                {check.ok ? 'OK' : 'Failing'}
              </span>
            </td>
            <td>{check.message ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function HomePage() {
  const instance = $api.useQuery('get', '/api/v1/instance');

  if (instance.isPending) return <Loading>Loading instance…</Loading>;
  if (instance.isError) {
    return <ErrorNotice title="Could not load this instance." error={instance.error} />;
  }

  const { name, version, commit, ready, checks, setupRequired } = instance.data;

  return (
    <>
      <section aria-labelledby="instance-heading" className="card">
        <h1 id="instance-heading">{name}</h1>
        <dl className="facts">
          <dt>Version</dt>
          <dd>{version}</dd>
          {commit && (
            <>
              <dt>Commit</dt>
              <dd>
                <code>{commit}</code>
              </dd>
            </>
          )}
        </dl>
      </section>

      {setupRequired && (
        <div className="notice" role="note">
          <p className="notice__title">Setup required</p>
          <p>
            No administrator exists yet. Open the one-time setup link that <code>logister serve</code>{' '}
            printed when it started.
          </p>
        </div>
      )}

      <section aria-labelledby="health-heading" className="card">
        <h2 id="health-heading">
          Health{' '}
          <span className={ready ? 'badge badge--ok' : 'badge badge--fail'}>
            {ready ? 'Ready' : 'Not ready'}
          </span>
        </h2>
        <ChecksTable checks={checks} />
      </section>

      <section aria-labelledby="api-heading" className="card">
        <h2 id="api-heading">API</h2>
        <p>
          Every endpoint this server exposes is described in the{' '}
          <a href="/api/docs">API reference</a> (also available as{' '}
          <a href="/openapi.yaml">openapi.yaml</a>).
        </p>
      </section>
    </>
  );
}
