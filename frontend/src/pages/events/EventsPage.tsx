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
import { DebouncedSearch, FilterBar, TextFilter } from '../../lists/filters';
import { LoadMore } from '../../lists/LoadMore';
import { LevelBadge } from '../issues/levels';
import { firstText, formatDuration } from './format';
import { PageHeader } from './parts';
import { PeriodFilter } from './PeriodFilter';
import { TELEMETRY_TYPES, type EventsSearch } from './search';
import { TypeBadge } from './TypeBadge';
import './telemetry.css';

type EventPage = components['schemas']['EventPage'];
type EventSummary = components['schemas']['EventSummary'];

const routeApi = getRouteApi('/_app/projects/$projectId/events');

const PAGE_SIZE = 50;

/** The events feed's pages for these filters (`cursor` follows `nextCursor`). */
export function eventPagesOptions(projectId: string, search: EventsSearch) {
  const query = { ...search };
  return cursorPagesOptions(
    $api.queryOptions('get', '/api/v1/projects/{projectId}/events', { params: { path: { projectId }, query } }).queryKey,
    async (cursor, signal): Promise<EventPage> => {
      const { data } = await api.GET('/api/v1/projects/{projectId}/events', {
        params: { path: { projectId }, query: { ...query, ...pageQuery(cursor, PAGE_SIZE) } },
        signal,
      });
      return answered(data, 'events');
    },
  );
}

/** `/projects/:projectId/events?type=&period=&q=&environment=&release=`: the telemetry feed. */
export function EventsPage() {
  const { projectId } = routeApi.useParams();
  const search = routeApi.useSearch();
  const navigate = routeApi.useNavigate();
  const project = useProjectPage(projectId, 'Events');
  const events = useInfiniteQuery({ ...eventPagesOptions(projectId, search), placeholderData: keepPreviousData });

  const setFilter = (patch: Partial<EventsSearch>) => {
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  };
  const filtered = Boolean(search.type ?? search.q ?? search.environment ?? search.release);
  const error = events.isError ? asApiError(events.error) : undefined;
  const list = events.data?.pages.flatMap((page) => page.events);

  return (
    <div className="page page--wide">
      <PageHeader project={project.data?.name} title="Events">
        Logs, metrics, transactions and check-ins, newest first. Errors are grouped in{' '}
        <Link to="/projects/$projectId/issues" params={{ projectId }}>
          Issues
        </Link>
        .
      </PageHeader>
      <FilterBar label="Filter events">
        <DebouncedSearch
          id="events-q"
          label="Search events"
          className="filters__search"
          placeholder="Message, level, transaction, logger…"
          maxLength={200}
          value={search.q}
          onCommit={(value) => { setFilter({ q: value }); }}
        />
        <PeriodFilter value={search.period} onChange={(period) => { setFilter({ period }); }} />
        <TextFilter
          label="Environment"
          placeholder="any"
          maxLength={80}
          value={search.environment}
          onCommit={(value) => { setFilter({ environment: value }); }}
        />
        <TextFilter
          label="Release"
          placeholder="any"
          maxLength={80}
          value={search.release}
          onCommit={(value) => { setFilter({ release: value }); }}
        />
      </FilterBar>
      <nav className="tabs filters__tabs" aria-label="Event type">
        {[{ value: undefined, label: 'All' }, ...TELEMETRY_TYPES].map((tab) => (
          <Link
            key={tab.label}
            to="/projects/$projectId/events"
            params={{ projectId }}
            search={{ ...search, type: tab.value }}
            replace
            className="tabs__tab"
            activeProps={{ className: 'is-active' }}
            activeOptions={{ exact: true }}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      {!list && !error ? (
        <SkeletonRows rows={6} label="Loading events" />
      ) : error || !list ? (
        <ErrorNotice title="Could not load the events." error={error} onRetry={() => void events.refetch()} />
      ) : list.length === 0 ? (
        <div className="card">
          {filtered || search.period ? (
            <EmptyState
              icon="search"
              title="No events match these filters"
              action={
                <Link to="/projects/$projectId/events" params={{ projectId }} className="btn btn--secondary">
                  Clear filters
                </Link>
              }
            >
              <p>Try another type, a longer period or fewer words.</p>
            </EmptyState>
          ) : (
            <EmptyState
              icon="terminal"
              title="No events in the last 24 hours"
              action={
                <Link to="/projects/$projectId/setup" params={{ projectId }} className="btn btn--primary">
                  <Icon name="key" size={14} /> Set up an SDK
                </Link>
              }
            >
              <p>
                Send logs, metrics, transactions and check-ins with one of the SDKs, or{' '}
                <code>POST /api/v1/ingest_events</code> with an ingest key. Try a longer period for older events.
              </p>
            </EmptyState>
          )}
        </div>
      ) : (
        <div className="card card--flush">
          <EventTable projectId={projectId} events={list} />
          <LoadMore query={events} />
        </div>
      )}
    </div>
  );
}

function EventTable({ projectId, events }: { projectId: string; events: readonly EventSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="table events-table">
        <caption className="visually-hidden">Events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Level</th>
            <th scope="col">Message</th>
            <th scope="col" className="num">
              Duration
            </th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td>
                <TypeBadge type={event.type} />
              </td>
              <td>
                <LevelBadge level={event.level} />
              </td>
              <td className="events-table__message">
                <Link
                  to="/projects/$projectId/events/$eventId"
                  params={{ projectId, eventId: event.id }}
                  className="events-table__link"
                >
                  {firstText(event.message, event.name) ?? '(no message)'}
                </Link>
                <span className="events-table__meta small muted">
                  {event.name && event.message && event.name !== event.message && <code>{event.name}</code>}
                  {event.status && <span>status {event.status}</span>}
                  {event.environment && <span>{event.environment}</span>}
                  {event.release && <span>release {event.release}</span>}
                </span>
              </td>
              <td className="num">{event.durationMs === undefined ? '' : formatDuration(event.durationMs)}</td>
              <td className="nowrap">
                <RelativeTime iso={event.occurredAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
