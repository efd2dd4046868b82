import { useState } from 'react';

type Branch = readonly unknown[] | Readonly<Record<string, unknown>>;

function isBranch(value: unknown): value is Branch {
  return typeof value === 'object' && value !== null;
}

function entriesOf(value: Branch): [string, unknown][] {
  return Array.isArray(value) ? value.map((item, index): [string, unknown] => [String(index), item]) : Object.entries(value);
}

function summary(value: Branch): string {
  const n = entriesOf(value).length;
  if (Array.isArray(value)) return `[${String(n)} ${n === 1 ? 'item' : 'items'}]`;
  return `{${String(n)} ${n === 1 ? 'key' : 'keys'}}`;
}

function Leaf({ value }: { value: unknown }) {
  if (value === null) return <span className="json__null">null</span>;
  switch (typeof value) {
    case 'string':
      return <span className={value === '[REDACTED]' ? 'json__string json__redacted' : 'json__string'}>{JSON.stringify(value)}</span>;
    case 'number':
    case 'bigint':
      return <span className="json__number">{String(value)}</span>;
    case 'boolean':
      return <span className="json__boolean">{String(value)}</span>;
    default:
      return <span className="json__null">{typeof value}</span>;
  }
}

function JsonNode({ name, value, depth, openDepth }: { name: string; value: unknown; depth: number; openDepth: number }) {
  const [open, setOpen] = useState(depth < openDepth);
  if (!isBranch(value) || entriesOf(value).length === 0) {
    return (
      <li className="json__row">
        <span className="json__key">{name}</span>
        <span className="json__colon">: </span>
        {isBranch(value) ? <span className="json__null">{Array.isArray(value) ? '[]' : '{}'}</span> : <Leaf value={value} />}
      </li>
    );
  }
  return (
    <li className="json__row">
      <button
        type="button"
        className="json__toggle"
        aria-expanded={open}
        onClick={() => { setOpen((o) => !o); }}
      >
        <span className="json__caret" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        <span className="json__key">{name}</span>{' '}
        <span className="json__summary">{summary(value)}</span>
      </button>
      {open && (
        <ul className="json__children" aria-label={name}>
          {entriesOf(value).map(([key, child]) => (
            <JsonNode key={key} name={key} value={child} depth={depth + 1} openDepth={openDepth} />
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * A collapsible view of a JSON value: each object and array is a disclosure button
 * (aria-expanded) over a nested list, so it reads and works the same with a keyboard and a
 * screen reader. The first `openDepth` levels start open; "Expand all" and "Collapse all" reset
 * every node.
 */
export function JsonTree({ value, label, openDepth = 1 }: { value: unknown; label: string; openDepth?: number }) {
  // Remounting the nodes (a new key) is how Expand all / Collapse all reset their own state.
  const [mode, setMode] = useState<{ depth: number; generation: number }>({ depth: openDepth, generation: 0 });
  const entries = isBranch(value) ? entriesOf(value) : [];
  return (
    <div className="json">
      <div className="json__tools">
        <button
          type="button"
          className="btn btn--small btn--ghost"
          onClick={() => { setMode((m) => ({ depth: Number.POSITIVE_INFINITY, generation: m.generation + 1 })); }}
        >
          Expand all
        </button>
        <button
          type="button"
          className="btn btn--small btn--ghost"
          onClick={() => { setMode((m) => ({ depth: 0, generation: m.generation + 1 })); }}
        >
          Collapse all
        </button>
      </div>
      {isBranch(value) ? (
        entries.length === 0 ? (
          <p className="muted small">Empty.</p>
        ) : (
          <ul className="json__tree" aria-label={label} key={mode.generation}>
            {entries.map(([key, child]) => (
              <JsonNode key={key} name={key} value={child} depth={0} openDepth={mode.depth} />
            ))}
          </ul>
        )
      ) : (
        <p className="json__tree">
          <Leaf value={value} />
        </p>
      )}
    </div>
  );
}
