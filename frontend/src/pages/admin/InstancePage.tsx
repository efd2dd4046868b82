import { $api } from '../../api/client';
import { useInstance } from '../../api/instance';
import type { components } from '../../api/schema.gen';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useDocumentTitle } from '../../components/useDocumentTitle';

type ServiceStatus = components['schemas']['ServiceStatus'];

const SERVICE_LABELS: Record<ServiceStatus['name'], string> = {
  database: 'PostgreSQL',
  redis: 'Redis',
  smtp: 'SMTP (e-mail delivery)',
  s3: 'S3 archive storage',
  clickhouse: 'ClickHouse',
  github: 'GitHub App',
};

function ServiceState({ service }: { service: ServiceStatus }) {
  if (!service.configured) return <span className="badge badge--neutral">Not configured</span>;
  if (service.ok === false) return <span className="badge badge--danger">Failing</span>;
  return <span className="badge badge--success">OK</span>;
}

/** `/admin/instance`: version, sign-up mode, readiness and each optional service. */
export function InstancePage() {
  useDocumentTitle('Instance');
  const admin = $api.useQuery('get', '/api/v1/admin/instance');
  const instance = useInstance();

  if (admin.isPending) return null; // the route's loader has it
  if (admin.isError) {
    return <ErrorNotice title="Could not load the instance." error={admin.error} onRetry={() => void admin.refetch()} />;
  }
  const { name, version, commit, signup, services } = admin.data;

  return (
    <div className="grid-2">
      <section className="card" aria-labelledby="about-heading">
        <h2 id="about-heading" className="card__title">
          {name}
        </h2>
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
          <dt>Sign-up</dt>
          <dd>
            {signup === 'open' ? 'Open: anyone can create an account and confirm it' : 'By invitation only'}{' '}
            <span className="muted small">
              (<code>LOGISTER_SIGNUP</code>)
            </span>
          </dd>
          <dt>Readiness</dt>
          <dd>
            {instance.data ? (
              instance.data.ready ? (
                <span className="badge badge--success">Ready</span>
              ) : (
                <span className="badge badge--danger">Not ready</span>
              )
            ) : (
              <span className="muted">…</span>
            )}
          </dd>
        </dl>
        {instance.data && instance.data.checks.length > 0 && (
          <table className="table table--compact" aria-label="Readiness checks">
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">State</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {instance.data.checks.map((check) => (
                <tr key={check.name}>
                  <th scope="row">{check.name}</th>
                  <td>
                    <span className={check.ok ? 'badge badge--success' : 'badge badge--danger'}>
                      {check.ok ? 'OK' : 'Failing'}
                    </span>
                  </td>
                  <td>{check.message ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" aria-labelledby="services-heading">
        <h2 id="services-heading" className="card__title">
          Services
        </h2>
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">State</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {services.map((service) => (
              <tr key={service.name}>
                <th scope="row">{SERVICE_LABELS[service.name]}</th>
                <td>
                  <ServiceState service={service} />
                </td>
                <td className="muted">{service.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
