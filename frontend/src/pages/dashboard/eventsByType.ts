import type { components } from '../../api/schema.gen';
import type { ChartOption } from './echarts';

type EventTypeCounts = components['schemas']['EventTypeCounts'];

/** The colours a chart takes from the theme (CSS variables), so it follows light and dark. */
export interface ChartPalette {
  text: string;
  muted: string;
  border: string;
  surface: string;
  series: Record<keyof EventTypeCounts, string>;
}

/** The event types of the dashboard, in display order, with their labels. */
export const EVENT_TYPES: readonly { key: keyof EventTypeCounts; label: string }[] = [
  { key: 'error', label: 'Errors' },
  { key: 'log', label: 'Logs' },
  { key: 'metric', label: 'Metrics' },
  { key: 'transaction', label: 'Transactions' },
  { key: 'checkIn', label: 'Check-ins' },
];

/** Reads the palette from the page's CSS variables (the current theme). */
export function readPalette(element: Element = document.documentElement): ChartPalette {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#17171c'),
    muted: read('--muted', '#555561'),
    border: read('--border', '#e2e2e8'),
    surface: read('--surface', '#ffffff'),
    series: {
      error: read('--danger', '#c0261c'),
      log: read('--accent', '#4f46e5'),
      metric: read('--chart-metric', '#0e7490'),
      transaction: read('--success', '#137333'),
      checkIn: read('--warning', '#8a5300'),
    },
  };
}

/**
 * A horizontal bar per event type (pure: API counts and a palette in, an ECharts option out).
 * `animate` is off in tests, under reduced motion and in the browser tests.
 */
export function eventsByTypeOption(counts: EventTypeCounts, palette: ChartPalette, animate: boolean): ChartOption {
  const types = [...EVENT_TYPES].reverse(); // ECharts draws categories bottom-up.
  return {
    animation: animate,
    grid: { left: 8, right: 48, top: 4, bottom: 4, containLabel: true },
    xAxis: {
      type: 'value',
      minInterval: 1,
      splitLine: { lineStyle: { color: palette.border } },
      axisLabel: { color: palette.muted },
    },
    yAxis: {
      type: 'category',
      data: types.map((t) => t.label),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: palette.border } },
      axisLabel: { color: palette.text },
    },
    series: [
      {
        type: 'bar',
        name: 'Events in the last 24 hours',
        barMaxWidth: 18,
        label: { show: true, position: 'right', color: palette.muted },
        data: types.map((t) => ({ value: counts[t.key], itemStyle: { color: palette.series[t.key], borderRadius: 3 } })),
      },
    ],
  };
}
