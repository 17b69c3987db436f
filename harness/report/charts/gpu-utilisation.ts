import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, distinctInOrder, formatNumber, HOVER_ENCODING, hoverText, requireFinite, VEGA_LITE_SCHEMA } from './common.js';

/** One sample of a GPU's utilisation (0–1) at a time (seconds). */
export interface UtilisationRow {
  readonly gpu: string;
  readonly timeS: number;
  readonly utilisation: number;
}

export interface UtilisationOptions {
  /** 'overlay': one coloured line per GPU on shared axes; 'rows': one small row per GPU. Default 'overlay'. */
  readonly layout?: 'overlay' | 'rows';
  /** How a sample holds until the next: 'step-after' (the default) for sampled counters, 'linear' otherwise. */
  readonly interpolate?: 'step-after' | 'linear';
  readonly timeTitle?: string;
  readonly width?: number;
  readonly height?: number;
  readonly description?: string;
}

/** Utilisation over time per GPU (`traces gpu`), y in percent. GPUs appear in first-seen order. */
export function gpuUtilisationChart(rows: readonly UtilisationRow[], options: UtilisationOptions = {}): VegaLiteSpec {
  const gpus = distinctInOrder(rows.map((row) => row.gpu));
  const values = rows
    .map((row, index) => {
      const timeS = requireFinite('gpuUtilisationChart', index, 'timeS', row.timeS);
      const utilisation = requireFinite('gpuUtilisationChart', index, 'utilisation', row.utilisation);
      return {
        gpu: row.gpu,
        gpuOrder: gpus.indexOf(row.gpu),
        timeS,
        utilisation,
        ...hoverText([`GPU ${row.gpu}`, `${formatNumber(timeS)} s: ${formatNumber(100 * utilisation)}% busy`]),
      };
    })
    .sort((a, b) => a.gpuOrder - b.gpuOrder || a.timeS - b.timeS);
  const rowsLayout = options.layout === 'rows';
  const encoding = {
    x: { field: 'timeS', type: 'quantitative' as const, title: options.timeTitle ?? 'Time (s)', axis: { labelOverlap: true } },
    y: {
      field: 'utilisation',
      type: 'quantitative' as const,
      title: rowsLayout ? 'Util. (%)' : 'GPU utilisation (%)',
      axis: { format: '.0%', ...(rowsLayout ? { tickCount: 2 } : {}) },
      scale: { domain: [0, 1] },
    },
    color: { field: 'gpu', type: 'nominal' as const, title: 'GPU', scale: { domain: gpus }, legend: rowsLayout ? null : bottomLegend(gpus) },
    ...HOVER_ENCODING,
  };
  const mark = { type: 'line' as const, interpolate: options.interpolate ?? 'step-after', strokeWidth: 1.5 };
  const header = { ...(options.description ? { description: options.description } : {}) };
  if (rowsLayout) {
    return {
      $schema: VEGA_LITE_SCHEMA,
      ...header,
      data: { values },
      facet: { row: { field: 'gpu', type: 'nominal', title: null, sort: { field: 'gpuOrder', op: 'min' }, header: { labelAngle: 0, labelAlign: 'left' } } },
      // Rows at least a label's height apart, so row names never touch.
      spacing: Math.max(4, 14 - (options.height ?? 40)),
      spec: { width: options.width ?? 560, height: options.height ?? 40, mark, encoding },
    };
  }
  return { $schema: VEGA_LITE_SCHEMA, ...header, width: options.width ?? 560, height: options.height ?? 260, data: { values }, mark, encoding };
}
