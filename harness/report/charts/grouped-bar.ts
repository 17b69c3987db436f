import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { distinctInOrder, finiteOrNull, HOVER_ENCODING, hoverText, intervalText, requireFinite, VEGA_LITE_SCHEMA, withUnit } from './common.js';

/** One bar: a system (series) in a configuration (group), with its mean and confidence interval. */
export interface GroupedBarRow {
  /** The x-axis category, e.g. a configuration 'Qwen2.5-7B · PPO · GSM8K'. */
  readonly group: string;
  /** The bar within a group, e.g. a system 'veRL', 'RLHFless'. */
  readonly series: string;
  readonly mean: number;
  readonly ciLow?: number | null;
  readonly ciHigh?: number | null;
}

export interface GroupedBarOptions {
  /** Value axis title with unit: 'Throughput (samples/s)'. */
  readonly valueTitle: string;
  /** Unit repeated in tooltips: 'samples/s'. */
  readonly valueUnit?: string;
  readonly groupTitle: string;
  readonly seriesTitle: string;
  readonly height?: number;
  readonly description?: string;
}

/**
 * Grouped bars (x: group, bars side by side per series, colour: series) with confidence-interval
 * error bars. Groups and series appear in the order of the rows.
 */
export function groupedBarChart(rows: readonly GroupedBarRow[], options: GroupedBarOptions): VegaLiteSpec {
  const groups = distinctInOrder(rows.map((row) => row.group));
  const series = distinctInOrder(rows.map((row) => row.series));
  const values = rows.map((row, index) => {
    const mean = requireFinite('groupedBarChart', index, 'mean', row.mean);
    const ciLow = finiteOrNull(row.ciLow);
    const ciHigh = finiteOrNull(row.ciHigh);
    const interval = intervalText(ciLow, ciHigh, options.valueUnit);
    return {
      group: row.group,
      series: row.series,
      seriesOrder: series.indexOf(row.series),
      mean,
      ciLow,
      ciHigh,
      ...hoverText([`${row.series} · ${row.group}`, `mean ${withUnit(mean, options.valueUnit)}`, ...(interval ? [interval] : [])]),
    };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    height: options.height ?? 300,
    data: { values },
    encoding: {
      x: { field: 'group', type: 'nominal', title: options.groupTitle, scale: { domain: groups }, axis: { labelAngle: 0, labelLimit: 160 } },
      // A literal xOffset domain would compile to a sort expression holding the names; sort by a number instead.
      xOffset: { field: 'series', type: 'nominal', sort: { field: 'seriesOrder', op: 'min' } },
    },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'mean', type: 'quantitative', title: options.valueTitle, stack: null },
          color: { field: 'series', type: 'nominal', title: options.seriesTitle, scale: { domain: series } },
          ...HOVER_ENCODING,
        },
      },
      {
        transform: [{ filter: { field: 'ciLow', valid: true } }, { filter: { field: 'ciHigh', valid: true } }],
        mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
        encoding: {
          y: { field: 'ciLow', type: 'quantitative' },
          y2: { field: 'ciHigh' },
          ...HOVER_ENCODING,
        },
      },
    ],
  };
}
