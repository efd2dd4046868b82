import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { $api, asApiError } from '../../api/client';
import type { components } from '../../api/schema.gen';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNotice, Notice } from '../../components/ErrorNotice';
import { SkeletonRows } from '../../components/Loading';
import { formatDateTime, RelativeTime } from '../../components/Time';
import { useDocumentTitle } from '../../components/useDocumentTitle';
import { formatDuration } from '../events/format';
import { PageHeader } from '../events/parts';
import { LevelBadge } from '../issues/levels';
import { axisTicks, isErrorStatus, waterfallRows, type WaterfallRow } from './waterfall';
import '../events/telemetry.css';

type Trace = components['schemas']['Trace'];
type Span = components['schemas']['Span'];

const routeApi = getRouteApi('/_app/projects/$projectId/traces/$traceId');

/** `/projects/:projectId/traces/:traceId`: the trace's spans as a waterfall, and its errors. */
export function TracePage() {
  const { projectId, traceId } = routeApi.useParams();
  const project = $api.useQuery('get', '/api/v1/projects/{projectId}', { params: { path: { projectId } } });
  const trace = $api.useQuery('get', '/api/v1/projects/{projectId}/traces/{traceId}', {
    params: { path: { projectId, traceId } },
  });
  const root = trace.data?.spans[0];
  useDocumentTitle(root ? `${root.name} · Traces` : 'Trace');
  const back = (
    <Link to="/projects/$projectId/traces" params={{ projectId }} className="btn btn--secondary">
      All traces
    </Link>
  );

  if (trace.isError) {
    const error = asApiError(trace.error);
    return (
      <div className="page page--wide">
        {error.status === 404 ? (
          <EmptyState icon="search" title="No spans with this trace id" action={back}>
            <p>
              The trace <code>{traceId}</code> has no spans here: they may not have arrived yet, or retention removed
              them.
            </p>
          </EmptyState>
        ) : (
          <ErrorNotice title="Could not load the trace." error={error} onRetry={() => void trace.refetch()} />
        )}
      </div>
    );
  }
  if (!trace.data) {
    return (
      <div className="page page--wide">
        <SkeletonRows rows={8} label="Loading the trace" />
      </div>
    );
  }
  const data = trace.data;
  return (
    <div className="page page--wide">
      <PageHeader project={project.data?.name} title={root?.name ?? 'Trace'} actions={back}>
        <span className="trace-summary">
          <span>
            Trace <code>{data.traceId}</code>
          </span>
          <span>{formatDuration(data.durationMs)}</span>
          <span>
            {data.spans.length} {data.spans.length === 1 ? 'span' : 'spans'}
          </span>
          <span title={formatDateTime(data.startedAt)}>
            started <RelativeTime iso={data.startedAt} />
          </span>
        </span>
      </PageHeader>
      {data.truncated && (
        <Notice tone="warning" title="This trace is truncated">
          <p>It has more than 2,000 spans; the first 2,000 by start time are shown.</p>
        </Notice>
      )}
      {data.errors.length > 0 && <TraceErrors projectId={projectId} trace={data} />}
      <Waterfall trace={data} />
    </div>
  );
}

