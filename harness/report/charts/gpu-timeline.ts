import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, distinctInOrder, formatNumber, HOVER_ENCODING, hoverText, requireFinite, VEGA_LITE_SCHEMA } from './common.js';
import { assignLanes } from './timeline-lanes.js';

/** A simulated span: which pool's GPUs ran what, when (seconds from the start of the run). */
export interface TimelineSpan {
  readonly pool: string;
  /** How many GPUs, or which (ids), or a description like '0-7'. */
  readonly gpus: number | readonly number[] | string;
  readonly task: string;
  readonly stage: string;
  readonly iteration: number;
  readonly start: number;
  readonly end: number;
}

export interface GpuTimelineOptions {
  readonly timeTitle?: string;
  readonly width?: number;
  /** Height of one lane, px. Default 14. */
  readonly laneHeight?: number;
  readonly description?: string;
}

function gpusText(gpus: TimelineSpan['gpus']): string {
  if (typeof gpus === 'number') return `${gpus} GPU${gpus === 1 ? '' : 's'}`;
  if (typeof gpus === 'string') return `GPUs ${gpus}`;
  return `${gpus.length} GPU${gpus.length === 1 ? '' : 's'} (${gpus.join(', ')})`;
}

/**
 * Who is busy when: one row per pool, a bar per span coloured by stage, overlapping spans of a
 * pool stacked in lanes. Pools and stages appear in first-seen order.
 */
export function gpuTimelineChart(spans: readonly TimelineSpan[], options: GpuTimelineOptions = {}): VegaLiteSpec {
  const pools = distinctInOrder(spans.map((span) => span.pool));
  const stages = distinctInOrder(spans.map((span) => span.stage));
  spans.forEach((span, index) => {
    requireFinite('gpuTimelineChart', index, 'start', span.start);
    requireFinite('gpuTimelineChart', index, 'end', span.end);
    if (span.end < span.start) throw new TypeError(`gpuTimelineChart: row ${index} ends (${span.end}) before it starts (${span.start})`);
  });
  const lanes = assignLanes(spans.map((span) => ({ row: span.pool, start: span.start, end: span.end })));
  const values = spans.map((span, index) => ({
    pool: span.pool,
    poolOrder: pools.indexOf(span.pool),
    lane: lanes[index]!,
    stage: span.stage,
    start: span.start,
    end: span.end,
    ...hoverText([
      `${span.task} (${span.stage})`,
      `${span.pool}: ${gpusText(span.gpus)}`,
      `iteration ${span.iteration}`,
      `${formatNumber(span.start)}–${formatNumber(span.end)} s (${formatNumber(span.end - span.start)} s)`,
    ]),
  }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    data: { values },
    facet: { row: { field: 'pool', type: 'nominal', title: null, sort: { field: 'poolOrder', op: 'min' }, header: { labelAngle: 0, labelAlign: 'left' } } },
    resolve: { scale: { y: 'independent' } },
    // A one-lane row plus its spacing is at least a row label's height (11 px text), so pool names never touch.
    spacing: Math.max(4, 14 - (options.laneHeight ?? 14)),
    spec: {
      width: options.width ?? 640,
      height: { step: options.laneHeight ?? 14 },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'start', type: 'quantitative', title: options.timeTitle ?? 'Time (s)', axis: { labelOverlap: true } },
        x2: { field: 'end' },
        y: { field: 'lane', type: 'ordinal', axis: null },
        color: { field: 'stage', type: 'nominal', title: 'Stage', scale: { domain: stages }, legend: bottomLegend(stages) },
        ...HOVER_ENCODING,
      },
    },
  };
}
