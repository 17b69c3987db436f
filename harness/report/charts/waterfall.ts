import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, finiteOrNull, HOVER_ENCODING, hoverText, intervalText, requireFinite, VEGA_LITE_SCHEMA, withUnit } from './common.js';

/** One part of a figure's change: how much it moves the figure, with its interval. */
export interface WaterfallStep {
  /** Short name, written above its bar: 'serverless billing alone'. */
  readonly label: string;
  /** How it is measured, in the tooltip: 'rlhfless − rlhfless-no-dedup'. */
  readonly detail?: string;
  readonly delta: number;
  readonly ciLow?: number | null;
  readonly ciHigh?: number | null;
}

export interface WaterfallOptions {
  /** Where the figure starts with no change: 1 for a speedup, 0 for a reduction. */
  readonly start: number;
  /** The last row, the figure itself: 'RLHFless against veRL'. */
  readonly totalLabel: string;
  readonly valueTitle: string;
  readonly valueUnit?: string;
  readonly width?: number;
  readonly description?: string;
}

export const WATERFALL_KINDS = ['raises the figure', 'lowers the figure', 'the figure'] as const;

const ROW = { labelAt: -0.3, barTop: -0.06, barBottom: 0.36, heightPx: 44 } as const;

/** 3 significant digits with a true minus: what fits a row's line on a narrow page. */
const short = (value: number) => `${value < 0 ? '−' : ''}${Number(Math.abs(value).toPrecision(3))}`;
const signed = (value: number, unit?: string) => `${value >= 0 ? '+' : '−'}${Number(Math.abs(value).toPrecision(3))}${unit ? ` ${unit}` : ''}`;

/**
 * A waterfall, one row per part from the top: each part a bar from the running total before it
 * to the one after it (colour: whether it raises or lowers the figure), its interval as a whisker
 * around its end, and the figure itself as the last bar from the start. Each row's name and
 * change are written above its bar, so the plot keeps the page's whole width.
 */
export function waterfallChart(steps: readonly WaterfallStep[], options: WaterfallOptions): VegaLiteSpec {
  requireFinite('waterfallChart', 0, 'start', options.start);
  steps.forEach((step, index) => requireFinite('waterfallChart', index, 'delta', step.delta));
  const unit = options.valueUnit;
  let running = options.start;
  const rows = steps.map((step, index) => {
    const from = running;
    const to = from + step.delta;
    running = to;
    const ciLow = finiteOrNull(step.ciLow);
    const ciHigh = finiteOrNull(step.ciHigh);
    const interval = intervalText(ciLow, ciHigh, unit);
    return {
      row: index,
      kind: (step.delta >= 0 ? WATERFALL_KINDS[0] : WATERFALL_KINDS[1]) as (typeof WATERFALL_KINDS)[number],
      from,
      to,
      whiskerLow: ciLow === null ? null : from + ciLow,
      whiskerHigh: ciHigh === null ? null : from + ciHigh,
      text: `${step.label}: ${signed(step.delta, unit)}${ciLow !== null && ciHigh !== null ? ` [${short(ciLow)}, ${short(ciHigh)}]` : ''}`,
      ...hoverText([step.label, ...(step.detail ? [step.detail] : []), `change ${signed(step.delta, unit)}`, ...(interval ? [interval] : []), `running ${withUnit(from, unit)} → ${withUnit(to, unit)}`]),
    };
  });
  const total = running;
  rows.push({
    row: steps.length,
    kind: WATERFALL_KINDS[2],
    from: options.start,
    to: total,
    whiskerLow: null,
    whiskerHigh: null,
    text: `${options.totalLabel}: ${Number(total.toPrecision(4))}${unit ? ` ${unit}` : ''}`,
    ...hoverText([options.totalLabel, `${withUnit(total, unit)} (start ${withUnit(options.start, unit)})`]),
  });
  const values = rows.map((row) => ({ ...row, barTop: row.row + ROW.barTop, barBottom: row.row + ROW.barBottom, barMiddle: row.row + (ROW.barTop + ROW.barBottom) / 2, labelAt: row.row + ROW.labelAt }));
  const y = { type: 'quantitative' as const, axis: null, scale: { domain: [-0.5, rows.length - 0.5], reverse: true, nice: false, zero: false } };
  const x = { type: 'quantitative' as const, title: options.valueTitle, scale: { zero: false, nice: true }, axis: { labelOverlap: true } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? 480,
    height: rows.length * ROW.heightPx,
    data: { values },
    layer: [
      {
        mark: { type: 'rect', opacity: 0.85 },
        encoding: {
          y: { ...y, field: 'barTop' },
          y2: { field: 'barBottom' },
          x: { ...x, field: 'from' },
          x2: { field: 'to' },
          color: { field: 'kind', type: 'nominal', title: 'Colour', scale: { domain: [...WATERFALL_KINDS], range: ['#f58518', '#4c78a8', '#7f7f7f'] }, legend: bottomLegend([...WATERFALL_KINDS]) },
          ...HOVER_ENCODING,
        },
      },
      {
        transform: [{ filter: { field: 'whiskerLow', valid: true } }, { filter: { field: 'whiskerHigh', valid: true } }],
        mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
        encoding: { y: { ...y, field: 'barMiddle' }, x: { ...x, field: 'whiskerLow' }, x2: { field: 'whiskerHigh' }, ...HOVER_ENCODING },
      },
      {
        // No change, as a dashed segment through each row's bar band only (it never crosses a row's text).
        data: { values: rows.map((row) => ({ start: options.start, top: row.row + ROW.barTop - 0.06, bottom: row.row + ROW.barBottom + 0.06, ...hoverText([`no change: ${withUnit(options.start, unit)}`]) })) },
        mark: { type: 'rule', color: '#222', strokeDash: [4, 3] },
        encoding: { x: { field: 'start', type: 'quantitative' }, y: { ...y, field: 'top' }, y2: { field: 'bottom' }, ...HOVER_ENCODING },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: 11, color: '#222', aria: false },
        encoding: { y: { ...y, field: 'labelAt' }, x: { value: 0 }, text: { field: 'text', type: 'nominal' } },
      },
    ],
  };
}
