import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, distinctInOrder, HOVER_ENCODING, hoverText, NARROW_CHART_WIDTH_PX, requireFinite, VEGA_LITE_SCHEMA, wrapText } from './common.js';

/** A category name (a run's source) wraps onto lines of at most this many characters. */
const CATEGORY_LABEL_CHARS = 24;

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
  // Wrapped names joined with '\n' as the category value; the axis splits them back (no caller string in the expression).
  const wrapped = (category: string) => wrapText(category, CATEGORY_LABEL_CHARS).join('\n');
  const categories = distinctInOrder(rows.map((r) => wrapped(r.category)));
  const values = rows.map((row, index) => {
    const errorPct = requireFinite('errorStripChart', index, 'errorPct', row.errorPct);
    return { category: wrapped(row.category), series: row.series, errorPct, ...hoverText([row.label, `${row.category} · ${row.series}`, `error ${errorPct >= 0 ? '+' : ''}${errorPct.toFixed(1)} %`]) };
  });
  const series = distinctInOrder(values.map((v) => v.series));
  const lines = Math.max(1, ...categories.map((c) => c.split('\n').length));
  const goal = options.goalPct ?? 15;
  const y = {
    field: 'category',
    type: 'nominal' as const,
    title: options.categoryTitle,
    scale: { domain: categories },
    axis: { labelExpr: "split(datum.value, '\\n')", labelLimit: 170, labelLineHeight: 12 },
  };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? NARROW_CHART_WIDTH_PX,
    height: { step: Math.max(22, 12 * lines + 8) },
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
          color: { field: 'series', type: 'nominal', title: options.seriesTitle ?? 'Series', scale: { domain: series }, legend: bottomLegend(series) },
          ...HOVER_ENCODING,
        },
      },
    ],
  } as VegaLiteSpec;
}
