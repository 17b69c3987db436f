import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { distinctInOrder, finiteOrNull, HOVER_ENCODING, hoverText, intervalText, requireFinite, VEGA_LITE_SCHEMA, withUnit } from './common.js';

/** One system (or configuration): its time and cost per training step, with intervals. */
export interface CostTimeRow {
  readonly label: string;
  /** Colour group, e.g. the scheduler family; defaults to the label. */
  readonly series?: string;
  readonly timePerStepS: number;
  readonly costPerStepUsd: number;
  readonly timeCiLow?: number | null;
  readonly timeCiHigh?: number | null;
  readonly costCiLow?: number | null;
  readonly costCiHigh?: number | null;
}

export interface CostTimeOptions {
  readonly xTitle?: string;
  readonly yTitle?: string;
  readonly seriesTitle?: string;
  /** Start both axes at zero so ratios read off the chart. Default true. */
  readonly zero?: boolean;
  readonly width?: number;
  readonly height?: number;
  readonly description?: string;
}

/** Cost per step against time per step, a labelled point per row with interval whiskers both ways. Lower-left is better. */
export function costVsTimeChart(rows: readonly CostTimeRow[], options: CostTimeOptions = {}): VegaLiteSpec {
  const series = distinctInOrder(rows.map((row) => row.series ?? row.label));
  const values = rows.map((row, index) => {
    const time = requireFinite('costVsTimeChart', index, 'timePerStepS', row.timePerStepS);
    const cost = requireFinite('costVsTimeChart', index, 'costPerStepUsd', row.costPerStepUsd);
    const timeInterval = intervalText(row.timeCiLow, row.timeCiHigh, 's');
    const costInterval = intervalText(row.costCiLow, row.costCiHigh, 'USD');
    return {
      label: row.label,
      series: row.series ?? row.label,
      time,
      cost,
      timeCiLow: finiteOrNull(row.timeCiLow),
      timeCiHigh: finiteOrNull(row.timeCiHigh),
      costCiLow: finiteOrNull(row.costCiLow),
      costCiHigh: finiteOrNull(row.costCiHigh),
      ...hoverText([
        row.label,
        `time ${withUnit(time, 's')}${timeInterval ? `, ${timeInterval}` : ''}`,
        `cost ${withUnit(cost, 'USD')}${costInterval ? `, ${costInterval}` : ''}`,
      ]),
    };
  });
  const zero = options.zero ?? true;
  const x = { field: 'time', type: 'quantitative' as const, title: options.xTitle ?? 'Time per step (s)', scale: { zero } };
  const y = { field: 'cost', type: 'quantitative' as const, title: options.yTitle ?? 'Cost per step (USD)', scale: { zero } };
  const colour = { field: 'series', type: 'nominal' as const, title: options.seriesTitle ?? 'System', scale: { domain: series } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? 420,
    height: options.height ?? 320,
    data: { values },
    layer: [
      {
        transform: [{ filter: { field: 'timeCiLow', valid: true } }, { filter: { field: 'timeCiHigh', valid: true } }],
        mark: { type: 'rule' },
        encoding: { x: { ...x, field: 'timeCiLow' }, x2: { field: 'timeCiHigh' }, y, color: colour, description: HOVER_ENCODING.description },
      },
      {
        transform: [{ filter: { field: 'costCiLow', valid: true } }, { filter: { field: 'costCiHigh', valid: true } }],
        mark: { type: 'rule' },
        encoding: { x, y: { ...y, field: 'costCiLow' }, y2: { field: 'costCiHigh' }, color: colour, description: HOVER_ENCODING.description },
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: { x, y, color: colour, ...HOVER_ENCODING },
      },
      {
        // Labels repeat the point's name; screen readers get it from the point.
        mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11, aria: false },
        encoding: { x, y, text: { field: 'label', type: 'nominal' }, color: colour },
      },
    ],
  };
}
