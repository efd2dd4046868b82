import { getRouteApi, Link } from '@tanstack/react-router';
import { $api, asApiError } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { CopyButton } from '../../components/CopyButton';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice } from '../../components/ErrorNotice';
import { SkeletonRows } from '../../components/Loading';
import { formatDateTime, RelativeTime } from '../../components/Time';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { LevelBadge } from '../issues/levels';
import { firstText, formatDuration } from './format';
import { PageHeader } from './parts';
import { TypeBadge } from './TypeBadge';
import './telemetry.css';

type Event = components['schemas']['Event'];
type RequestContext = components['schemas']['RequestContext'];
type StackException = components['schemas']['StackException'];

const routeApi = getRouteApi('/_app/projects/$projectId/events/$eventId');

/** `/projects/:projectId/events/:eventId`: one event with its whole (redacted) payload. */
export function EventPage() {
  const { projectId, eventId } = routeApi.useParams();
  const project = $api.useQuery('get', '/api/v1/projects/{projectId}', { params: { path: { projectId } } });
  const event = $api.useQuery('get', '/api/v1/projects/{projectId}/events/{eventId}', {
    params: { path: { projectId, eventId } },
  });
  useDocumentTitle(event.data ? `${event.data.message.slice(0, 60) || 'Event'} · Events` : 'Event');
  const back = (
    <Link to="/projects/$projectId/events" params={{ projectId }} className="btn btn--secondary">
      All events
    </Link>
  );

  if (event.isError) {
    const error = asApiError(event.error);
    return (
      <div className="page page--wide">
        {error.status === 404 ? (
          <EmptyState icon="search" title="This event does not exist" action={back}>
            <p>It may have been removed by retention, or the link is wrong.</p>
          </EmptyState>
        ) : (
          <ErrorNotice title="Could not load the event." error={error} onRetry={() => void event.refetch()} />
        )}
      </div>
    );
  }
  if (!event.data) {
    return (
      <div className="page page--wide">
        <SkeletonRows rows={5} label="Loading the event" />
      </div>
    );
  }
  const data = event.data;
  return (
    <div className="page page--wide">
      <PageHeader project={project.data?.name} title={<span className="event-title">{firstText(data.message, data.name) ?? 'Event'}</span>} actions={back}>
        <span className="badges">
          <TypeBadge type={data.type} />
          <LevelBadge level={data.level} />
        </span>
      </PageHeader>
      <div className="event-layout">
        <div className="event-layout__main">
          {data.exceptions.length > 0 && (
            <section className="card" aria-labelledby="event-exceptions">
              <h2 id="event-exceptions" className="card__title">
                Exception
              </h2>
              {data.exceptions.map((exception, index) => (
                <ExceptionSummary key={index} exception={exception} />
              ))}
            </section>
          )}
          {data.request && <RequestPanel request={data.request} />}
          <ContextPanel context={data.context} />
        </div>
        <aside className="event-layout__aside">
          <section className="card" aria-labelledby="event-facts">
            <h2 id="event-facts" className="card__title">
              Details
            </h2>
            <EventFacts projectId={projectId} event={data} />
          </section>
          <section className="card" aria-labelledby="event-tags">
            <h2 id="event-tags" className="card__title">
              Tags
            </h2>
            {data.tags && Object.keys(data.tags).length > 0 ? (
              <ul className="tag-list">
                {Object.entries(data.tags).map(([key, value]) => (
                  <li key={key} className="tag">
                    <span className="tag__key">{key}</span>
                    <span className="tag__value">{value}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small">No tags. Send them in the context's <code>tags</code> object.</p>
            )}
          </section>
        </aside>
      </div>
    </div>
  );
}

function EventFacts({ projectId, event }: { projectId: string; event: Event }) {
  return (
    <dl className="facts facts--compact">
      <dt>Occurred</dt>
      <dd>
        <RelativeTime iso={event.occurredAt} />
        {event.timePrecision !== 'exact' && <span className="muted small"> ({event.timePrecision})</span>}
      </dd>
      <dt>Received</dt>
      <dd>{formatDateTime(event.receivedAt)}</dd>
      {event.name && (
        <>
          <dt>Name</dt>
          <dd>
            <code>{event.name}</code>
          </dd>
        </>
      )}
      {event.status && (
        <>
          <dt>Status</dt>
          <dd>{event.status}</dd>
        </>
      )}
      {event.durationMs !== undefined && (
        <>
          <dt>Duration</dt>
          <dd>{formatDuration(event.durationMs)}</dd>
        </>
      )}
      {event.environment && (
        <>
          <dt>Environment</dt>
          <dd>{event.environment}</dd>
        </>
      )}
      {event.release && (
        <>
          <dt>Release</dt>
          <dd>{event.release}</dd>
        </>
      )}
      {event.traceId && (
        <>
          <dt>Trace</dt>
          <dd>
            <Link to="/projects/$projectId/traces/$traceId" params={{ projectId, traceId: event.traceId }}>
              <code>{event.traceId.slice(0, 16)}</code>
            </Link>
          </dd>
        </>
      )}
      {event.issueId && (
        <>
          <dt>Issue</dt>
          <dd>
            <Link to="/projects/$projectId/issues/$issueId" params={{ projectId, issueId: event.issueId }}>
              Open the issue
            </Link>
          </dd>
        </>
      )}
    </dl>
  );
}

function ExceptionSummary({ exception }: { exception: StackException }) {
  return (
    <div className="exception">
      <h3 className="exception__title">
        {exception.chained && <span className="muted small">{exception.chained}: </span>}
        <code>{exception.type}</code>: {exception.message}
      </h3>
      <ol className="frames" aria-label={`Frames of ${exception.type}`}>
        {exception.frames.map((frame, index) => (
          <li key={index} className={frame.inApp ? 'frame frame--in-app' : 'frame'}>
            <code>{frame.function ?? '(anonymous)'}</code>{' '}
            <span className="frame__location">
              {frame.file ?? frame.module ?? '?'}
              {frame.line !== undefined && `:${String(frame.line)}`}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

const REQUEST_FACTS: readonly [keyof RequestContext, string][] = [
  ['path', 'Path'],
  ['queryString', 'Query'],
  ['action', 'Handler'],
  ['clientIp', 'Client IP'],
  ['requestId', 'Request ID'],
  ['referer', 'Referer'],
  ['httpVersion', 'HTTP version'],
];

function RequestPanel({ request }: { request: RequestContext }) {
  const headers = Object.entries(request.headers ?? {});
  return (
    <section className="card" aria-labelledby="event-request">
      <h2 id="event-request" className="card__title">
        Request
      </h2>
      {(request.method ?? request.url) && (
        <p className="request-line">
          {request.method && <span className="badge badge--accent">{request.method}</span>}{' '}
          <code>{request.url ?? request.path}</code>
        </p>
      )}
      <dl className="facts facts--compact">
        {REQUEST_FACTS.map(([key, label]) => {
          const value = request[key];
          return typeof value === 'string' && value ? (
            <div key={key} className="facts__row">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ) : null;
        })}
      </dl>
      {headers.length > 0 && (
        <div className="table-wrap">
          <table className="table table--compact">
            <caption className="table-caption">Headers</caption>
            <tbody>
              {headers.map(([name, value]) => (
                <tr key={name}>
                  <th scope="row" className="nowrap">
                    {name}
                  </th>
                  <td className="mono">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {request.params && Object.keys(request.params).length > 0 && (
        <details className="json-details">
          <summary>Parameters</summary>
          <pre className="code json">{JSON.stringify(request.params, null, 2)}</pre>
        </details>
      )}
    </section>
  );
}

function ContextPanel({ context }: { context: Record<string, unknown> }) {
  const json = JSON.stringify(context, null, 2);
  const empty = Object.keys(context).length === 0;
  return (
    <section className="card" aria-labelledby="event-context">
      <h2 id="event-context" className="card__title">
        Context
      </h2>
      {empty ? (
        <p className="muted small">The client sent no context.</p>
      ) : (
        <details className="json-details" open>
          <summary>Context JSON (redacted: secrets, tokens, cookies and e-mail addresses are replaced)</summary>
          <div className="json-details__actions">
            <CopyButton text={json} label="Copy JSON" />
          </div>
          <pre className="code json" tabIndex={0} aria-label="Context JSON">
            {json}
          </pre>
        </details>
      )}
    </section>
  );
}
