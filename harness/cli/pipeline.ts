import type { CommandFactory } from './commands.js';
import { inputPath, optionError } from './options.js';
import { pipelineGanttChart } from '../report/charts/pipeline-gantt.js';
import { writeChartPage } from '../report/page.js';
import { formatTextTable } from '../report/text-table.js';
import { scheduleTimeline } from '../schedulers/pipeline/evaluate.js';
import type { PipelineProblem, ScheduledTask } from '../schedulers/pipeline/types.js';
import { defaultSmallMicroBatches, fusedLayout, type FusedPipelineSpec } from '../schedulers/rlhfuse/fused-pipeline/layout.js';
import { DEFAULT_LATENCY_EVALUATIONS, DEFAULT_MEMORY_WORK, searchFusedSchedule, type FusedScheduleSummary, type FusedSearchResult } from '../schedulers/rlhfuse/fused-pipeline/search.js';
import { serialOneFOneBLatency } from '../schedulers/rlhfuse/fused-pipeline/serial-baseline.js';
import { createProgress, type Progress } from '../util/progress.js';


function positiveNumber(flag: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw optionError(flag, value, 'must be a number > 0');
  return value;
}

function nonNegativeNumber(flag: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw optionError(flag, value, 'must be a number >= 0');
  return value;
}

function positiveInteger(flag: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw optionError(flag, value, 'must be a positive whole number');
  return value;
}

function nonNegativeInteger(flag: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw optionError(flag, value, 'must be a whole number >= 0');
  return value;
}

/** Flags → a fused layout spec, naming the flag of any bad value (exit 2). */
export function specFromFlags(argv: Record<string, unknown>): FusedPipelineSpec {
  const ppLarge = positiveInteger('pp-large', argv['pp-large']);
  const ppSmall = positiveInteger('pp-small', argv['pp-small']);
  if (ppLarge % ppSmall !== 0) throw optionError('pp-small', ppSmall, `must divide --pp-large (${ppLarge}): the small model's pipelines tile the large one's stages`);
  const microBatchesLarge = positiveInteger('mb-large', argv['mb-large']);
  let microBatchesSmall: number;
  if (argv['mb-small'] === undefined) {
    microBatchesSmall = defaultSmallMicroBatches({ ppLarge, ppSmall, microBatchesLarge });
    if (!Number.isInteger(microBatchesSmall)) throw optionError('mb-large', microBatchesLarge, `× pp-small / pp-large is not whole (${microBatchesSmall}); give --mb-small`);
  } else microBatchesSmall = positiveInteger('mb-small', argv['mb-small']);
  const model = (which: 'large' | 'small', name: string) => ({
    name,
    forward: positiveNumber(`f-${which}`, argv[`f-${which}`]),
    ...(argv[`b-${which}`] !== undefined ? { backward: positiveNumber(`b-${which}`, argv[`b-${which}`]) } : {}),
    activationPerMicroBatch: nonNegativeNumber(`mem-${which}`, argv[`mem-${which}`]),
  });
  return {
    ppLarge,
    ppSmall,
    microBatchesLarge,
    microBatchesSmall,
    large: model('large', argv['large-name'] as string),
    small: model('small', argv['small-name'] as string),
    ...(argv.send !== undefined ? { sendDuration: nonNegativeNumber('send', argv.send) } : {}),
    ...(argv['memory-limit'] !== undefined ? { memoryLimit: positiveNumber('memory-limit', argv['memory-limit']) } : {}),
  };
}

/** Rounds away float noise from sums of decimal activations (e.g. 23.600000000000005) for output. */
const tidy = (value: number) => Number(value.toFixed(9));

/** The schedule's tasks with their times (the search has already run it through the independent validator). */
function timelineOf(problem: PipelineProblem, summary: FusedScheduleSummary, what: string): ScheduledTask[] {
  const timeline = scheduleTimeline(problem, summary.orders);
  if (!timeline.feasible) throw new Error(`${what} schedule is infeasible (${timeline.reason}): a bug in the search`);
  return [...timeline.tasks];
}

