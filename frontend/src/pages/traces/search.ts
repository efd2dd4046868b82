import { limited, optionalPeriod, type Period } from '../events/search';

/** The filters of the traces list, as they appear in the URL. */
export interface TracesSearch {
  period?: Period;
  q?: string;
}

/** Validates `/projects/$projectId/traces` search params (see validateEventsSearch). */
export function validateTracesSearch(search: Record<string, unknown>): TracesSearch {
  const result: TracesSearch = {};
  const period = optionalPeriod(search);
  if (period) result.period = period;
  const q = limited(search, 'q', 200);
  if (q) result.q = q;
  return result;
}
