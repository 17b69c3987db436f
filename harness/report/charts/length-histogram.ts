import { histogram } from '../../stats/histogram.js';
import { median } from '../../stats/median.js';
import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { distinctInOrder, formatNumber, HOVER_ENCODING, hoverText, VEGA_LITE_SCHEMA } from './common.js';

/** All response lengths of one trace. */
export interface LengthSeries {
  readonly series: string;
  readonly lengthsTokens: readonly number[];
}

export interface LengthHistogramOptions {
  /** Geometric bins on a log x axis: long-tailed length distributions read better. Default false. */
  readonly logX?: boolean;
  /** Default 40. */
  readonly binCount?: number;
  readonly xTitle?: string;
  /** Height of each trace's row, px. Default 90. */
  readonly rowHeight?: number;
  readonly width?: number;
  readonly description?: string;
}

/**
 * One histogram row per trace over shared bins (same x axis, so shapes compare), with the share
 * of the trace's responses per bin on y (traces of different sizes compare) and the median as a
 * rule. Bins are computed here, so the page carries bin counts, not every response. On a log
 * axis a zero-length response is drawn in the first bin (lengths below 1 token count as 1).
 */
export function lengthHistogramChart(traces: readonly LengthSeries[], options: LengthHistogramOptions = {}): VegaLiteSpec {
  const logX = options.logX ?? false;
  const order = distinctInOrder(traces.map((trace) => trace.series));
  if (order.length !== traces.length) throw new TypeError('lengthHistogramChart: each series must appear once');
  const prepared = traces.map((trace) => ({
    series: trace.series,
    lengths: logX ? trace.lengthsTokens.map((length) => Math.max(1, length)) : [...trace.lengthsTokens],
  }));
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const { lengths } of prepared) {
    for (const length of lengths) {
      if (length < min) min = length;
      if (length > max) max = length;
    }
  }
  const domain: [number, number] = [min, max];
  const values: Record<string, unknown>[] = [];
  prepared.forEach(({ series, lengths }, seriesOrder) => {
    if (lengths.length === 0) return;
    const bins = histogram(lengths, { binCount: options.binCount ?? 40, scale: logX ? 'log' : 'linear', domain });
    for (const bin of bins) {
      if (bin.count === 0) continue;
      const share = bin.count / lengths.length;
      values.push({
        kind: 'bin',
        series,
        seriesOrder,
        binStart: bin.start,
        binEnd: bin.end,
        share,
        ...hoverText([series, `${formatNumber(bin.start)}–${formatNumber(bin.end)} tokens`, `${bin.count} responses (${formatNumber(100 * share)}%)`]),
      });
    }
    const middle = median(lengths);
    values.push({ kind: 'median', series, seriesOrder, median: middle, ...hoverText([series, `median ${formatNumber(middle)} tokens`, `${lengths.length} responses`]) });
  });
  const x = {
    type: 'quantitative' as const,
    title: options.xTitle ?? 'Response length (tokens)',
    scale: logX ? { type: 'log' as const, domain } : { domain },
    axis: { labelOverlap: true },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    data: { values },
    // Each trace's name above its own row (not beside it), so the plot keeps the page's width.
    facet: { row: { field: 'series', type: 'nominal', title: null, sort: { field: 'seriesOrder', op: 'min' }, header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelAlign: 'left', labelFontWeight: 'bold', labelLimit: 0 } } },
    spec: {
      width: options.width ?? 480,
      height: options.rowHeight ?? 90,
      layer: [
        {
          transform: [{ filter: { field: 'kind', equal: 'bin' } }],
          mark: { type: 'rect', color: '#4c78a8' },
          encoding: {
            x: { ...x, field: 'binStart' },
            x2: { field: 'binEnd' },
            y: { field: 'share', type: 'quantitative', title: 'Share of responses', axis: { format: '.0%' } },
            ...HOVER_ENCODING,
          },
        },
        {
          transform: [{ filter: { field: 'kind', equal: 'median' } }],
          mark: { type: 'rule', color: '#e45756', strokeWidth: 2 },
          encoding: { x: { ...x, field: 'median' }, ...HOVER_ENCODING },
        },
      ],
    },
  };
}
