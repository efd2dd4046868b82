import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { $api, api, asApiError } from '../../api/client';
import { answered, cursorPagesOptions, pageQuery } from '../../api/queries';
import type { ReactNode } from 'react';
import type { components } from '../../api/schema.gen';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { SkeletonRows } from '../../components/Loading';
import { formatDateTime, RelativeTime } from '../../components/Time';
import { useProjectPage } from '../../components/useProjectPage';
import { DebouncedSearch, FilterBar, SelectFilter, TextFilter } from '../../lists/filters';
import { LoadMore } from '../../lists/LoadMore';
import { PageHeader } from '../events/parts';
import { SOURCES, type DeploymentsSearch } from './search';
import '../events/telemetry.css';

type Deployment = components['schemas']['Deployment'];
type DeploymentPage = components['schemas']['DeploymentPage'];

const routeApi = getRouteApi('/_app/projects/$projectId/deployments');

const PAGE_SIZE = 50;

export function deploymentPagesOptions(projectId: string, search: DeploymentsSearch) {
  const query = { ...search };
  return cursorPagesOptions(
    $api.queryOptions('get', '/api/v1/projects/{projectId}/deployments', { params: { path: { projectId }, query } })
      .queryKey,
    async (cursor, signal): Promise<DeploymentPage> => {
      const { data } = await api.GET('/api/v1/projects/{projectId}/deployments', {
        params: { path: { projectId }, query: { ...query, ...pageQuery(cursor, PAGE_SIZE) } },
        signal,
      });
      return answered(data, 'deployments');
    },
  );
}

/** `/projects/:projectId/deployments?repository=&environment=&source=&q=`: what was deployed, when. */
export function DeploymentsPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const project = useProjectPage(projectId, 'Deployments');
  const deployments = useInfiniteQuery({
    ...deploymentPagesOptions(projectId, search),
    placeholderData: keepPreviousData,
  });
  const setFilter = (patch: Partial<DeploymentsSearch>) => {
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  };
  const filtered = Boolean(search.q ?? search.repository ?? search.environment ?? search.source);
  const error = deployments.isError ? asApiError(deployments.error) : undefined;
  const list = deployments.data?.pages.flatMap((page) => page.deployments);
  const total = deployments.data?.pages[0]?.total;

  return (
    <div className="page page--wide">
      <PageHeader project={project.data?.name} title="Deployments">
        Releases your CI reported, newest first, with links to the code on GitHub.
      </PageHeader>
      <FilterBar label="Filter deployments">
        <DebouncedSearch
          id="deployments-q"
          label="Search deployments"
          className="filters__search"
          placeholder="Release, commit, branch…"
          maxLength={200}
          value={search.q}
          onCommit={(value) => { setFilter({ q: value }); }}
        />
        <TextFilter
          label="Repository"
          placeholder="owner/name"
          maxLength={200}
          value={search.repository}
          onCommit={(value) => { setFilter({ repository: value }); }}
        />
        <TextFilter
          label="Environment"
          placeholder="any"
          maxLength={80}
          value={search.environment}
          onCommit={(value) => { setFilter({ environment: value }); }}
        />
        <SelectFilter
          label="Source"
          value={search.source ?? ''}
          options={SOURCES}
          anyLabel="Any"
          onChange={(source) => { setFilter({ source }); }}
        />
      </FilterBar>
      {total !== undefined && (
        <p className="view-count" role="status">
          {total === 1 ? '1 deployment' : `${total.toLocaleString()} deployments`}
          {filtered ? ' match' : ''}
        </p>
      )}
      {!list && !error ? (
        <SkeletonRows rows={5} label="Loading deployments" />
      ) : error || !list ? (
        <ErrorNotice title="Could not load the deployments." error={error} onRetry={() => void deployments.refetch()} />
      ) : list.length === 0 ? (
        <div className="card">
          {filtered ? (
            <EmptyState
              icon="search"
              title="No deployments match these filters"
              action={
                <Link to="/projects/$projectId/deployments" params={{ projectId }} className="btn btn--secondary">
                  Clear filters
                </Link>
              }
            />
          ) : (
            <EmptyState
              icon="server"
              title="No deployments yet"
              action={
                <Link to="/projects/$projectId/setup" params={{ projectId }} className="btn btn--primary">
                  <Icon name="key" size={14} /> Get an ingest key
                </Link>
              }
            >
              <p>
                Report each deploy from CI: <code>POST /api/v1/deployments</code> with the repository, environment,
                release and commit. Errors then show which deployment they followed.
              </p>
            </EmptyState>
          )}
        </div>
      ) : (
        <div className="card card--flush">
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Deployments, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Release</th>
                  <th scope="col">Environment</th>
                  <th scope="col">Commit</th>
                  <th scope="col">Changes</th>
                  <th scope="col">Deployed</th>
                </tr>
              </thead>
              <tbody>
                {list.map((deployment) => (
                  <DeploymentRow key={deployment.id} deployment={deployment} />
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore query={deployments} />
        </div>
      )}
    </div>
  );
}

/** Opens a GitHub page in a new tab, saying so to screen readers. */
function External({ href, children, label }: { href: string; children: ReactNode; label?: string }) {
  return (
    <a href={href} target="_blank" rel="noreferrer noopener" aria-label={label ? `${label} (opens in a new tab)` : undefined}>
      {children}
    </a>
  );
}

function DeploymentRow({ deployment }: { deployment: Deployment }) {
  const { links } = deployment;
  return (
    <tr>
      <th scope="row">
        {links.release ? (
          <External href={links.release} label={`Release ${deployment.release}`}>
            {deployment.release}
          </External>
        ) : (
          deployment.release
        )}
        <span className="small muted monitor-sub">
          {deployment.repository}
          {deployment.branch && ` · ${deployment.branch}`}
          {deployment.source !== 'api' && ` · ${deployment.source}`}
        </span>
      </th>
      <td>
        <span className="badge">{deployment.environment}</span>
      </td>
      <td>
        {links.commit ? (
          <External href={links.commit} label={`Commit ${deployment.shortCommitSha}`}>
            <code>{deployment.shortCommitSha}</code>
          </External>
        ) : (
          <code>{deployment.shortCommitSha}</code>
        )}
      </td>
      <td className="deploy-links">
        {links.compare && (
          <External href={links.compare} label={`Compare with ${deployment.previousCommitSha?.slice(0, 7) ?? 'the previous deployment'}`}>
            Compare
          </External>
        )}
        {links.pullRequest && (
          <External href={links.pullRequest} label={`Pull request #${String(deployment.pullRequestNumber ?? '')}`}>
            #{deployment.pullRequestNumber}
          </External>
        )}
        {!links.compare && !links.pullRequest && <span className="muted">–</span>}
      </td>
      <td className="nowrap" title={formatDateTime(deployment.deployedAt)}>
        <RelativeTime iso={deployment.deployedAt} />
      </td>
    </tr>
  );
}