function TraceErrors({ projectId, trace }: { projectId: string; trace: Trace }) {
  return (
    <section className="card trace-errors" aria-labelledby="trace-errors">
      <h2 id="trace-errors" className="card__title">
        Errors in this trace ({trace.errors.length})
      </h2>
      <ul className="plain-list">
        {trace.errors.map((error) => (
          <li key={error.id} className="plain-list__item">
            <LevelBadge level={error.level} />{' '}
            {error.issueId ? (
              <Link to="/projects/$projectId/issues/$issueId" params={{ projectId, issueId: error.issueId }}>
                {error.message || 'Error'}
              </Link>
            ) : (
              <Link to="/projects/$projectId/events/$eventId" params={{ projectId, eventId: error.id }}>
                {error.message || 'Error'}
              </Link>
            )}{' '}
            <span className="muted small">
              <RelativeTime iso={error.occurredAt} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Waterfall({ trace }: { trace: Trace }) {
  const rows = waterfallRows(trace.spans, trace.durationMs);
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const selected = rows.find((row) => row.span.id === selectedId);
  if (rows.length === 0) {
    return (
      <div className="card">
        <EmptyState icon="search" title="This trace has no spans" />
      </div>
    );
  }
  return (
    <div className={selected ? 'waterfall-layout has-detail' : 'waterfall-layout'}>
      <section className="card card--flush waterfall" aria-labelledby="waterfall-title">
        <div className="waterfall__head">
          <h2 id="waterfall-title" className="waterfall__title">
            Spans
          </h2>
          <div className="waterfall__axis" aria-hidden="true">
            {axisTicks(trace.durationMs).map((tick) => (
              <span key={tick.pct} className="waterfall__tick" style={{ left: `${String(tick.pct)}%` }}>
                {formatDuration(tick.ms)}
              </span>
            ))}
          </div>
        </div>
        <p className="visually-hidden">Select a span to see its timings and attributes.</p>
        <ol className="waterfall__rows" aria-label="Spans">
          {rows.map((row) => (
            <SpanRow
              key={row.span.id}
              row={row}
              selected={row.span.id === selectedId}
              onSelect={() => { setSelectedId(row.span.id === selectedId ? undefined : row.span.id); }}
            />
          ))}
        </ol>
      </section>
      {selected && (
        <SpanDetail
          span={selected.span}
          orphan={selected.orphan}
          onClose={() => { setSelectedId(undefined); }}
        />
      )}
    </div>
  );
}

function SpanRow({ row, selected, onSelect }: { row: WaterfallRow; selected: boolean; onSelect: () => void }) {
  const { span, bar, indent, orphan, tone } = row;
  const failed = isErrorStatus(span.status);
  const timing = `starts at +${formatDuration(span.offsetMs)}, lasts ${formatDuration(span.durationMs)}`;
  const tipId = `span-tip-${span.id}`;
  return (
    <li className={selected ? 'span-row is-selected' : 'span-row'} data-depth={span.depth}>
      <button
        type="button"
        className="span-row__button"
        aria-pressed={selected}
        aria-describedby={tipId}
        onClick={onSelect}
      >
        <span className="span-row__label" style={{ paddingLeft: `${String(0.75 + indent)}rem` }}>
          <span className={`span-kind span-kind--${tone}`}>{span.kind}</span>
          <span className="span-row__name">{span.name}</span>
          {orphan && (
            <span className="badge badge--warning" title="Its parent span is not in this trace">
              orphan
            </span>
          )}
          {failed && <span className="badge badge--danger">{span.status}</span>}
        </span>
        <span className="span-row__track">
          <span
            className={`span-bar span-bar--${tone}${failed ? ' span-bar--error' : ''}`}
            data-testid="span-bar"
            style={{ left: `${String(bar.leftPct)}%`, width: `${String(bar.widthPct)}%` }}
          />
          <span className="span-row__duration">{formatDuration(span.durationMs)}</span>
          <span className="span-row__tip" id={tipId} role="tooltip">
            {span.name}: {timing}
          </span>
        </span>
      </button>
    </li>
  );
}

function SpanDetail({ span, orphan, onClose }: { span: Span; orphan: boolean; onClose: () => void }) {
  const attributes = Object.keys(span.attributes).length > 0 ? JSON.stringify(span.attributes, null, 2) : undefined;
  return (
    <section className="card span-detail" aria-labelledby="span-detail-title">
      <div className="span-detail__head">
        <h2 id="span-detail-title" className="card__title">
          {span.name}
        </h2>
        <button type="button" className="btn btn--ghost btn--small" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="facts facts--compact">
        <dt>Kind</dt>
        <dd>{span.kind}</dd>
        <dt>Status</dt>
        <dd>{span.status ?? '–'}</dd>
        <dt>Starts at</dt>
        <dd>
          +{formatDuration(span.offsetMs)} <span className="muted small">({formatDateTime(span.startedAt)})</span>
        </dd>
        <dt>Duration</dt>
        <dd>{formatDuration(span.durationMs)}</dd>
        <dt>Span ID</dt>
        <dd>
          <code>{span.spanId}</code>
        </dd>
        <dt>Parent</dt>
        <dd>
          {span.parentSpanId ? <code>{span.parentSpanId}</code> : 'none (root)'}
          {orphan && <span className="muted small"> — not in this trace</span>}
        </dd>
      </dl>
      <h3 className="span-detail__subtitle">Attributes</h3>
      {attributes ? (
        <pre className="code json" tabIndex={0} aria-label="Span attributes">
          {attributes}
        </pre>
      ) : (
        <p className="muted small">No attributes.</p>
      )}
    </section>
  );
}
