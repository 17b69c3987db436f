import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, distinctInOrder, finiteOrNull, HOVER_ENCODING, hoverText, intervalText, requireFinite, VEGA_LITE_SCHEMA, withUnit } from './common.js';

/** One system (or configuration): its time and cost per training step, with intervals. */
export interface CostTimeRow {
  readonly label: string;
  /** Colour group, e.g. the scheduler family; defaults to the label. */
  readonly series?: string;
  /**
   * The configuration the point belongs to: points of one group are joined by a thin line and
   * share one on-chart label, `groupLabel` (default `group`). Without a group each point is its
   * own, labelled with `label`.
   */
  readonly group?: string;
  readonly groupLabel?: string;
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
  /** The narrowest plot the labels are placed for (the page narrows charts to fit; px). Default 240. */
  readonly minPlotWidth?: number;
  readonly description?: string;
}

/** Label geometry at the chart's 11 px type: width per character, height, and the offset from its point. */
const LABEL = { charPx: 6.6, heightPx: 13, dx: 7, dy: -7, pointRadiusPx: 6 } as const;
/** Vega rounds an axis up to a nice number; placing labels on axes this much longer than the data keeps every estimated distance at or below the drawn one. */
const NICE_HEADROOM = 1.5;

/**
 * The on-chart labels of the points `placeLabels` chose for one side (rows with `labelAlign` =
 * `align`), offset from their point. Labels repeat the point's name; screen readers get it from the point.
 */
export function pointLabelLayer<X, Y>(align: 'left' | 'right', x: X, y: Y, textField: string) {
  return {
    transform: [{ filter: { field: 'labelAlign', equal: align } }],
    mark: { type: 'text' as const, align, dx: align === 'left' ? LABEL.dx : -LABEL.dx, dy: LABEL.dy, fontSize: 11, color: '#333', aria: false },
    encoding: { x, y, text: { field: textField, type: 'nominal' as const } },
  };
}

