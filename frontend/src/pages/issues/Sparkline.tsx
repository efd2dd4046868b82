/** A tiny inline bar chart of an issue's occurrences per bucket, oldest first. */
export function Sparkline({ values, label }: { values: readonly number[]; label: string }) {
  const width = 72;
  const height = 20;
  const max = Math.max(1, ...values);
  const step = values.length > 0 ? width / values.length : width;
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${String(width)} ${String(height)}`} role="img" aria-label={label}>
      {values.map((value, i) => {
        const h = value === 0 ? 1 : Math.max(2, (value / max) * height);
        return (
          <rect
            key={i}
            x={i * step}
            y={height - h}
            width={Math.max(1, step - 1)}
            height={h}
            className={value === 0 ? 'sparkline__bar sparkline__bar--zero' : 'sparkline__bar'}
          />
        );
      })}
    </svg>
  );
}
