import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, distinctInOrder, HOVER_ENCODING, hoverText, legendColumns, NARROW_CHART_WIDTH_PX, requireFinite, VEGA_LITE_SCHEMA, withUnit } from './common.js';
import { placeLabels, pointLabelLayer } from './cost-vs-time.js';

/**
 * Candidates scored on three objectives, all better lower: x and y as position (zero-based, so
 * ratios read off the chart), the third as colour (a continuous scale), the kind of candidate as
 * the marker's shape. The Pareto frontier is drawn as a line through its candidates in x order,
 * each ringed; its candidates are labelled where a label collides with nothing (the others, and
 * every candidate, are named in their tooltips). Lower-left and pale is better.
 */
export interface ParetoRow {
  /** The candidate's name: its tooltip's first line and, on the frontier, its on-chart label. */
  readonly label: string;
  /** Marker shape group, e.g. the scheduler. */
  readonly kind: string;
  readonly x: number;
  readonly y: number;
  readonly colour: number;
  readonly frontier: boolean;
  /** More tooltip lines (a band, a configuration). */
  readonly details?: readonly string[];
}

export interface ParetoOptions {
  /** Axis titles with units: 'Step time (s)'. */
  readonly xTitle: string;
  readonly yTitle: string;
  readonly colourTitle: string;
  readonly kindTitle: string;
  readonly xUnit?: string;
  readonly yUnit?: string;
  readonly colourUnit?: string;
  /** The colour scale's domain (default: 0 to the largest value, at least 1). */
  readonly colourDomain?: readonly [number, number];
  readonly width?: number;
  readonly height?: number;
  /** The narrowest plot the labels are placed for (px). Default 240. */
  readonly minPlotWidth?: number;
  readonly description?: string;
}

/** The colour legend's gradient, and the room it and its labels take beside the shape legend (both sit below the plot). */
const GRADIENT_PX = 120;
const GRADIENT_LEGEND_PX = 180;

export function paretoScatterChart(rows: readonly ParetoRow[], options: ParetoOptions): VegaLiteSpec {
  rows.forEach((row, index) => {
    requireFinite('paretoScatterChart', index, 'x', row.x);
    requireFinite('paretoScatterChart', index, 'y', row.y);
    requireFinite('paretoScatterChart', index, 'colour', row.colour);
  });
  const kinds = distinctInOrder(rows.map((row) => row.kind));
  const height = options.height ?? 320;
  const xMax = Math.max(...rows.map((row) => row.x), Number.EPSILON);
  const yMax = Math.max(...rows.map((row) => row.y), Number.EPSILON);
  // Frontier candidates first, in x order, so each gets the first chance at a clear spot.
  const order = rows.map((row, index) => ({ row, index })).sort((a, b) => Number(b.row.frontier) - Number(a.row.frontier) || a.row.x - b.row.x || a.index - b.index);
  const labelled = order.filter(({ row }) => row.frontier);
  const placements = new Map(
    placeLabels(
      labelled.map(({ row, index }) => ({ x: row.x, y: row.y, group: `#${index}`, text: row.label })),
      xMax,
      yMax,
      options.minPlotWidth ?? 240,
      height,
    ).map((p) => [labelled[p.row]!.index, p.align]),
  );
  const values = rows.map((row, index) => ({
    label: row.label,
    kind: row.kind,
    x: row.x,
    y: row.y,
    colour: row.colour,
    frontier: row.frontier,
    labelAlign: placements.get(index) ?? 'none',
    ...hoverText([
      row.label,
      `${options.xTitle}: ${withUnit(row.x, options.xUnit)}`,
      `${options.yTitle}: ${withUnit(row.y, options.yUnit)}`,
      `${options.colourTitle}: ${withUnit(row.colour, options.colourUnit)}`,
      ...(row.details ?? []),
      ...(row.frontier ? ['on the Pareto frontier'] : []),
    ]),
  }));
  const maxColour = Math.max(1, ...rows.map((row) => row.colour));
  const domain = options.colourDomain ?? [0, maxColour];
  const x = { field: 'x', type: 'quantitative' as const, title: options.xTitle, scale: { zero: true }, axis: { labelOverlap: true } };
  const y = { field: 'y', type: 'quantitative' as const, title: options.yTitle, scale: { zero: true } };
  const colour = {
    field: 'colour',
    type: 'quantitative' as const,
    title: options.colourTitle,
    scale: { domain: [...domain], scheme: 'viridis', reverse: true },
    legend: { orient: 'bottom' as const, direction: 'horizontal' as const, gradientLength: GRADIENT_PX, titleLimit: GRADIENT_LEGEND_PX, labelOverlap: true },
  };
  // Both legends share the row below the plot: the shape legend gets what the colour legend leaves of the narrowest page.
  const shapeLegendPx = NARROW_CHART_WIDTH_PX - GRADIENT_LEGEND_PX;
  const shape = { field: 'kind', type: 'nominal' as const, title: options.kindTitle, scale: { domain: kinds }, legend: { ...bottomLegend(kinds), columns: legendColumns(kinds, shapeLegendPx), labelLimit: shapeLegendPx, titleLimit: shapeLegendPx } };
  const label = (align: 'left' | 'right') => pointLabelLayer(align, x, y, 'label');
  const hasFrontier = rows.some((row) => row.frontier);
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    width: options.width ?? 420,
    height,
    data: { values },
    layer: [
      ...(hasFrontier
        ? [
            {
              transform: [{ filter: { field: 'frontier', equal: true } }],
              mark: { type: 'line' as const, color: '#555', strokeWidth: 1.5, aria: false },
              encoding: { x, y, order: { field: 'x', type: 'quantitative' as const } },
            },
          ]
        : []),
      {
        mark: { type: 'point', filled: true, size: 60, opacity: 0.9 },
        encoding: { x, y, color: colour, shape, ...HOVER_ENCODING },
      },
      ...(hasFrontier
        ? [
            {
              transform: [{ filter: { field: 'frontier', equal: true } }],
              mark: { type: 'point' as const, filled: false, size: 200, color: '#222', strokeWidth: 1.5, aria: false },
              encoding: { x, y },
            },
          ]
        : []),
      // Only sides that have labels: a layer with no data would leave its scales' extents empty.
      ...(['left', 'right'] as const).filter((align) => values.some((value) => value.labelAlign === align)).map(label),
    ],
  };
}
