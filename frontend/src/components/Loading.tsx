/** A small spinning ring, for buttons and inline waits. Decorative: pair it with text. */
export function Spinner({ size = 16 }: { size?: number }) {
  return <span className="spinner" style={{ width: size, height: size }} aria-hidden="true" />;
}

/** A polite "loading" line with a spinner. */
export function Loading({ children }: { children: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <Spinner />
      <span>{children}</span>
    </p>
  );
}

/** Placeholder rows while a list loads: keeps the layout from jumping. */
export function SkeletonRows({ rows = 3, label }: { rows?: number; label: string }) {
  return (
    <div className="skeleton-rows" role="status" aria-live="polite" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" />
      ))}
    </div>
  );
}