export function pipelineJson(spec: FusedPipelineSpec, result: FusedSearchResult, serial: number, timeUnit: string): Record<string, unknown> {
  return {
    lowerBound: tidy(result.bounds.lowerBound),
    memoryLowerBound: tidy(result.memoryLowerBound),
    provenMemoryLowerBound: tidy(result.provenMemoryLowerBound),
    greedy: { latency: tidy(result.greedy.score.makespan), peakMemory: tidy(result.greedy.score.peakMemory), withinMemoryLimit: result.greedy.withinMemoryLimit },
    search: {
      latency: tidy(result.best.score.makespan),
      peakMemory: tidy(result.best.score.peakMemory),
      seconds: result.seconds,
      sumNodePeakMemory: tidy(result.best.score.sumNodePeakMemory),
      startedFrom: result.startedFrom,
      stoppedBy: result.stoppedBy,
      timeBudgetBound: result.timeBudgetBound,
      evaluations: result.evaluations,
      latencyReachedAfterEvaluations: result.latencyReachedAfter.evaluations,
      latencyReachedAfterSeconds: result.latencyReachedAfter.seconds,
      memoryStartPeak: tidy(result.memoryStartPeak),
      memoryReachedAfterEvaluations: result.memoryReachedAfter.evaluations,
      memoryReachedAfterSeconds: result.memoryReachedAfter.seconds,
      memoryProbes: result.memoryProbes.map((probe) => ({ ...probe, memoryCap: tidy(probe.memoryCap), peakMemory: tidy(probe.peakMemory) })),
      validated: true,
    },
    bounds: { b0: tidy(result.bounds.b0), b1: tidy(result.bounds.b1), b2: tidy(result.bounds.b2), b3: tidy(result.bounds.b3), binding: result.bounds.binding },
    serial1F1B: tidy(serial),
    timeUnit,
    instance: spec,
  };
}

function humanReport(spec: FusedPipelineSpec, result: FusedSearchResult, serial: number, timeUnit: string): string {
  const latencyName = `latency_${timeUnit.replace(/[^a-z0-9]+/gi, '_').toLowerCase()}`;
  const table = formatTextTable({
    columns: [
      { key: 'schedule', name: 'schedule', unit: null },
      { key: 'latency', name: latencyName, label: 'latency', unit: timeUnit, decimals: 2 },
      { key: 'memory', name: 'peak_memory', label: 'peak memory', unit: 'activation units', decimals: 2 },
      { key: 'gap', name: 'above_lower_bound_pct', label: 'above LB', unit: '%', decimals: 1 },
    ],
    rows: [
      { schedule: `lower bound (${result.bounds.binding})`, latency: result.bounds.lowerBound, memory: result.memoryLowerBound, gap: 0 },
      { schedule: 'serial 1F1B (unfused)', latency: serial, memory: null, gap: (100 * (serial - result.bounds.lowerBound)) / result.bounds.lowerBound },
      { schedule: 'greedy (FlexFusion)', latency: result.greedy.score.makespan, memory: result.greedy.score.peakMemory, gap: (100 * (result.greedy.score.makespan - result.bounds.lowerBound)) / result.bounds.lowerBound },
      { schedule: 'search', latency: result.best.score.makespan, memory: result.best.score.peakMemory, gap: (100 * (result.best.score.makespan - result.bounds.lowerBound)) / result.bounds.lowerBound },
    ],
  });
  const smallPipelines = spec.ppLarge / spec.ppSmall;
  return [
    `Fused pipeline: ${spec.large.name} PP ${spec.ppLarge} × ${spec.microBatchesLarge} micro-batches (down), ${spec.small.name} ${smallPipelines} × PP ${spec.ppSmall} × ${spec.microBatchesSmall} micro-batches (up), on ${spec.ppLarge} nodes`,
    '',
    table.trimEnd(),
    '',
    `bounds: b0 ${result.bounds.b0}, b1 ${result.bounds.b1}, b2 ${result.bounds.b2}, b3 ${result.bounds.b3}; memory LB is the serial-1F1B stage-0 peak (the artifact's reference); ` +
      `no schedule of this latency can peak below ${tidy(result.provenMemoryLowerBound)}`,
    `search: from ${result.startedFrom}; final latency first reached after ${result.latencyReachedAfter.evaluations} evaluations (${result.latencyReachedAfter.seconds.toFixed(3)} s); stopped by ${result.stoppedBy}`,
    `memory phase: ${result.memoryProbes.length} memory caps tried, ${result.evaluations.memory} evaluations; final peak first reached after ${result.memoryReachedAfter.evaluations} evaluations (${result.memoryReachedAfter.seconds.toFixed(2)} s since the start); ` +
      `${result.seconds.toFixed(2)} s in all; validated`,
    `speedup over serial 1F1B: ${(serial / result.best.score.makespan).toFixed(3)}×`,
    '',
  ].join('\n');
}

