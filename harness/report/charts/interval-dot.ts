import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, distinctInOrder, finiteOrNull, HOVER_ENCODING, hoverText, intervalText, requireFinite, VEGA_LITE_SCHEMA, withUnit } from './common.js';

/** One estimate: a category (a figure) under one series (a trace), with its interval. */
export interface IntervalDotRow {
  readonly category: string;
  readonly series: string;
  readonly mean: number;
  readonly ciLow?: number | null;
  readonly ciHigh?: number | null;
}

/** The range an estimate of a category should land in (a published figure widened by its tolerance). */
export interface IntervalTarget {
  readonly category: string;
  readonly low: number;
  readonly high: number;
  /** Shown on hover: 'published 1.2–1.4 ×'. */
  readonly label?: string;
}

export interface IntervalDotOptions {
  readonly valueTitle: string;
  readonly valueUnit?: string;
  readonly seriesTitle: string;
  readonly width?: number;
  readonly description?: string;
}

/** Vertical layout, px: a category's name line, then one line per series, then a gap. */
const LAYOUT = { namePx: 16, seriesPx: 14, gapPx: 8 } as const;

/**
 * Estimates with their intervals: one block per category, its name written above it (so the plot
 * keeps the page's whole width), one line per series with a dot and its interval whisker, over a
 * grey band for the category's target.
 */
export function intervalDotChart(rows: readonly IntervalDotRow[], targets: readonly IntervalTarget[], options: IntervalDotOptions): VegaLiteSpec {
  const categories = distinctInOrder([...rows.map((row) => row.category), ...targets.map((target) => target.category)]);
  const series = distinctInOrder(rows.map((row) => row.series));
  const blockPx = LAYOUT.namePx + series.length * LAYOUT.seriesPx + LAYOUT.gapPx;
  const top = (category: string) => categories.indexOf(category) * blockPx;
  const lineY = (category: string, s: string) => top(category) + LAYOUT.namePx + (series.indexOf(s) + 0.5) * LAYOUT.seriesPx;
  const points = rows.map((row, index) => {
    const mean = requireFinite('intervalDotChart', index, 'mean', row.mean);
    const ciLow = finiteOrNull(row.ciLow);
    const ciHigh = finiteOrNull(row.ciHigh);
    const interval = intervalText(ciLow, ciHigh, options.valueUnit);
    return {
      series: row.series,
      y: lineY(row.category, row.series),
      mean,
      ciLow,
      ciHigh,
      ...hoverText([`${row.series} · ${row.category}`, withUnit(mean, options.valueUnit), ...(interval ? [interval] : [])]),
    };
  });
  const bands = targets.map((target, index) => ({
    category: target.category,
    y1: top(target.category) + LAYOUT.namePx - 2,
    y2: top(target.category) + LAYOUT.namePx + series.length * LAYOUT.seriesPx + 2,
    low: requireFinite('intervalDotChart', index, 'low', target.low),
    high: requireFinite('intervalDotChart', index, 'high', target.high),
    ...hoverText([target.category, `target ${withUnit(target.low, options.valueUnit)}–${withUnit(target.high, options.valueUnit)}`, ...(target.label ? [target.label] : [])]),
  }));
  const names = categories.map((category) => ({ text: category, y: top(category) + LAYOUT.namePx / 2 }));
  const height = Math.max(1, categories.length) * blockPx;
  const y = { type: 'quantitative' as const, axis: null, scale: { domain: [0, height], reverse: true, nice: false, zero: false } };
  const x = { type: 'quantitative' as const, title: options.valueTitle, scale: { zero: false }, axis: { labelOverlap: true } };
  const colour = { field: 'series', type: 'nominal' as const, title: options.seriesTitle, scale: { domain: series }, legend: bottomLegend(series) };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? 480,
    height,
    layer: [
      {
        data: { values: bands },
        mark: { type: 'rect', color: '#dcdcdc', opacity: 0.9 },
        encoding: { y: { ...y, field: 'y1' }, y2: { field: 'y2' }, x: { ...x, field: 'low' }, x2: { field: 'high' }, ...HOVER_ENCODING },
      },
      {
        data: { values: points },
        transform: [{ filter: { field: 'ciLow', valid: true } }, { filter: { field: 'ciHigh', valid: true } }],
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { y: { ...y, field: 'y' }, x: { ...x, field: 'ciLow' }, x2: { field: 'ciHigh' }, color: colour, description: HOVER_ENCODING.description },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 60 },
        encoding: { y: { ...y, field: 'y' }, x: { ...x, field: 'mean' }, color: colour, ...HOVER_ENCODING },
      },
      {
        data: { values: names },
        mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 11, fontWeight: 'bold', color: '#222', aria: false },
        encoding: { y: { ...y, field: 'y' }, x: { value: 0 }, text: { field: 'text', type: 'nominal' } },
      },
    ],
  };
}
