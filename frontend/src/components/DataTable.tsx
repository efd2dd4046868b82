import type { ReactNode } from 'react';

/**
 * A table of records in its scrolling wrapper: a header row of `columns`, then `children` (the
 * rows). `label` names it for screen readers; `actions` adds a last column, named only for them,
 * for each row's buttons.
 */
export function DataTable({
  label,
  columns,
  actions = false,
  children,
}: {
  label?: string;
  columns: readonly string[];
  actions?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
