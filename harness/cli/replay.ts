import type { CommandFactory } from './commands.js';
import type { CliIo } from '../util/cli-io.js';
import { inputPath, knownSchedulerNames, optionError, positiveIntegerOption, schedulerListOption, seedOption } from './options.js';
import { scenarioAssumptions, type Scenario } from '../scenario/scenario.js';
import { catalogMetric, metricColumn, stageMetric, type MetricSpec } from '../metrics/catalog.js';
import { bandNote, metricBand } from '../fidelity/metric-bands.js';
import type { ErrorBand } from '../fidelity/bands.js';
import type { ScenarioFramework } from '../scenario/cost-model.js';
import { chromeTrace } from '../sim/chrome-trace.js';
import { formatTextTable } from '../report/text-table.js';
import type { Table } from '../report/tables.js';
import { findScheduler } from '../schedulers/index.js';
import { prepareExperiment } from '../run/experiment.js';
import { loadRunInputs } from '../run/inputs.js';
import { iterationRecord, type IterationRecord, type SchedulerSummary } from '../run/summary.js';
import { readStageTimings } from '../traces/read.js';
import { compareStageTimings, summarizeStageComparison, type StageComparisonRow } from '../schedulers/stage-timing-comparison.js';
import type { IterationResult } from '../sim/types.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { createProgress } from '../util/progress.js';

/** `[low, high]` of a band, 3 significant figures (the column header carries the unit). */
function bandText(band: ErrorBand | undefined): string | null {
  if (!band) return null;
  const f = (x: number) => Number(x.toPrecision(3)).toString();
  return `[${f(band.lowS)}, ${f(band.highS)}]`;
}

/** Per scheduler, the 80 % bands of its banded figures (JSON). */
function summaryBands(s: SchedulerSummary, framework: ScenarioFramework): Record<string, readonly [number, number]> {
  const out: Record<string, readonly [number, number]> = {};
  const add = (metric: MetricSpec, key: string, value: number) => {
    const band = metricBand(metric, value, { framework, scheduler: s.scheduler });
    if (band) out[key] = [band.lowS, band.highS];
  };
  for (const name of ['iterationTimeS', 'samplesPerS', 'tokensPerS', 'gpuSecondsAllocated', 'costUsd'] as const) add(catalogMetric(name), name, s[name]);
  for (const [stage, value] of Object.entries(s.stages)) add(stageMetric(stage), `stage:${stage}`, value);
  return out;
}

const summaryTable = (summary: readonly SchedulerSummary[], framework: ScenarioFramework): Table => {
  const stages = [...new Set(summary.flatMap((s) => Object.keys(s.stages)))].sort();
  const base = summary[0]?.samplesPerS ?? 0;
  const banded = framework.calibration !== undefined;
  const band = (s: SchedulerSummary, name: 'iterationTimeS' | 'costUsd') => bandText(metricBand(catalogMetric(name), s[name], { framework, scheduler: s.scheduler }));
  return {
    columns: [
      { key: 'scheduler', name: 'scheduler', label: 'Scheduler', unit: null },
      { key: 'iterations', name: 'iterations', label: 'Iterations', unit: null },
      metricColumn(catalogMetric('iterationTimeS'), { key: 'iterationTimeS', decimals: 2 }),
      ...(banded ? [{ key: 'iterationTimeBand', name: 'iteration_time_band_80pct_s', label: 'Iteration time, 80 % band', unit: 's' }] : []),
      metricColumn(catalogMetric('samplesPerS'), { key: 'samplesPerS', decimals: 3 }),
      { key: 'speedup', name: 'speedup_vs_first_x', label: 'Speedup vs first', unit: '×', decimals: 2 },
      metricColumn(catalogMetric('tokensPerS'), { key: 'tokensPerS', decimals: 0 }),
      metricColumn(catalogMetric('gpuSecondsAllocated'), { key: 'gpuSecondsAllocated', decimals: 0 }),
      metricColumn(catalogMetric('costUsd'), { key: 'costUsd', decimals: 3 }),
      ...(banded ? [{ key: 'costBand', name: 'cost_band_80pct_usd', label: 'Cost, 80 % band', unit: 'USD' }] : []),
      metricColumn(catalogMetric('utilization'), { key: 'utilization', decimals: 3 }),
      ...stages.map((stage) => metricColumn(stageMetric(stage), { key: `stage:${stage}`, decimals: 2 })),
    ],
    rows: summary.map((s) => ({
      scheduler: s.scheduler,
      iterations: s.iterations,
      iterationTimeS: s.iterationTimeS,
      iterationTimeBand: band(s, 'iterationTimeS'),
      samplesPerS: s.samplesPerS,
      speedup: base > 0 ? s.samplesPerS / base : null,
      tokensPerS: s.tokensPerS,
      gpuSecondsAllocated: s.gpuSecondsAllocated,
      costUsd: s.costUsd,
      costBand: band(s, 'costUsd'),
      utilization: s.utilization,
      ...Object.fromEntries(stages.map((stage) => [`stage:${stage}`, s.stages[stage] ?? 0])),
    })),
  };
};

