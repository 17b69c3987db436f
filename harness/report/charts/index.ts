/** The chart builders: pure functions from plain rows to Vega-Lite specs (one per file). */
export { groupedBarChart, type GroupedBarOptions, type GroupedBarRow } from './grouped-bar.js';
export { lineWithBandChart, type LineCiOptions, type LineCiRow } from './line-ci.js';
export { lengthHistogramChart, type LengthHistogramOptions, type LengthSeries } from './length-histogram.js';
export { lengthEcdfChart, type LengthEcdfOptions } from './length-ecdf.js';
export { gpuTimelineChart, type GpuTimelineOptions, type TimelineSpan } from './gpu-timeline.js';
export { costVsTimeChart, type CostTimeOptions, type CostTimeRow } from './cost-vs-time.js';
export { paretoScatterChart, type ParetoOptions, type ParetoRow } from './pareto-scatter.js';
export { tornadoChart, type TornadoOptions, type TornadoRow } from './tornado.js';
export { intervalDotChart, type IntervalDotOptions, type IntervalDotRow, type IntervalTarget } from './interval-dot.js';
export { waterfallChart, type WaterfallOptions, type WaterfallStep } from './waterfall.js';
export { gpuUtilisationChart, type UtilisationOptions, type UtilisationRow } from './gpu-utilisation.js';
export { assignLanes } from './timeline-lanes.js';
export { measuredVsSimulatedChart, type MeasuredSimulatedOptions, type MeasuredSimulatedRow } from './measured-vs-simulated.js';
export { errorStripChart, type ErrorStripOptions, type ErrorStripRow } from './error-strip.js';
