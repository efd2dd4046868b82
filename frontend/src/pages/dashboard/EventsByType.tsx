import { lazy, Suspense } from 'react';
import type { components } from '../../api/schema.gen';
import { useTheme } from '../../theme/theme';
import { EVENT_TYPES, eventsByTypeOption, readPalette } from './eventsByType';

type EventTypeCounts = components['schemas']['EventTypeCounts'];

// ECharts and its wrapper load only when a dashboard with events renders.
const EChart = lazy(() => import('./EChart'));

function animate(): boolean {
  // Browser tests (navigator.webdriver) and jsdom (no matchMedia) get a still chart.
  if (navigator.webdriver || typeof window.matchMedia !== 'function') return false;
  return !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/**
 * The last 24 hours' events by type: an ECharts bar chart (loaded lazily) for the eye, and the
 * same numbers as a list for everyone (screen readers read the list; the chart is one image).
 */
export function EventsByType({ counts }: { counts: EventTypeCounts }) {
  // Subscribing re-renders on a theme change, which re-reads the CSS variables.
  useTheme();
  const option = eventsByTypeOption(counts, readPalette(), animate());
  const total = EVENT_TYPES.reduce((sum, t) => sum + counts[t.key], 0);
  if (total === 0) {
    return <p className="muted dash-empty">No events in the last 24 hours.</p>;
  }
  const summary = EVENT_TYPES.map((t) => `${t.label} ${counts[t.key].toLocaleString()}`).join(', ');
  return (
    <div className="events-by-type">
      <Suspense fallback={<div className="echart echart--loading" style={{ height: 170 }} aria-hidden="true" />}>
        <EChart option={option} label={`Events in the last 24 hours by type: ${summary}`} height={170} />
      </Suspense>
      <ul className="legend-list" aria-label="Events in the last 24 hours by type">
        {EVENT_TYPES.map((t) => (
          <li key={t.key} className="legend-list__item">
            <span className={`legend-dot legend-dot--${t.key}`} aria-hidden="true" />
            <span>{t.label}</span>
            <strong>{counts[t.key].toLocaleString()}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}