/**
 * `rlhf-replay pipeline`: the intra-stage fusion of RLHFuse on one fused layout — lower bounds,
 * the FlexFusion greedy, and the search (constructions, annealing to the latency lower bound,
 * then a memory pass), every schedule checked by the independent validator.
 */
export const pipelineCommand: CommandFactory = (context) => ({
  command: 'pipeline',
  describe: 'Fused bidirectional pipeline schedule of two models (RLHFuse intra-stage fusion): bounds, greedy, search',
  builder: (yargs) =>
    yargs
      .option('pp-large', { type: 'number', demandOption: true, describe: 'Pipeline stages of the large model (= nodes)' })
      .option('pp-small', { type: 'number', demandOption: true, describe: 'Pipeline stages of the small model; must divide --pp-large' })
      .option('mb-large', { type: 'number', demandOption: true, describe: 'Micro-batches of the large model' })
      .option('mb-small', { type: 'number', describe: 'Micro-batches per small pipeline (default mb-large × pp-small / pp-large)' })
      .option('f-large', { type: 'number', demandOption: true, describe: 'Forward time of one micro-batch on one large-model stage' })
      .option('f-small', { type: 'number', demandOption: true, describe: 'Forward time of one micro-batch on one small-model stage' })
      .option('b-large', { type: 'number', describe: 'Backward time per large-model stage (default 2 × f-large)' })
      .option('b-small', { type: 'number', describe: 'Backward time per small-model stage (default 2 × f-small)' })
      .option('mem-large', { type: 'number', demandOption: true, describe: 'Activation memory of one in-flight large-model micro-batch on a stage' })
      .option('mem-small', { type: 'number', demandOption: true, describe: 'Activation memory of one in-flight small-model micro-batch on a stage' })
      .option('send', { type: 'number', describe: 'Time to send activations/gradients between nodes (default 0, as the artifact)' })
      .option('memory-limit', { type: 'number', describe: 'Per-node activation memory cap the schedule must respect' })
      .option('large-name', { type: 'string', default: 'actor', describe: 'Name of the large model' })
      .option('small-name', { type: 'string', default: 'critic', describe: 'Name of the small model' })
      .option('time-unit', { type: 'string', default: 'units', describe: "Unit of the times given, for labels ('units', 's', 'ms')" })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of the search' })
      .option('max-evaluations', { type: 'number', default: DEFAULT_LATENCY_EVALUATIONS, describe: 'Schedule evaluations the latency search may spend (deterministic budget)' })
      .option('memory-evaluations', { type: 'number', describe: `Schedule evaluations of the memory phase (deterministic budget; default ${DEFAULT_MEMORY_WORK / 1e6}M ÷ tasks per schedule, about 10 s on one core; on a long layout a quarter of that work builds its tiled start)` })
      .option('time-budget', { type: 'number', describe: 'Wall-clock cap on the search, seconds (default none). Output is deterministic for a seed and evaluation budgets unless this cap cuts the search short (JSON timeBudgetBound)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document' })
      .option('chart', { type: 'string', describe: 'Write the greedy and searched schedules as Gantt charts to this HTML file' })
      .example('$0 pipeline --pp-large 8 --pp-small 4 --mb-large 8 --mb-small 4 --f-large 5 --f-small 4 --mem-large 1.95 --mem-small 2', 'FlexFusion experiment 2')
      .example('$0 pipeline --pp-large 8 --pp-small 8 --mb-large 32 --f-large 5 --f-small 2 --mem-large 1.95 --mem-small 1 --json --chart exp3.html', 'experiment 3, as JSON and a chart'),
  handler: async (argv) => {
    const { io } = context;
    const spec = specFromFlags(argv);
    const seed = nonNegativeInteger('seed', argv.seed);
    const latencyEvaluations = nonNegativeInteger('max-evaluations', argv['max-evaluations']);
    const memoryEvaluations = argv['memory-evaluations'] === undefined ? undefined : nonNegativeInteger('memory-evaluations', argv['memory-evaluations']);
    const timeBudgetS = argv['time-budget'] === undefined ? 0 : positiveNumber('time-budget', argv['time-budget']);
    const timeUnit = argv['time-unit'] as string;
    const layout = fusedLayout(spec);

    let progress: Progress | undefined;
    let progressPhase: string | undefined;
    const result = searchFusedSchedule(layout, {
      seed,
      latencyEvaluations,
      ...(memoryEvaluations !== undefined ? { memoryEvaluations } : {}),
      ...(timeBudgetS > 0 ? { timeBudgetS } : {}),
      onProgress: (phase, evaluations, budget) => {
        if (phase !== progressPhase) {
          progress?.finish();
          progress = createProgress(io, budget, phase === 'latency' ? 'pipeline: latency search (evaluations)' : 'pipeline: memory phase (evaluations)');
          progressPhase = phase;
        }
        progress!.update(Math.min(evaluations, budget));
      },
    });
    (progress as Progress | undefined)?.finish();
    const searchTasks = timelineOf(layout.problem, result.best, 'searched');
    const greedyTasks = timelineOf(layout.problem, result.greedy, 'greedy');
    const serial = serialOneFOneBLatency(layout.problem);

    if (argv.chart !== undefined) {
      const timeTitle = `Time (${timeUnit})`;
      await writeChartPage(inputPath(io, argv.chart as string), {
        title: `Fused pipeline schedule: ${spec.large.name} PP ${spec.ppLarge} with ${spec.small.name} PP ${spec.ppSmall}`,
        intro: `Rows are nodes (pipeline-stage slots). ${spec.large.name} runs down from node 0, ${spec.small.name} up in ${spec.ppLarge / spec.ppSmall} pipeline(s); pale bars are forwards, solid bars backwards, numbers are micro-batches.`,
        charts: [
          { id: 'search', title: `Searched schedule: ${tidy(result.best.score.makespan)} ${timeUnit}, peak memory ${tidy(result.best.score.peakMemory)}`, spec: pipelineGanttChart(searchTasks, { timeTitle, timeUnit }), description: `Lower bound ${tidy(result.bounds.lowerBound)} ${timeUnit} (${result.bounds.binding}).` },
          { id: 'greedy', title: `Greedy schedule (FlexFusion baseline): ${tidy(result.greedy.score.makespan)} ${timeUnit}, peak memory ${tidy(result.greedy.score.peakMemory)}`, spec: pipelineGanttChart(greedyTasks, { timeTitle, timeUnit }) },
        ],
        footer: 'Generated by rlhf-replay pipeline',
      });
    }
    io.stdout(argv.json ? `${JSON.stringify(pipelineJson(spec, result, serial, timeUnit), null, 2)}\n` : humanReport(spec, result, serial, timeUnit));
  },
});
