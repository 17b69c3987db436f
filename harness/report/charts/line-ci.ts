import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, distinctInOrder, finiteOrNull, formatNumber, HOVER_ENCODING, hoverText, intervalText, requireFinite, VEGA_LITE_SCHEMA, withUnit } from './common.js';

/** One point of a curve: x, the mean of y over seeds, and its confidence interval. */
export interface LineCiRow {
  readonly series: string;
  readonly x: number;
  readonly mean: number;
  readonly ciLow?: number | null;
  readonly ciHigh?: number | null;
}

export interface LineCiOptions {
  /** x axis title with unit: 'Max generation length (tokens)'. */
  readonly xTitle: string;
  readonly xUnit?: string;
  /** y axis title with unit: 'Speedup over DeepSpeed-Chat (×)'. */
  readonly yTitle: string;
  readonly yUnit?: string;
  readonly seriesTitle: string;
  /** 'log2' suits doubling sweeps (512, 1024, 2048). Default 'linear'. */
  readonly xScale?: 'linear' | 'log2' | 'log10';
  /** Put ticks exactly at the x values in the data (sweeps). Default true. */
  readonly ticksAtData?: boolean;
  /** Include zero on the y axis. Default false (ratios read better around their range). */
  readonly yZero?: boolean;
  /** A dashed horizontal reference line, e.g. 1 for 'no speedup'. */
  readonly referenceY?: number;
  /** Mark each series' optimum (e.g. the migration threshold with the least iteration time). */
  readonly optimum?: 'min' | 'max';
  readonly width?: number;
  readonly height?: number;
  readonly description?: string;
}

/**
 * Lines with points and a shaded confidence band per series: speedup against a sweep variable,
 * or a U-shaped tuning curve with its optimum marked. Rows may come in any order; each series is
 * drawn in x order, series in first-seen order.
 */
export function lineWithBandChart(rows: readonly LineCiRow[], options: LineCiOptions): VegaLiteSpec {
  const series = distinctInOrder(rows.map((row) => row.series));
  const optimumIndex = new Map<string, number>();
  rows.forEach((row, index) => {
    requireFinite('lineWithBandChart', index, 'x', row.x);
    requireFinite('lineWithBandChart', index, 'mean', row.mean);
    if (options.optimum === undefined) return;
    const best = optimumIndex.get(row.series);
    const better = options.optimum === 'min' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
    if (best === undefined || better(row.mean, rows[best]!.mean)) optimumIndex.set(row.series, index);
  });
  const optimal = new Set(optimumIndex.values());
  const values = rows
    .map((row, index) => {
      const ciLow = finiteOrNull(row.ciLow);
      const ciHigh = finiteOrNull(row.ciHigh);
      const interval = intervalText(ciLow, ciHigh, options.yUnit);
      return {
        series: row.series,
        x: row.x,
        mean: row.mean,
        ciLow,
        ciHigh,
        optimum: optimal.has(index),
        ...hoverText([
          row.series,
          `x = ${withUnit(row.x, options.xUnit)}`,
          `mean ${withUnit(row.mean, options.yUnit)}`,
          ...(interval ? [interval] : []),
          ...(optimal.has(index) ? [`optimum (${options.optimum})`] : []),
        ]),
      };
    })
    .sort((a, b) => series.indexOf(a.series) - series.indexOf(b.series) || a.x - b.x);
  const xValues = distinctInOrder(values.map((v) => v.x)).sort((a, b) => a - b);
  const scaleType = options.xScale ?? 'linear';
  const xScale = scaleType === 'linear' ? { zero: false } : { type: 'log' as const, base: scaleType === 'log2' ? 2 : 10 };
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: options.xTitle,
    scale: xScale,
    axis: { labelOverlap: true, ...((options.ticksAtData ?? true) ? { values: xValues, format: '~g' } : {}) },
  };
  // Legend symbols drawn as solid strokes: merged with the band layer they would take its faint fill.
  const colour = {
    field: 'series',
    type: 'nominal' as const,
    title: options.seriesTitle,
    scale: { domain: series },
    legend: { ...bottomLegend(series), symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2 },
  };
  const yScale = { zero: options.yZero ?? false };
  const layers: NonNullable<Extract<VegaLiteSpec, { layer: unknown }>['layer']>[number][] = [
    {
      transform: [{ filter: { field: 'ciLow', valid: true } }, { filter: { field: 'ciHigh', valid: true } }],
      mark: { type: 'area', opacity: 0.18 },
      encoding: {
        x,
        y: { field: 'ciLow', type: 'quantitative', scale: yScale, title: options.yTitle },
        y2: { field: 'ciHigh' },
        color: colour,
        description: HOVER_ENCODING.description,
      },
    },
    {
      mark: { type: 'line', point: true },
      encoding: {
        x,
        y: { field: 'mean', type: 'quantitative', scale: yScale, title: options.yTitle },
        color: colour,
        ...HOVER_ENCODING,
      },
    },
  ];
  if (options.optimum !== undefined) {
    layers.push({
      transform: [{ filter: { field: 'optimum', equal: true } }],
      mark: { type: 'point', shape: 'diamond', size: 160, filled: false, strokeWidth: 2 },
      encoding: {
        x,
        y: { field: 'mean', type: 'quantitative', scale: yScale },
        color: colour,
        ...HOVER_ENCODING,
      },
    });
  }
  if (options.referenceY !== undefined) {
    layers.push({
      data: { values: [{ reference: options.referenceY, ...hoverText([`reference ${formatNumber(options.referenceY)}`]) }] },
      mark: { type: 'rule', strokeDash: [4, 4], color: '#666' },
      encoding: { y: { field: 'reference', type: 'quantitative' }, ...HOVER_ENCODING },
    });
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? 480,
    height: options.height ?? 300,
    data: { values },
    layer: layers,
  };
}
