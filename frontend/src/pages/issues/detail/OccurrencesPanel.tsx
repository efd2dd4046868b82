import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { $api, api } from '../../../api/client';
import { answered, cursorPagesOptions, pageQuery } from '../../../api/queries';
import type { components } from '../../../api/schema.gen';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { SkeletonRows } from '../../../components/Loading';
import { formatDateTime, RelativeTime } from '../../../components/Time';
import { LoadMore } from '../../../lists/LoadMore';

type EventPage = components['schemas']['EventPage'];

const PAGE_SIZE = 25;

function occurrencePagesOptions(projectId: string, issueId: string) {
  const path = { projectId, issueId };
  return cursorPagesOptions(
    $api.queryOptions('get', '/api/v1/projects/{projectId}/issues/{issueId}/events', { params: { path } }).queryKey,
    async (cursor, signal): Promise<EventPage> => {
      const { data } = await api.GET('/api/v1/projects/{projectId}/issues/{issueId}/events', {
        params: { path, query: { ...pageQuery(cursor, PAGE_SIZE) } },
        signal,
      });
      return answered(data, 'occurrences');
    },
  );
}

/**
 * The issue's occurrences, newest first, a page at a time. Each links to itself (`?event=`), which
 * switches the Stack, Request, Context and Related logs tabs to it.
 */
export function OccurrencesPanel({
  projectId,
  issueId,
  selectedId,
}: {
  projectId: string;
  issueId: string;
  /** The occurrence the other tabs show. */
  selectedId: string | undefined;
}) {
  const pages = useInfiniteQuery(occurrencePagesOptions(projectId, issueId));
  if (pages.isPending) return <SkeletonRows rows={4} label="Loading the occurrences" />;
  if (pages.isError) {
    return <ErrorNotice title="Could not load the occurrences." error={pages.error} onRetry={() => void pages.refetch()} />;
  }
  const events = pages.data.pages.flatMap((page) => page.events);
  if (events.length === 0) {
    return (
      <EmptyState icon="info" title="No occurrences kept">
        <p>The occurrences of this issue have been removed by the project&apos;s retention.</p>
      </EmptyState>
    );
  }
  return (
    <>
      <p className="muted small">Choose an occurrence to see its stack, request, context and related logs.</p>
      <ol className="occurrences" aria-label="Occurrences">
        {events.map((event) => {
          const current = event.id === selectedId;
          return (
            <li key={event.id} className={current ? 'occurrence is-selected' : 'occurrence'} aria-current={current ? 'true' : undefined}>
              <Link
                to="/projects/$projectId/issues/$issueId"
                params={{ projectId, issueId }}
                search={{ tab: 'stack', event: event.id }}
                className="occurrence__link"
                aria-label={`Occurrence of ${formatDateTime(event.occurredAt)}`}
              >
                {formatDateTime(event.occurredAt)}
              </Link>
              <span className="occurrence__message">{event.message}</span>
              <span className="occurrence__meta small muted">
                <RelativeTime iso={event.occurredAt} />
                {event.release && <span>release {event.release}</span>}
                {event.environment && <span>{event.environment}</span>}
                {event.traceId && (
                  <span>
                    trace <code>{event.traceId.slice(0, 8)}</code>
                  </span>
                )}
                {event.timePrecision === 'received_only' && <span>time of receipt</span>}
                {current && <span className="badge badge--accent">shown</span>}
              </span>
            </li>
          );
        })}
      </ol>
      <LoadMore query={pages} />
    </>
  );
}
