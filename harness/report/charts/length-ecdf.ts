import { ecdf } from '../../stats/ecdf.js';
import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, distinctInOrder, formatNumber, HOVER_ENCODING, hoverText, VEGA_LITE_SCHEMA } from './common.js';
import type { LengthSeries } from './length-histogram.js';

export interface LengthEcdfOptions {
  /** Log x axis. Default false. */
  readonly logX?: boolean;
  /** Points kept per trace (evenly spaced among distinct lengths). Default 200. */
  readonly maxPoints?: number;
  readonly xTitle?: string;
  readonly seriesTitle?: string;
  readonly width?: number;
  readonly height?: number;
  readonly description?: string;
}

/**
 * Empirical CDF of response lengths, one step line per trace on shared axes: where the tail
 * starts, what share hits the length cap. On a log axis lengths below 1 token count as 1.
 */
export function lengthEcdfChart(traces: readonly LengthSeries[], options: LengthEcdfOptions = {}): VegaLiteSpec {
  const logX = options.logX ?? false;
  const order = distinctInOrder(traces.map((trace) => trace.series));
  if (order.length !== traces.length) throw new TypeError('lengthEcdfChart: each series must appear once');
  const values = traces.flatMap((trace) => {
    const lengths = logX ? trace.lengthsTokens.map((length) => Math.max(1, length)) : trace.lengthsTokens;
    return ecdf(lengths, options.maxPoints ?? 200).map((point) => ({
      series: trace.series,
      lengthTokens: point.value,
      fraction: point.fraction,
      ...hoverText([trace.series, `${formatNumber(100 * point.fraction)}% of responses ≤ ${formatNumber(point.value)} tokens`]),
    }));
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? 480,
    height: options.height ?? 300,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: {
        field: 'lengthTokens',
        type: 'quantitative',
        title: options.xTitle ?? 'Response length (tokens)',
        scale: logX ? { type: 'log' } : { zero: true },
        axis: { labelOverlap: true },
      },
      y: { field: 'fraction', type: 'quantitative', title: 'Share of responses ≤ length', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal', title: options.seriesTitle ?? 'Trace', scale: { domain: order }, legend: bottomLegend(order) },
      ...HOVER_ENCODING,
    },
  };
}
