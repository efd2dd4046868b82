import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { $api, api, asApiError } from '../../api/client';
import { answered, cursorPagesOptions, pageQuery } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { SkeletonRows } from '../../components/Loading';
import { RelativeTime } from '../../components/Time';
import { useProjectPage } from '../../components/useProjectPage';
import { DebouncedSearch, FilterBar } from '../../lists/filters';
import { LoadMore } from '../../lists/LoadMore';
import { formatDuration } from '../events/format';
import { PageHeader } from '../events/parts';
import { PeriodFilter } from '../events/PeriodFilter';
import type { TracesSearch } from './search';
import { isErrorStatus, kindTone } from './waterfall';
import '../events/telemetry.css';

type TracePage = components['schemas']['TracePage'];

const routeApi = getRouteApi('/_app/projects/$projectId/traces');

const PAGE_SIZE = 50;

export function tracePagesOptions(projectId: string, search: TracesSearch) {
  const query = { ...search };
  return cursorPagesOptions(
    $api.queryOptions('get', '/api/v1/projects/{projectId}/traces', { params: { path: { projectId }, query } }).queryKey,
    async (cursor, signal): Promise<TracePage> => {
      const { data } = await api.GET('/api/v1/projects/{projectId}/traces', {
        params: { path: { projectId }, query: { ...query, ...pageQuery(cursor, PAGE_SIZE) } },
        signal,
      });
      return answered(data, 'traces');
    },
  );
}

/** `/projects/:projectId/traces?period=&q=`: recent traces by their root span. */
export function TracesPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const project = useProjectPage(projectId, 'Traces');
  const traces = useInfiniteQuery({ ...tracePagesOptions(projectId, search), placeholderData: keepPreviousData });
  const setFilter = (patch: Partial<TracesSearch>) => {
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  };
  const error = traces.isError ? asApiError(traces.error) : undefined;
  const list = traces.data?.pages.flatMap((page) => page.traces);

  return (
    <div className="page page--wide">
      <PageHeader project={project.data?.name} title="Traces">
        Requests and jobs by their root span, newest first. Open one for its waterfall.
      </PageHeader>
      <FilterBar label="Filter traces">
        <DebouncedSearch
          id="traces-q"
          label="Search traces"
          className="filters__search"
          placeholder="Root span name"
          maxLength={200}
          value={search.q}
          onCommit={(value) => { setFilter({ q: value }); }}
        />
        <PeriodFilter value={search.period} onChange={(period) => { setFilter({ period }); }} />
      </FilterBar>
      {!list && !error ? (
        <SkeletonRows rows={6} label="Loading traces" />
      ) : error || !list ? (
        <ErrorNotice title="Could not load the traces." error={error} onRetry={() => void traces.refetch()} />
      ) : list.length === 0 ? (
        <div className="card">
          {search.q || search.period ? (
            <EmptyState
              icon="search"
              title="No traces match"
              action={
                <Link to="/projects/$projectId/traces" params={{ projectId }} className="btn btn--secondary">
                  Clear filters
                </Link>
              }
            >
              <p>Try a longer period or another name.</p>
            </EmptyState>
          ) : (
            <EmptyState
              icon="terminal"
              title="No traces in the last 24 hours"
              action={
                <Link to="/projects/$projectId/setup" params={{ projectId }} className="btn btn--primary">
                  <Icon name="key" size={14} /> Set up an SDK
                </Link>
              }
            >
              <p>
                Send spans (events of type <code>span</code> with a <code>trace_id</code> and <code>span_id</code>) from
                an SDK; each trace shows here by its root span.
              </p>
            </EmptyState>
          )}
        </div>
      ) : (
        <div className="card card--flush">
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Traces, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Root span</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {list.map((trace) => (
                  <tr key={trace.traceId}>
                    <td>
                      <Link
                        to="/projects/$projectId/traces/$traceId"
                        params={{ projectId, traceId: trace.traceId }}
                        className="events-table__link"
                      >
                        {trace.name}
                      </Link>
                      <span className="events-table__meta small muted">
                        <code>{trace.traceId.slice(0, 16)}</code>
                        {trace.environment && <span>{trace.environment}</span>}
                        {trace.release && <span>release {trace.release}</span>}
                      </span>
                    </td>
                    <td>
                      <span className={`span-kind span-kind--${kindTone(trace.kind)}`}>{trace.kind}</span>
                    </td>
                    <td>
                      {trace.status ? (
                        <span className={isErrorStatus(trace.status) ? 'badge badge--danger' : 'badge'}>{trace.status}</span>
                      ) : (
                        <span className="muted">–</span>
                      )}
                    </td>
                    <td className="num">{formatDuration(trace.durationMs)}</td>
                    <td className="nowrap">
                      <RelativeTime iso={trace.startedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore query={traces} />
        </div>
      )}
    </div>
  );
}
