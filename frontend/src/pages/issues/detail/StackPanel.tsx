import { useState } from 'react';
import type { components } from '../../../api/schema.gen';
import { EmptyState } from '../../../components/EmptyState';

type StackException = components['schemas']['StackException'];
type StackFrame = components['schemas']['StackFrame'];

const CHAINED: Record<NonNullable<StackException['chained']>, string> = {
  cause: 'Caused by',
  context: 'During handling of it, another exception occurred',
  inner: 'Inner exception',
  suppressed: 'Suppressed',
};

function location(frame: StackFrame): string {
  const parts = [frame.file ?? frame.module ?? '?'];
  if (frame.line !== undefined) parts.push(String(frame.line));
  if (frame.line !== undefined && frame.column !== undefined) parts.push(String(frame.column));
  return parts.join(':');
}

/**
 * An occurrence's exception chain: the reported exception, then those chained to it (causes,
 * inner exceptions), each with its frames and their source lines. In-app frames only by
 * default when there are any.
 */
export function StackPanel({ message, exceptions }: { message: string; exceptions: readonly StackException[] }) {
  const [inAppOnly, setInAppOnly] = useState(true);
  const hasInApp = exceptions.some((e) => e.frames.some((f) => f.inApp));
  return (
    <section aria-label="Stack trace">
      <div className="toolbar">
        <p className="stack__message">{message}</p>
        {hasInApp && (
          <div className="segmented" role="group" aria-label="Frames">
            <button type="button" className="btn btn--small btn--ghost" aria-pressed={inAppOnly} onClick={() => { setInAppOnly(true); }}>
              In-app only
            </button>
            <button type="button" className="btn btn--small btn--ghost" aria-pressed={!inAppOnly} onClick={() => { setInAppOnly(false); }}>
              All frames
            </button>
          </div>
        )}
      </div>
      {exceptions.length === 0 ? (
        <EmptyState icon="info" title="No stack trace">
          <p>This occurrence named no exception: only its message was sent.</p>
        </EmptyState>
      ) : (
        exceptions.map((exception, index) => (
          <ExceptionView key={index} exception={exception} inAppOnly={inAppOnly && hasInApp} />
        ))
      )}
    </section>
  );
}

function ExceptionView({ exception, inAppOnly }: { exception: StackException; inAppOnly: boolean }) {
  const frames = inAppOnly ? exception.frames.filter((f) => f.inApp) : exception.frames;
  const hidden = exception.frames.length - frames.length;
  return (
    <div className={exception.parent >= 0 ? 'exception exception--chained' : 'exception'}>
      {exception.chained && <p className="exception__chain">{CHAINED[exception.chained]}</p>}
      <h3 className="exception__title">
        <code>{exception.module ? `${exception.module}.${exception.type}` : exception.type}</code>
        {exception.message && <>: {exception.message}</>}
      </h3>
      {exception.frames.length === 0 ? (
        <p className="muted small">No frames were sent for this exception.</p>
      ) : (
        <ol className="frames" aria-label={`Frames of ${exception.type}`}>
          {frames.map((frame, index) => (
            <li key={index} className={frame.inApp ? 'frame frame--in-app' : 'frame'}>
              <code className="frame__function">{frame.function ?? '(anonymous)'}</code>{' '}
              <span className="frame__location">{location(frame)}</span>
              {frame.inApp && <span className="badge badge--accent">in app</span>}
              <SourceContext frame={frame} />
            </li>
          ))}
        </ol>
      )}
      {hidden > 0 && (
        <p className="muted small">
          {hidden} library {hidden === 1 ? 'frame' : 'frames'} hidden.
        </p>
      )}
    </div>
  );
}

/** The frame's source: the lines before, the line (marked), the lines after, numbered when the line is known. */
function SourceContext({ frame }: { frame: StackFrame }) {
  if (frame.contextLine === undefined) return null;
  const pre = frame.preContext ?? [];
  const post = frame.postContext ?? [];
  const lines = [...pre, frame.contextLine, ...post];
  const first = frame.line !== undefined ? frame.line - pre.length : undefined;
  const width = first !== undefined ? String(first + lines.length - 1).length : 0;
  return (
    <pre className="code source" aria-label={`Source around ${location(frame)}`}>
      <code>
        {lines.map((text, index) => {
          const current = index === pre.length;
          return (
            <span key={index} className={current ? 'source__line is-current' : 'source__line'}>
              {first !== undefined && (
                <span className="source__number" aria-hidden="true">
                  {String(first + index).padStart(width, ' ')}
                </span>
              )}
              {text}
              {current && <span className="visually-hidden"> (this line)</span>}
            </span>
          );
        })}
      </code>
    </pre>
  );
}
