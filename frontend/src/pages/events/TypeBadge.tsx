import type { components } from '../../api/schema.gen';

type EventType = components['schemas']['EventType'];

const TYPE_LABELS: Record<EventType, string> = {
  error: 'Error',
  log: 'Log',
  metric: 'Metric',
  transaction: 'Transaction',
  check_in: 'Check-in',
};

/** The kind of an event, as a coloured label (the colour only repeats the text). */
export function TypeBadge({ type }: { type: EventType }) {
  return <span className={`badge type-badge type-badge--${type}`}>{TYPE_LABELS[type]}</span>;
}
