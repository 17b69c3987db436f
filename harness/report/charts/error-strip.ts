import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { distinctInOrder, HOVER_ENCODING, hoverText, requireFinite, VEGA_LITE_SCHEMA } from './common.js';

/** One signed error (percent) in a category. */
export interface ErrorStripRow {
  readonly category: string;
  readonly label: string;
  /** Colour: e.g. the stage or the kind of prediction. */
  readonly series: string;
  readonly errorPct: number;
}

export interface ErrorStripOptions {
  readonly categoryTitle: string;
  readonly seriesTitle?: string;
  readonly width?: number;
  readonly description?: string;
  /** Shade ±this percent (the goal band), default 15. */
  readonly goalPct?: number;
}

/** Signed errors per category as a strip of points around 0 with a shaded goal band; categories in the order given. */
export function errorStripChart(rows: readonly ErrorStripRow[], options: ErrorStripOptions): VegaLiteSpec {
  const categories = distinctInOrder(rows.map((r) => r.category));
  const values = rows.map((row, index) => {
    const errorPct = requireFinite('errorStripChart', index, 'errorPct', row.errorPct);
    return { category: row.category, series: row.series, errorPct, ...hoverText([row.label, `${row.series}`, `error ${errorPct >= 0 ? '+' : ''}${errorPct.toFixed(1)} %`]) };
  });
  const goal = options.goalPct ?? 15;
  const y = { field: 'category', type: 'nominal' as const, title: options.categoryTitle, sort: categories, axis: { labelLimit: 220 } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? 420,
    height: { step: 22 },
    layer: [
      {
        data: { values: [{ lo: -goal, hi: goal }] },
        mark: { type: 'rect', color: '#2a9d8f', opacity: 0.12, aria: false },
        encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } },
      },
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: 'rule', color: '#555', aria: false },
        encoding: { x: { field: 'zero', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 45, opacity: 0.85 },
        encoding: {
          x: { field: 'errorPct', type: 'quantitative', title: 'Error: simulated vs measured (%)' },
          y,
          color: { field: 'series', type: 'nominal', title: options.seriesTitle ?? 'Series', scale: { domain: distinctInOrder(values.map((v) => v.series)) }, legend: { orient: 'bottom', columns: 4 } },
          ...HOVER_ENCODING,
        },
      },
    ],
  } as VegaLiteSpec;
}
