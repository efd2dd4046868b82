import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { $api, api, asApiError } from '../../api/client';
import { cursorPagesOptions } from '../../api/queries';
import type { components } from '../../api/schema.gen';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { SkeletonRows } from '../../components/Loading';
import { RelativeTime } from '../../components/Time';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatDuration } from '../events/format';
import { LoadMore, PageHeader } from '../events/parts';
import { PERIODS } from '../events/search';
import { useDebouncedField } from '../events/useDebouncedField';
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
        params: { path: { projectId }, query: { ...query, ...(cursor ? { cursor } : {}), limit: PAGE_SIZE } },
        signal,
      });
      if (!data) throw new Error('The traces answer was empty.');
      return data;
    },
  );
}

/** `/projects/:projectId/traces?period=&q=`: recent traces by their root span. */
export function TracesPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const project = $api.useQuery('get', '/api/v1/projects/{projectId}', { params: { path: { projectId } } });
  useDocumentTitle(project.data ? `Traces · ${project.data.name}` : 'Traces');
  const traces = useInfiniteQuery({ ...tracePagesOptions(projectId, search), placeholderData: keepPreviousData });
  const setFilter = (patch: Partial<TracesSearch>) => {
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  };
  const [q, setQ] = useDebouncedField(search.q, (value) => { setFilter({ q: value }); });
  const error = traces.isError ? asApiError(traces.error) : undefined;
  const list = traces.data?.pages.flatMap((page) => page.traces);

  return (
    <div className="page page--wide">
      <PageHeader project={project.data?.name} title="Traces">
        Requests and jobs by their root span, newest first. Open one for its waterfall.
      </PageHeader>
      <form role="search" aria-label="Filter traces" className="filters" onSubmit={(event) => { event.preventDefault(); }}>
        <div className="search filters__search">
          <Icon name="search" size={15} />
          <label htmlFor="traces-q" className="visually-hidden">
            Search traces
          </label>
          <input
            id="traces-q"
            type="search"
            className="input search__input"
            placeholder="Root span name"
            maxLength={200}
            value={q}
            onChange={(event) => { setQ(event.currentTarget.value); }}
          />
        </div>
        <label className="filters__field">
          <span className="filters__label">Period</span>
          <select
            className="input select"
            value={search.period ?? '24h'}
            onChange={(event) => {
              const value = PERIODS.find((p) => p.value === event.currentTarget.value)?.value;
              setFilter({ period: value === '24h' ? undefined : value });
            }}
          >
            {PERIODS.map((period) => (
              <option key={period.value} value={period.value}>
                {period.label}
              </option>
            ))}
          </select>
        </label>
      </form>
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
