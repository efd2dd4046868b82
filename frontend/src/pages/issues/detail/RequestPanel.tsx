import type { components } from '../../../api/schema.gen';
import { EmptyState } from '../../../components/EmptyState';
import { JsonTree } from './JsonTree';
import { Facts } from './Facts';

type RequestContext = components['schemas']['RequestContext'];

/** The URL split for display: origin, path, and `?query`, each optional. */
function splitURL(request: RequestContext): { origin: string; path: string; query: string } {
  if (request.url) {
    try {
      const url = new URL(request.url);
      return { origin: url.origin === 'null' ? '' : url.origin, path: url.pathname, query: url.search };
    } catch {
      return { origin: '', path: request.url, query: '' };
    }
  }
  const query = request.queryString ? `?${request.queryString.replace(/^\?/, '')}` : '';
  return { origin: '', path: request.path ?? '', query };
}

function queryPairs(request: RequestContext, query: string): [string, string][] {
  const text = request.queryString ?? query;
  if (!text) return [];
  return Array.from(new URLSearchParams(text.replace(/^\?/, '')).entries());
}

function isEmpty(request: RequestContext | undefined): boolean {
  return !request || Object.values(request).every((v: unknown) => v === undefined || v === '');
}

/** The request an occurrence happened in: method and URL, client, headers, query and params. */
export function RequestPanel({ request }: { request: RequestContext | undefined }) {
  if (!request || isEmpty(request)) {
    return (
      <EmptyState icon="server" title="No request recorded">
        <p>This occurrence was not sent with a request (no method, URL, headers or parameters in its context).</p>
      </EmptyState>
    );
  }
  const { origin, path, query } = splitURL(request);
  const pairs = queryPairs(request, query);
  const headers = Object.entries(request.headers ?? {});
  const facts: [string, string | undefined][] = [
    ['Client IP', request.clientIp],
    ['Handler', request.action],
    ['Request ID', request.requestId],
    ['Referer', request.referer],
    ['HTTP version', request.httpVersion],
  ];
  return (
    <section aria-label="Request" className="request">
      <p className="request__line">
        {request.method && <span className="request__method">{request.method}</span>}
        <code className="request__url">
          {origin && <span className="request__origin">{origin}</span>}
          <span className="request__path">{path}</span>
          {query && <span className="request__query">{query}</span>}
        </code>
      </p>
      <Facts facts={facts} />
      <h3 className="detail-subtitle">Headers</h3>
      {headers.length === 0 ? (
        <p className="muted small">No headers were sent.</p>
      ) : (
        <KeyValueTable label="Headers" rows={headers} />
      )}
      <h3 className="detail-subtitle">Query string</h3>
      {pairs.length === 0 ? (
        <p className="muted small">No query string.</p>
      ) : (
        <KeyValueTable label="Query string" rows={pairs} />
      )}
      <h3 className="detail-subtitle">Parameters</h3>
      {request.params && Object.keys(request.params).length > 0 ? (
        <JsonTree value={request.params} label="Parameters" openDepth={2} />
      ) : (
        <p className="muted small">No parameters.</p>
      )}
    </section>
  );
}

function KeyValueTable({ label, rows }: { label: string; rows: readonly [string, string][] }) {
  return (
    <div className="table-wrap">
      <table className="table table--compact kv-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, value], index) => (
            <tr key={`${name}-${String(index)}`}>
              <th scope="row">
                <code>{name}</code>
              </th>
              <td>
                <code className={value === '[REDACTED]' ? 'json__redacted' : undefined}>{value}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