const comparisonTable = (rows: ReturnType<typeof summarizeStageComparison>): Table => ({
  columns: [
    { key: 'stage', name: 'stage', label: 'Stage', unit: null },
    { key: 'iterations', name: 'iterations', label: 'Iterations', unit: null },
    { key: 'recordedMeanS', name: 'recorded_mean_s', label: 'Recorded, mean', unit: 's', decimals: 2 },
    { key: 'simulatedMeanS', name: 'simulated_mean_s', label: 'Simulated, mean', unit: 's', decimals: 2 },
    { key: 'meanAbsErrorPct', name: 'mean_abs_error_pct', label: 'Mean absolute error', unit: '%', decimals: 1 },
  ],
  rows: rows.map((r) => ({ ...r, simulatedMeanS: r.simulatedMeanS ?? null, meanAbsErrorPct: r.meanAbsErrorPct ?? null })),
});

interface StageTimingReport {
  readonly file: string;
  readonly rows: readonly StageComparisonRow[];
  readonly summary: ReturnType<typeof summarizeStageComparison>;
  readonly notes: readonly string[];
}

async function compareWithStageTimings(io: CliIo, path: string, scenario: Scenario, results: readonly IterationResult[]): Promise<StageTimingReport> {
  const trace = await readStageTimings(path);
  const simulated = results.filter((r) => r.scheduler === 'verl');
  const notes: string[] = [...trace.notes];
  if (trace.iterations.length !== simulated.length) {
    notes.push(`paired the first ${Math.min(trace.iterations.length, simulated.length)} of ${trace.iterations.length} logged steps with ${simulated.length} simulated iterations, in order`);
  }
  const gpus = trace.iterations.find((it) => it.gpus !== undefined)?.gpus;
  const scenarioGpus = scenario.cluster.nodes * scenario.cluster.gpusPerNode;
  if (gpus !== undefined && gpus !== scenarioGpus) notes.push(`the log's run used ${gpus} GPUs; the scenario has ${scenarioGpus}`);
  const rows = compareStageTimings(trace.iterations, simulated);
  void io;
  return { file: path, rows, summary: summarizeStageComparison(rows), notes };
}

