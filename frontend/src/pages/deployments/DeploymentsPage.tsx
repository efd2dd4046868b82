import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { $api, api, asApiError } from '../../api/client';
import { cursorPagesOptions } from '../../api/queries';
import type { ReactNode } from 'react';
import type { components } from '../../api/schema.gen';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { SkeletonRows } from '../../components/Loading';
import { formatDateTime, RelativeTime } from '../../components/Time';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { LoadMore, PageHeader } from '../events/parts';
import { useDebouncedField } from '../events/useDebouncedField';
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
        params: { path: { projectId }, query: { ...query, ...(cursor ? { cursor } : {}), limit: PAGE_SIZE } },
        signal,
      });
      if (!data) throw new Error('The deployments answer was empty.');
      return data;
    },
  );
}

/** `/projects/:projectId/deployments?repository=&environment=&source=&q=`: what was deployed, when. */
export function DeploymentsPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const project = $api.useQuery('get', '/api/v1/projects/{projectId}', { params: { path: { projectId } } });
  useDocumentTitle(project.data ? `Deployments · ${project.data.name}` : 'Deployments');
  const deployments = useInfiniteQuery({
    ...deploymentPagesOptions(projectId, search),
    placeholderData: keepPreviousData,
  });
  const setFilter = (patch: Partial<DeploymentsSearch>) => {
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  };
  const [q, setQ] = useDebouncedField(search.q, (value) => { setFilter({ q: value }); });
  const [repository, setRepository] = useDebouncedField(search.repository, (value) => {
    setFilter({ repository: value });
  });
  const [environment, setEnvironment] = useDebouncedField(search.environment, (value) => {
    setFilter({ environment: value });
  });
  const filtered = Boolean(search.q ?? search.repository ?? search.environment ?? search.source);
  const error = deployments.isError ? asApiError(deployments.error) : undefined;
  const list = deployments.data?.pages.flatMap((page) => page.deployments);
  const total = deployments.data?.pages[0]?.total;

  return (
    <div className="page page--wide">
      <PageHeader project={project.data?.name} title="Deployments">
        Releases your CI reported, newest first, with links to the code on GitHub.
      </PageHeader>
      <form
        role="search"
        aria-label="Filter deployments"
        className="filters"
        onSubmit={(event) => { event.preventDefault(); }}
      >
        <div className="search filters__search">
          <Icon name="search" size={15} />
          <label htmlFor="deployments-q" className="visually-hidden">
            Search deployments
          </label>
          <input
            id="deployments-q"
            type="search"
            className="input search__input"
            placeholder="Release, commit, branch…"
            maxLength={200}
            value={q}
            onChange={(event) => { setQ(event.currentTarget.value); }}
          />
        </div>
        <label className="filters__field">
          <span className="filters__label">Repository</span>
          <input
            className="input"
            placeholder="owner/name"
            maxLength={200}
            value={repository}
            onChange={(event) => { setRepository(event.currentTarget.value); }}
          />
        </label>
        <label className="filters__field">
          <span className="filters__label">Environment</span>
          <input
            className="input"
            placeholder="any"
            maxLength={80}
            value={environment}
            onChange={(event) => { setEnvironment(event.currentTarget.value); }}
          />
        </label>
        <label className="filters__field">
          <span className="filters__label">Source</span>
          <select
            className="input select"
            value={search.source ?? ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setFilter({ source: SOURCES.find((s) => s.value === value)?.value });
            }}
          >
            <option value="">Any</option>
            {SOURCES.map((source) => (
              <option key={source.value} value={source.value}>
                {source.label}
              </option>
            ))}
          </select>
        </label>
      </form>
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
