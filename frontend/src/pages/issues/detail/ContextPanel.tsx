import type { components } from '../../../api/schema.gen';
import { JsonTree } from './JsonTree';
import { Facts } from './Facts';

type Event = components['schemas']['Event'];

/** An occurrence's tags as chips, and its whole (redacted) context as a JSON tree. */
export function ContextPanel({ event }: { event: Event }) {
  const tags = Object.entries(event.tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const facts: [string, string | undefined][] = [
    ['Environment', event.environment],
    ['Release', event.release],
    ['Trace ID', event.traceId],
    ['Fingerprint', event.fingerprint],
  ];
  return (
    <section aria-label="Context and tags">
      <h3 className="detail-subtitle">Tags</h3>
      {tags.length === 0 ? (
        <p className="muted small">No tags were sent with this occurrence.</p>
      ) : (
        <ul className="tag-list" aria-label="Tags">
          {tags.map(([key, value]) => (
            <li key={key} className="tag">
              <span className="tag__key">{key}</span>
              <span className="tag__value">{value}</span>
            </li>
          ))}
        </ul>
      )}
      <Facts facts={facts} />
      <h3 className="detail-subtitle">Context</h3>
      <p className="muted small">
        As the client sent it, redacted: values of passwords, secrets, tokens, cookies, e-mail addresses and
        identifiers read <code>[REDACTED]</code>.
      </p>
      <JsonTree value={event.context} label="Context" />
    </section>
  );
}