export const replayCommand: CommandFactory = (context) => ({
  command: 'replay',
  describe: 'Replay a response-length trace through schedulers under a scenario: iteration time, throughput, GPU-seconds, cost, stage times',
  builder: (yargs) =>
    yargs
      .option('trace', { type: 'string', demandOption: true, describe: 'Response-length trace (any format `traces validate` reads)' })
      .option('scenario', { type: 'string', demandOption: true, describe: 'Scenario JSON (harness/scenario/scenarios/*.json)' })
      .option('scheduler', { type: 'string', array: true, describe: `Schedulers, comma-separated (default all): ${knownSchedulerNames()}` })
      .option('iterations', { type: 'number', describe: 'Replay at most this many iterations' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of every random choice (mini-batch order)' })
      .option('keep-trace-batches', { type: 'boolean', default: false, describe: "Replay the trace's iterations as recorded instead of re-cutting them to the scenario's batch" })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document: { meta, iterations, summary[, stageTimings] }' })
      .option('chrome-trace', { type: 'string', describe: 'Write the simulated timelines as a Chrome trace (open in ui.perfetto.dev)' })
      .option('stage-timings', { type: 'string', describe: 'A recorded veRL log (or canonical stage timings): print simulated `verl` vs recorded stage times with their error' })
      .example('$0 replay --trace traces/examples/default.jsonl --scenario harness/scenario/scenarios/rlhfuse-65b-33b.json --scheduler deepspeed-chat,rlhfuse-base', 'compare two schedulers')
      .example('$0 replay --trace t.jsonl --scenario s.json --scheduler verl --stage-timings verl.log', 'check the verl model against a recorded run'),
  handler: async (argv) => {
    const { io } = context;
    const chosen = schedulerListOption(argv.scheduler);
    const iterationsWanted = positiveIntegerOption('iterations', argv.iterations, 'iterations');
    const seed = seedOption(argv.seed);
    const stageTimingsPath = argv['stage-timings'] as string | undefined;
    if (stageTimingsPath !== undefined && !chosen.some((s) => s.name === 'verl')) chosen.push(findScheduler('verl')!);
    // The scenario's cap is applied by the schedulers (responses longer than it are cut to it, and noted).
    const inputs = await loadRunInputs({
      scenario: inputPath(io, argv.scenario as string),
      trace: inputPath(io, argv.trace as string),
      batching: { ...(iterationsWanted !== undefined ? { iterations: iterationsWanted } : {}), keepTraceBatches: argv['keep-trace-batches'] as boolean },
    });
    const { scenario } = inputs;
    const run = await prepareExperiment({ ...inputs, schedulers: chosen, seed });
    if (run.iterations === 0) throw optionError('trace', argv.trace, 'has no prompt groups to replay');
    const chromePath = argv['chrome-trace'] as string | undefined;
    // Only what an output asks for is kept; the summaries are running sums (memory does not grow with the trace).
    const kept: IterationResult[] = [];
    const keep = (result: IterationResult) => chromePath !== undefined || (stageTimingsPath !== undefined && result.scheduler === 'verl');
    const records: IterationRecord[] = [];
    const progress = createProgress(io, run.iterations * chosen.length, 'replay');
    const outcome = await run.run({
      result: (result, { done }) => {
        if (keep(result)) kept.push(result);
        if (argv.json) records.push(iterationRecord(result));
        progress.update(done, `${result.scheduler} iteration ${result.iteration}`);
      },
    });
    progress.finish();
    const summary = outcome.summaries;
    const { framework } = outcome;
    const stageTimings = stageTimingsPath !== undefined ? await compareWithStageTimings(io, inputPath(io, stageTimingsPath), scenario, kept.filter((r) => r.scheduler === 'verl')) : undefined;
    const meta = {
      scenario: scenario.name,
      trace: argv.trace as string,
      traceSynthetic: outcome.traceMeta!.synthetic,
      seed,
      costModel: outcome.costModel.description,
      frameworkCalibration: { file: framework.label, outsideCalibration: framework.outsideCalibration },
      // Cost-model queries outside the calibrated range (ReaLHF-style warning), over the whole replay.
      costModelRange: { queries: outcome.costModel.queries, outOfRange: outcome.costModel.outOfRange },
      schedulers: chosen.map((s) => s.name),
      notes: outcome.notes,
      assumptions: scenarioAssumptions(scenario),
      schedulerAssumptions: Object.fromEntries(chosen.map((s) => [s.name, s.assumptions])),
    };
    if (chromePath !== undefined) {
      await writeJsonAtomic(inputPath(io, chromePath), chromeTrace(kept, { scenario: scenario.name, trace: argv.trace as string, seed: String(seed) }));
    }
    if (argv.json) {
      const bandedSummary = summary.map((s) => ({ ...s, bands80: summaryBands(s, framework) }));
      io.stdout(`${JSON.stringify({ meta, iterations: records, summary: bandedSummary, ...(stageTimings ? { stageTimings } : {}) }, null, 2)}\n`);
      return;
    }
    io.stdout(`scenario ${scenario.name} · ${outcome.iterations} iteration(s) · cost model: ${outcome.costModel.description}\n\n`);
    io.stdout(formatTextTable(summaryTable(summary, framework)));
    const bands = bandNote(framework, summary.map((s) => s.scheduler));
    if (bands) io.stdout(`bands: ${bands}\n`);
    if (stageTimings) {
      io.stdout(`\nverl vs recorded stage times (${stageTimings.file})\n`);
      io.stdout(formatTextTable(comparisonTable(stageTimings.summary)));
      for (const note of stageTimings.notes) io.stdout(`note: ${note}\n`);
    }
    // A note every scheduler made is printed once; the others with the scheduler's name.
    const resultNotes = outcome.schedulerNotes.sharedThenOwn(chosen.map((s) => s.name));
    for (const note of [...meta.notes, ...resultNotes]) io.stdout(`note: ${note}\n`);
    if (outcome.costModel.outOfRange > 0) io.stdout(`note: ${outcome.costModel.outOfRange} of ${outcome.costModel.queries} cost-model queries were outside its calibrated range\n`);
    if (chromePath !== undefined) io.stdout(`chrome trace: ${chromePath} (open in ui.perfetto.dev)\n`);
  },
});
