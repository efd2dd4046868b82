/**
 * The ECharts build the app uses: only the bar chart and its grid, drawn as SVG (values are
 * labelled on the bars, so no tooltip).
 * Tree-shaken through `echarts/core`, and imported only by EChart.tsx (a lazy chunk), so the
 * library never weighs on the first load.
 */
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, type GridComponentOption } from 'echarts/components';
import { init, use as register, type ComposeOption, type EChartsType } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

register([BarChart, GridComponent, SVGRenderer]);

export { init };
export type { EChartsType };

/** The options our charts may use (what is registered above). */
export type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption>;
