import type { ReactNode } from 'react';
import { $api } from '../../../api/client';
import type { components } from '../../../api/schema.gen';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { SkeletonRows } from '../../../components/Loading';
import { formatDateTime, RelativeTime } from '../../../components/Time';

type Deployment = components['schemas']['Deployment'];

function ExternalLink({ href, children }: { href: string | undefined; children: ReactNode }) {
  if (!href) return <>{children}</>;
  return (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  );
}

/** "12 minutes", "3 hours 5 minutes", "2 days". */
export function minutesText(minutes: number): string {
  const plural = (n: number, unit: string) => `${String(n)} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return plural(minutes, 'minute');
  if (minutes < 48 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(rest, 'minute')}`;
  }
  return plural(Math.floor(minutes / (24 * 60)), 'day');
}

function DeploymentFacts({ deployment }: { deployment: Deployment }) {
  const { links } = deployment;
  return (
    <dl className="detail-facts">
      <div>
        <dt>Release</dt>
        <dd>
          <ExternalLink href={links.release}>{deployment.release}</ExternalLink>
        </dd>
      </div>
      <div>
        <dt>Deployed</dt>
        <dd>
          <RelativeTime iso={deployment.deployedAt} /> <span className="muted">({formatDateTime(deployment.deployedAt)})</span>
        </dd>
      </div>
      <div>
        <dt>Environment</dt>
        <dd>{deployment.environment}</dd>
      </div>
      <div>
        <dt>Repository</dt>
        <dd>{deployment.repository}</dd>
      </div>
      <div>
        <dt>Commit</dt>
        <dd>
          <ExternalLink href={links.commit}>
            <code>{deployment.shortCommitSha}</code>
          </ExternalLink>
          {deployment.branch && <span className="muted"> on {deployment.branch}</span>}
        </dd>
      </div>
      {deployment.pullRequestNumber !== undefined && (
        <div>
          <dt>Pull request</dt>
          <dd>
            <ExternalLink href={links.pullRequest}>#{deployment.pullRequestNumber}</ExternalLink>
          </dd>
        </div>
      )}
      {links.compare && (
        <div>
          <dt>Changes</dt>
          <dd>
            <ExternalLink href={links.compare}>Compare with the previous deployment</ExternalLink>
          </dd>
        </div>
      )}
    </dl>
  );
}

/** The deployment the issue started after, how soon after it, and the deployment before it. */
export function DeploymentPanel({ projectId, issueId }: { projectId: string; issueId: string }) {
  const context = $api.useQuery('get', '/api/v1/projects/{projectId}/issues/{issueId}/deployment', {
    params: { path: { projectId, issueId } },
  });
  if (context.isPending) return <SkeletonRows rows={3} label="Loading the deployment" />;
  if (context.isError) {
    return <ErrorNotice title="Could not load the deployment." error={context.error} onRetry={() => void context.refetch()} />;
  }
  const { match, deployment, previous, minutesAfterDeploy } = context.data;
  if (match === 'none' || !deployment) {
    return (
      <EmptyState icon="server" title="No deployment matches this issue">
        <p>
          Record deployments (<code>POST /api/v1/deployments</code> from your CI, or a release in your SDK&apos;s
          configuration) and the deployment an issue started after shows here, with its commit and changes.
        </p>
      </EmptyState>
    );
  }
  return (
    <section aria-label="Deployment">
      <p className="deploy__lead">
        {minutesAfterDeploy !== undefined ? (
          <>
            First seen <strong>{minutesText(minutesAfterDeploy)} after</strong> the deployment of{' '}
            <strong>{deployment.release}</strong>.
          </>
        ) : (
          <>
            Deployment of <strong>{deployment.release}</strong>.
          </>
        )}{' '}
        <span className="muted">
          {match === 'release'
            ? "It is the deployment of the issue's latest release."
            : 'It is the newest deployment before the issue was first seen.'}
        </span>
      </p>
      <DeploymentFacts deployment={deployment} />
      <h3 className="detail-subtitle">Previous deployment</h3>
      {previous ? (
        <DeploymentFacts deployment={previous} />
      ) : (
        <p className="muted small">None recorded for this repository and environment.</p>
      )}
    </section>
  );
}
