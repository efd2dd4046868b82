import { $api } from '../../../api/client';
import type { components } from '../../../api/schema.gen';
import { EmptyState } from '../../../components/EmptyState';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { SkeletonRows } from '../../../components/Loading';
import { formatDateTime } from '../../../components/Time';
import { LevelBadge } from '../levels';

type MatchedOn = NonNullable<components['schemas']['RelatedLogs']['matchedOn']>[number];

const ID_NAMES: Record<MatchedOn, string> = {
  trace_id: 'trace id',
  request_id: 'request id',
  session_id: 'session id',
  user_id: 'user id',
};

function list(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1) ?? ''}`;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The logs sent around an occurrence that share one of its ids (trace, request, session, user). */
export function RelatedLogsPanel({
  projectId,
  issueId,
  eventId,
}: {
  projectId: string;
  issueId: string;
  /** The chosen occurrence; the latest when undefined. */
  eventId: string | undefined;
}) {
  const related = $api.useQuery('get', '/api/v1/projects/{projectId}/issues/{issueId}/related-logs', {
    params: { path: { projectId, issueId }, query: eventId ? { eventId } : {} },
  });
  if (related.isPending) return <SkeletonRows rows={3} label="Loading the related logs" />;
  if (related.isError) {
    return <ErrorNotice title="Could not load the related logs." error={related.error} onRetry={() => void related.refetch()} />;
  }
  const { logs, matchedOn = [], from, to } = related.data;
  const ids = list(matchedOn.map((id) => ID_NAMES[id]));
  const rule = (
    <p>
      A log is related when it was sent within five minutes either side of the occurrence and shares its trace,
      request, session or user id. Send the same <code>trace_id</code> with your logs and errors to link them.
    </p>
  );
  return (
    <section aria-label="Related logs">
      {matchedOn.length > 0 && (
        <p className="muted small">
          Logs sharing the occurrence&apos;s {ids}
          {from && to && (
            <>
              , {formatDateTime(from)} to {formatDateTime(to)}
            </>
          )}
          .
        </p>
      )}
      {logs.length === 0 ? (
        <EmptyState icon="terminal" title="No related logs">
          {matchedOn.length === 0 ? (
            <p>
              This occurrence has no trace, request, session or user id (or its time was not sent), so no log can be
              matched to it.
            </p>
          ) : null}
          {rule}
        </EmptyState>
      ) : (
        <ol className="log-list" aria-label="Related logs">
          {logs.map((log) => (
            <li key={log.id} className="log-line">
              <time className="log-line__time" dateTime={log.occurredAt} title={formatDateTime(log.occurredAt)}>
                {TIME.format(new Date(log.occurredAt))}
              </time>
              <LevelBadge level={log.level} />
              {log.name && <span className="log-line__name">{log.name}</span>}
              <span className="log-line__message">{log.message}</span>
              {log.traceId && (
                <span className="log-line__trace small muted">
                  trace <code>{log.traceId.slice(0, 8)}</code>
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
