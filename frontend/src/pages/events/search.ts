import type { components } from '../../api/schema.gen';
import { optionalString } from '../../searchParams';

export type TelemetryType = components['schemas']['TelemetryType'];

/** How far back a feed looks (the API's `period`); `24h` is the default and stays out of the URL. */
export type Period = '24h' | '7d' | '30d' | '90d' | 'all';

export const PERIODS: readonly { value: Period; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
  { value: 'all', label: 'All time' },
];

export const TELEMETRY_TYPES: readonly { value: TelemetryType; label: string }[] = [
  { value: 'log', label: 'Logs' },
  { value: 'metric', label: 'Metrics' },
  { value: 'transaction', label: 'Transactions' },
  { value: 'check_in', label: 'Check-ins' },
];

/** The filters of the events feed, as they appear in the URL. */
export interface EventsSearch {
  type?: TelemetryType;
  period?: Period;
  q?: string;
  environment?: string;
  release?: string;
}

/** A period from the URL, if it is one the API knows; the default (24h) is left out. */
export function optionalPeriod(search: Record<string, unknown>): Period | undefined {
  const value = optionalString(search, 'period');
  const found = PERIODS.find((p) => p.value === value);
  return found && found.value !== '24h' ? found.value : undefined;
}

/**
 * Validates `/projects/$projectId/events` search params: unknown types and periods are dropped,
 * text is kept within the API's limits, and empty values disappear, so a shared URL always loads.
 */
export function validateEventsSearch(search: Record<string, unknown>): EventsSearch {
  const type = optionalString(search, 'type');
  const result: EventsSearch = {};
  const known = TELEMETRY_TYPES.find((t) => t.value === type);
  if (known) result.type = known.value;
  const period = optionalPeriod(search);
  if (period) result.period = period;
  const q = limited(search, 'q', 200);
  if (q) result.q = q;
  const environment = limited(search, 'environment', 80);
  if (environment) result.environment = environment;
  const release = limited(search, 'release', 80);
  if (release) result.release = release;
  return result;
}

/** A trimmed text parameter cut at `max` characters; undefined when blank. */
export function limited(search: Record<string, unknown>, key: string, max: number): string | undefined {
  const value = optionalString(search, key)?.trim().slice(0, max);
  return value === '' ? undefined : value;
}