interface Box {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

const overlaps = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

export interface LabelPlacement {
  /** Index of the row the label is drawn at. */
  readonly row: number;
  readonly align: 'left' | 'right';
}

/**
 * Which points get an on-chart label, and on which side: greedily, in the rows' order, one label
 * per group at the first of its points where the label's box (estimated at `plotWidth` px, the
 * narrowest the page draws the chart at) stays inside the plot and clear of every point and of
 * the labels already placed; a group whose label fits nowhere gets none (its tooltips still name
 * it). Boxes apart at the narrowest width stay apart at any wider one: horizontal distances grow
 * with the width, vertical ones do not change.
 */
export function placeLabels(points: readonly { readonly x: number; readonly y: number; readonly group: string; readonly text: string }[], xMax: number, yMax: number, plotWidth: number, plotHeight: number): LabelPlacement[] {
  const px = (x: number) => (x / (xMax * NICE_HEADROOM)) * plotWidth;
  const py = (y: number) => plotHeight - (y / (yMax * NICE_HEADROOM)) * plotHeight;
  const pointBoxes: Box[] = points.map((p) => ({ x1: px(p.x) - LABEL.pointRadiusPx, y1: py(p.y) - LABEL.pointRadiusPx, x2: px(p.x) + LABEL.pointRadiusPx, y2: py(p.y) + LABEL.pointRadiusPx }));
  const placed: Box[] = [];
  const result: LabelPlacement[] = [];
  const done = new Set<string>();
  for (const point of points) {
    if (done.has(point.group)) continue;
    const candidates = points.map((p, i) => ({ p, i })).filter(({ p }) => p.group === point.group);
    for (const { p, i } of candidates) {
      const width = LABEL.charPx * p.text.length;
      const top = py(p.y) + LABEL.dy - LABEL.heightPx + 3;
      for (const align of ['left', 'right'] as const) {
        const x1 = align === 'left' ? px(p.x) + LABEL.dx : px(p.x) - LABEL.dx - width;
        const box = { x1, y1: top, x2: x1 + width, y2: top + LABEL.heightPx };
        if (box.x1 < 0 || box.x2 > plotWidth || box.y1 < 0) continue;
        if (pointBoxes.some((b) => overlaps(b, box)) || placed.some((b) => overlaps(b, box))) continue;
        placed.push(box);
        result.push({ row: i, align });
        done.add(point.group);
        break;
      }
      if (done.has(point.group)) break;
    }
    done.add(point.group);
  }
  return result;
}

/**
 * Cost per step against time per step, a point per row with interval whiskers both ways, the
 * points of one configuration joined; labels only where they collide with nothing (the rest are
 * named in their tooltips). Lower-left is better.
 */
export function costVsTimeChart(rows: readonly CostTimeRow[], options: CostTimeOptions = {}): VegaLiteSpec {
  const series = distinctInOrder(rows.map((row) => row.series ?? row.label));
  rows.forEach((row, index) => {
    requireFinite('costVsTimeChart', index, 'timePerStepS', row.timePerStepS);
    requireFinite('costVsTimeChart', index, 'costPerStepUsd', row.costPerStepUsd);
  });
  const height = options.height ?? 320;
  const groupOf = (row: CostTimeRow, index: number) => row.group ?? `#${index}`;
  const textOf = (row: CostTimeRow) => (row.group !== undefined ? (row.groupLabel ?? row.group) : row.label);
  const xMax = Math.max(...rows.map((row) => Math.max(row.timePerStepS, finiteOrNull(row.timeCiHigh) ?? 0)), Number.EPSILON);
  const yMax = Math.max(...rows.map((row) => Math.max(row.costPerStepUsd, finiteOrNull(row.costCiHigh) ?? 0)), Number.EPSILON);
  const placements = new Map(
    placeLabels(
      rows.map((row, index) => ({ x: row.timePerStepS, y: row.costPerStepUsd, group: groupOf(row, index), text: textOf(row) })),
      xMax,
      yMax,
      options.minPlotWidth ?? 240,
      height,
    ).map((placement) => [placement.row, placement.align]),
  );
  const values = rows.map((row, index) => {
    const time = row.timePerStepS;
    const cost = row.costPerStepUsd;
    const timeInterval = intervalText(row.timeCiLow, row.timeCiHigh, 's');
    const costInterval = intervalText(row.costCiLow, row.costCiHigh, 'USD');
    return {
      label: row.label,
      series: row.series ?? row.label,
      group: groupOf(row, index),
      order: index,
      text: textOf(row),
      labelAlign: placements.get(index) ?? 'none',
      time,
      cost,
      timeCiLow: finiteOrNull(row.timeCiLow),
      timeCiHigh: finiteOrNull(row.timeCiHigh),
      costCiLow: finiteOrNull(row.costCiLow),
      costCiHigh: finiteOrNull(row.costCiHigh),
      ...hoverText([
        row.group !== undefined ? `${row.label} · ${row.group}` : row.label,
        `time ${withUnit(time, 's')}${timeInterval ? `, ${timeInterval}` : ''}`,
        `cost ${withUnit(cost, 'USD')}${costInterval ? `, ${costInterval}` : ''}`,
      ]),
    };
  });
  const zero = options.zero ?? true;
  const x = { field: 'time', type: 'quantitative' as const, title: options.xTitle ?? 'Time per step (s)', scale: { zero }, axis: { labelOverlap: true } };
  const y = { field: 'cost', type: 'quantitative' as const, title: options.yTitle ?? 'Cost per step (USD)', scale: { zero } };
  const colour = { field: 'series', type: 'nominal' as const, title: options.seriesTitle ?? 'System', scale: { domain: series }, legend: bottomLegend(series) };
  const label = (align: 'left' | 'right') => pointLabelLayer(align, x, y, 'text');
  const grouped = rows.some((row) => row.group !== undefined);
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? 420,
    height,
    data: { values },
    layer: [
      ...(grouped ? [{ mark: { type: 'line' as const, color: '#bbb', strokeWidth: 1, aria: false }, encoding: { x, y, detail: { field: 'group', type: 'nominal' as const }, order: { field: 'order', type: 'quantitative' as const } } }] : []),
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
      // Only sides that have labels: a layer with no data would leave its scales' extents empty.
      ...(['left', 'right'] as const).filter((align) => values.some((value) => value.labelAlign === align)).map(label),
    ],
  };
}
