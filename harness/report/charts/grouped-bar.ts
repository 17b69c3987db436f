import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, distinctInOrder, finiteOrNull, HOVER_ENCODING, hoverText, intervalText, requireFinite, VEGA_LITE_SCHEMA, withUnit, wrapText } from './common.js';

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
  /** Plot width, px (the page narrows it to fit). Default 480. */
  readonly width?: number;
  /** Height of one bar, px. Default 12. */
  readonly barHeight?: number;
  readonly description?: string;
}

/** Group names are wrapped onto lines of at most this many characters (the axis splits them at '\n'). */
const GROUP_LABEL_CHARS = 22;

/**
 * Grouped bars, horizontal (y: group, bars stacked one above the other per series, colour:
 * series, x: the value) with confidence-interval error bars. Horizontal, so group names of any
 * length never run into each other: each is wrapped onto lines beside its own bars. Groups and
 * series appear in the order of the rows.
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
      group: wrapText(row.group, GROUP_LABEL_CHARS).join('\n'),
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
    width: options.width ?? 480,
    height: { step: options.barHeight ?? 12, for: 'offset' },
    data: { values },
    encoding: {
      y: {
        field: 'group',
        type: 'nominal',
        title: options.groupTitle,
        scale: { domain: groups.map((group) => wrapText(group, GROUP_LABEL_CHARS).join('\n')), paddingInner: 0.25 },
        axis: { labelExpr: "split(datum.value, '\\n')", labelLimit: 200, labelLineHeight: 12 },
      },
      // A literal yOffset domain would compile to a sort expression holding the names; sort by a number instead.
      yOffset: { field: 'series', type: 'nominal', sort: { field: 'seriesOrder', op: 'min' } },
    },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'mean', type: 'quantitative', title: options.valueTitle, stack: null, axis: { labelOverlap: true } },
          color: { field: 'series', type: 'nominal', title: options.seriesTitle, scale: { domain: series }, legend: bottomLegend(series) },
          ...HOVER_ENCODING,
        },
      },
      {
        transform: [{ filter: { field: 'ciLow', valid: true } }, { filter: { field: 'ciHigh', valid: true } }],
        mark: { type: 'rule', color: '#222', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'ciLow', type: 'quantitative' },
          x2: { field: 'ciHigh' },
          ...HOVER_ENCODING,
        },
      },
    ],
  };
}
