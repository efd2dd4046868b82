import { useEffect, useRef } from 'react';
import { init, type ChartOption, type EChartsType } from './echarts';

/**
 * The one component that touches an ECharts instance: `init` on mount, `setOption` (not merged)
 * whenever the option changes, `resize` with its box, `dispose` on unmount. When a render
 * finishes it sets `data-chart-ready` (Playwright waits for it). The chart is a picture for
 * sighted users: `label` names it, and pages give the same numbers as text.
 */
export default function EChart({ option, label, height }: { option: ChartOption; label: string; height: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const instance = init(element, undefined, { renderer: 'svg' });
    chart.current = instance;
    instance.on('finished', () => {
      element.dataset.chartReady = 'true';
    });
    const observer = new ResizeObserver(() => { instance.resize(); });
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} className="echart" role="img" aria-label={label} style={{ height }} />;
}
