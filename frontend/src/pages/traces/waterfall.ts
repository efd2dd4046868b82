import type { components } from '../../api/schema.gen';

type Span = components['schemas']['Span'];

/** The narrowest bar, in percent of the trace, so that instant spans stay visible and clickable. */
export const MIN_BAR_PCT = 0.4;

/** Beyond this depth rows stop indenting further, so deep trees keep their names readable. */
export const MAX_INDENT_DEPTH = 12;

/** Where a span's bar sits on the trace's time axis, in percent of the trace's duration. */
export interface BarGeometry {
  leftPct: number;
  widthPct: number;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * The bar of a span starting `offsetMs` after the trace and lasting `durationMs`, on an axis of
 * `traceMs`: never outside 0–100 %, at least MIN_BAR_PCT wide. A trace of zero duration (one
 * instant span) fills the axis.
 */
export function barGeometry(offsetMs: number, durationMs: number, traceMs: number): BarGeometry {
  if (!(traceMs > 0)) return { leftPct: 0, widthPct: 100 };
  const width = clamp((Math.max(0, durationMs) / traceMs) * 100, MIN_BAR_PCT, 100);
  const left = clamp((Math.max(0, offsetMs) / traceMs) * 100, 0, 100 - width);
  return { leftPct: round(left), widthPct: round(width) };
}

function round(pct: number): number {
  return Math.round(pct * 1000) / 1000;
}

/** The indent of a row, in rem: one step per level, up to MAX_INDENT_DEPTH. */
export function indentRem(depth: number): number {
  return Math.min(Math.max(0, depth), MAX_INDENT_DEPTH) * 1;
}

/** One row of the waterfall. */
export interface WaterfallRow {
  span: Span;
  bar: BarGeometry;
  indent: number;
  /** The span names a parent that is not in the trace, so it is shown as a root. */
  orphan: boolean;
  /** The colour family of its kind (`server`, `client`, `db`, ...; `other` for the rest). */
  tone: string;
}

// The reference's span kinds (app, browser, cache, db, http, internal, queue, render, resource,
// server) and OpenTelemetry's, in six colour families.
const TONES: Record<string, string> = {
  server: 'server',
  app: 'server',
  'http.server': 'server',
  client: 'client',
  http: 'client',
  'http.client': 'client',
  browser: 'client',
  resource: 'client',
  db: 'db',
  'db.query': 'db',
  sql: 'db',
  cache: 'cache',
  redis: 'cache',
  queue: 'queue',
  producer: 'queue',
  consumer: 'queue',
  internal: 'internal',
  render: 'internal',
  function: 'internal',
};

/** The colour family of a span kind. */
export function kindTone(kind: string): string {
  return TONES[kind.toLowerCase()] ?? 'other';
}

/** The waterfall's rows, in the API's depth-first order. */
export function waterfallRows(spans: readonly Span[], traceMs: number): WaterfallRow[] {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.map((span) => ({
    span,
    bar: barGeometry(span.offsetMs, span.durationMs, traceMs),
    indent: indentRem(span.depth),
    orphan: span.parentSpanId !== undefined && span.parentSpanId !== '' && !ids.has(span.parentSpanId),
    tone: kindTone(span.kind),
  }));
}

/** Tick marks of the time axis: 0, a quarter, half, three quarters and the whole trace. */
export function axisTicks(traceMs: number): { pct: number; ms: number }[] {
  return [0, 25, 50, 75, 100].map((pct) => ({ pct, ms: (traceMs * pct) / 100 }));
}

/** Whether a span status means it failed (`error`, an HTTP 5xx, `internal_error`, ...). */
export function isErrorStatus(status: string | undefined): boolean {
  if (!status) return false;
  const s = status.toLowerCase();
  return s === 'error' || s.endsWith('_error') || /^5\d\d$/.test(s) || s === 'failed' || s === 'unknown_error';
}
