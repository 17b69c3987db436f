import type { VegaLiteSpec } from '../vega-lite-spec.js';
import { bottomLegend, distinctInOrder, formatNumber, HOVER_ENCODING, hoverText, requireFinite, VEGA_LITE_SCHEMA } from './common.js';

/** One F or B task of a pipeline schedule (the pipeline evaluator's ScheduledTask fits). */
export interface PipelineGanttTask {
  readonly node: number;
  /** Model name, e.g. 'actor' or 'critic': one colour each. */
  readonly model: string;
  readonly replica?: number;
  readonly kind: 'F' | 'B';
  readonly microBatch: number;
  readonly stage: number;
  readonly start: number;
  readonly end: number;
}

export interface PipelineGanttOptions {
  /** Axis title with the unit, e.g. 'Time (units)' or 'Time (s)'. Default 'Time (s)'. */
  readonly timeTitle?: string;
  /** Unit shown in tooltips after times. Default 's'. */
  readonly timeUnit?: string;
  readonly width?: number;
  /** Height of one node's row, px. Default 22. */
  readonly rowHeight?: number;
  /** Print the micro-batch number inside each bar, as the paper's figure does. Default: when there are at most 200 tasks. */
  readonly labels?: boolean;
  readonly description?: string;
}

const MODEL_COLOURS = ['#4c78a8', '#f58518', '#54a24b', '#b279a2'];

/**
 * A pipeline schedule as a Gantt chart, like RLHFuse's fused-pipeline figure: one row per node
 * (pipeline-stage slot), one bar per task; colour tells the model, a solid bar is a backward
 * and a pale one a forward, and the number inside is the micro-batch.
 */
export function pipelineGanttChart(tasks: readonly PipelineGanttTask[], options: PipelineGanttOptions = {}): VegaLiteSpec {
  tasks.forEach((task, index) => {
    requireFinite('pipelineGanttChart', index, 'start', task.start);
    requireFinite('pipelineGanttChart', index, 'end', task.end);
    if (task.end < task.start) throw new TypeError(`pipelineGanttChart: row ${index} ends (${task.end}) before it starts (${task.start})`);
  });
  const models = distinctInOrder(tasks.map((task) => task.model));
  const nodes = [...new Set(tasks.map((task) => task.node))].sort((a, b) => a - b);
  const unit = options.timeUnit ?? 's';
  const values = tasks.map((task) => {
    const kind = task.kind === 'F' ? 'forward' : 'backward';
    const who = task.replica !== undefined && task.replica > 0 ? `${task.model} #${task.replica}` : task.model;
    return {
      row: `node ${task.node}`,
      model: task.model,
      kind,
      label: String(task.microBatch),
      start: task.start,
      end: task.end,
      ...hoverText([
        `${who} ${kind}, micro-batch ${task.microBatch}`,
        `node ${task.node}, stage ${task.stage}`,
        `${formatNumber(task.start)}–${formatNumber(task.end)} ${unit} (${formatNumber(task.end - task.start)} ${unit})`,
      ]),
    };
  });
  const showLabels = options.labels ?? tasks.length <= 200;
  const rowDomain = nodes.map((node) => `node ${node}`);
  const x = { field: 'start', type: 'quantitative', title: options.timeTitle ?? 'Time (s)', axis: { labelOverlap: true } } as const;
  const y = { field: 'row', type: 'nominal', title: null, scale: { domain: rowDomain } } as const;
  const bars = {
    mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      x,
      x2: { field: 'end' },
      y,
      color: { field: 'model', type: 'nominal', title: 'Model', scale: { domain: models, range: MODEL_COLOURS.slice(0, Math.max(1, models.length)) }, legend: bottomLegend(models) },
      opacity: { field: 'kind', type: 'ordinal', sort: ['forward', 'backward'], title: 'Pass', scale: { domain: ['forward', 'backward'], range: [0.45, 1] }, legend: bottomLegend(['forward', 'backward']) },
      ...HOVER_ENCODING,
    },
  } as const;
  // A micro-batch number shows only where its bar is wide enough to hold it (about 5 px a digit at
  // 8 px type), so on a narrow page the numbers never run into each other; the tooltip has it always.
  const labels = {
    mark: { type: 'text', fontSize: 8, color: 'black' },
    encoding: {
      x: { ...x, field: 'middle' },
      y,
      text: { field: 'label', type: 'nominal' },
      opacity: { condition: { test: "scale('x', datum.end) - scale('x', datum.start) < 5 * length(datum.label) + 3", value: 0 }, value: 1 },
    },
    transform: [{ calculate: '(datum.start + datum.end) / 2', as: 'middle' }],
  } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    ...(options.description ? { description: options.description } : {}),
    data: { values },
    width: options.width ?? 720,
    height: { step: options.rowHeight ?? 22 },
    layer: showLabels ? [bars, labels] : [bars],
  } as VegaLiteSpec;
}
