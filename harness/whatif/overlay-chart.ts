import { formatNumber, HOVER_ENCODING, hoverText, VEGA_LITE_SCHEMA } from '../report/charts/common.js';
import type { VegaLiteSpec } from '../report/vega-lite-spec.js';
import type { UtilisationOverlay } from './utilisation.js';

/** One point of a series: the busy share from `timeS` until the next point. */
export interface OverlayRow {
  readonly series: string;
  readonly timeS: number;
  readonly utilisation: number;
}

/** Human label of a series in the legend: 'recorded (4 of 16 GPUs)', 'verl (simulated, 16 GPUs)'. */
export function seriesLabel(series: UtilisationOverlay['series'][number], runGpus?: number): string {
  if (series.kind === 'recorded') return `recorded (${runGpus !== undefined && runGpus !== series.gpus ? `${series.gpus} of ${runGpus}` : series.gpus} GPUs)`;
  return `${series.name} (simulated, ${series.gpus} GPUs)`;
}

/**
 * Chart points: one per measured bin start (drawn step-after), plus a closing point at the end of
 * each series so its last bin keeps its width.
 */
export function overlayRows(overlay: UtilisationOverlay, runGpus?: number): OverlayRow[] {
  return overlay.series.flatMap((series) => {
    const label = seriesLabel(series, runGpus);
    const rows: OverlayRow[] = [];
    series.utilization.forEach((value, k) => {
      if (value !== null) rows.push({ series: label, timeS: k * series.binS, utilisation: value });
    });
    const last = series.utilization.at(-1);
    if (last !== null && last !== undefined && series.horizonS > 0) rows.push({ series: label, timeS: series.horizonS, utilisation: last });
    return rows;
  });
}

/** The recorded utilisation and each simulated one on shared axes, one colour per run, y in percent. */
export function utilisationOverlayChart(rows: readonly OverlayRow[], options: { readonly width?: number; readonly height?: number } = {}): VegaLiteSpec {
  const order = [...new Set(rows.map((r) => r.series))];
  const values = rows.map((row) => ({
    series: row.series,
    timeS: row.timeS,
    utilisation: row.utilisation,
    ...hoverText([row.series, `${formatNumber(row.timeS)} s: ${formatNumber(100 * row.utilisation)}% of GPUs busy`]),
  }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    description: 'Share of GPUs busy per time bin: the recorded run and each simulated scheduler on the same workload',
    width: options.width ?? 640,
    height: options.height ?? 280,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'timeS', type: 'quantitative', title: 'Time since the first compared step (s)' },
      y: { field: 'utilisation', type: 'quantitative', title: 'GPUs busy (%)', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
      color: { field: 'series', type: 'nominal', title: 'Run', scale: { domain: order }, legend: { labelLimit: 320 } },
      ...HOVER_ENCODING,
    },
  };
}
