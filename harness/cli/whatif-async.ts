import { availableParallelism } from 'node:os';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Options } from 'yargs';
import type { CliContext } from './context.js';
import type { MergeTarget } from './merge.js';
import { inputPath, jobsOption, optionError, positiveIntegerOption, seedOption, shardOption, shardOptions } from './options.js';
import { printShardWritten } from './shard-written.js';
import type { CaseOutcome } from '../jobs/cases.js';
import { executePlan } from '../jobs/execute.js';
import { canonicalJson } from '../jobs/plan.js';
import { formatShard } from '../jobs/sharding.js';
import { roundForJson } from '../report/round-for-json.js';
import { prepareExperiment } from '../run/experiment.js';
import { scenarioIterations } from '../scenario/batches.js';
import { loadScenario } from '../scenario/loader.js';
import type { Scenario } from '../scenario/scenario.js';
import { fullyAsyncParameters } from '../schedulers/async/parameters.js';
import { fullyAsyncParameterSet } from '../schedulers/async/fully-async.js';
import { isFsdpLayout } from '../schedulers/baseline/verl-workers.js';
import { findScheduler } from '../schedulers/index.js';
import { readWorkload } from '../traces/read.js';
import type { WorkloadIteration } from '../traces/types.js';
import { recordedComparison, type RecordedComparison } from '../whatif/async/recorded.js';
import { whatIf } from '../whatif/what-if.js';
import { loadStageMap, readRecordedGpuTrace } from './gpu-trace-input.js';
import { InputError } from '../util/input-error.js';
import { writeOutputFile } from '../util/output-folder.js';
import { createProgress } from '../util/progress.js';
import { ASYNC_SCHEDULERS, type AsyncGrid, type AsyncSchedulerName } from '../whatif/async/grid.js';
import { ASYNC_WHATIF_KINDS_REF, asyncWhatIfCaseKinds } from '../whatif/async/kinds.js';
import { buildAsyncWhatIfPlan, WHATIF_ASYNC_COMMAND, type AsyncWhatIfPlan } from '../whatif/async/plan.js';
import { asyncWhatIfExitCode, summarizeAsyncWhatIf } from '../whatif/async/report.js';
import { asyncWhatIfPage } from '../whatif/async/report-page.js';
import { formatAsyncWhatIf } from '../whatif/async/report-text.js';
import type { AsyncRunsResult } from '../whatif/async/runs.js';

/**
 * `whatif --async`: should this co-located run go asynchronous? Its response-length trace and
 * scenario, replayed through the co-located baseline and through one-step-off and fully-async on
 * rollout:trainer splits and asynchronous parameters (whatif/async/). This file parses the flags,
 * plans, runs the cases (in this thread, on a worker pool, or one shard for `merge`) and prints.
 */
export const DEFAULT_ASYNC_SHARD_DIR = 'reports/whatif-async';
export const DEFAULT_SPLITS = 20;
export const DEFAULT_STALENESS = '0,0.1,0.3,0.5';
/**
 * Iterations replayed unless --iterations says otherwise. Each is simulated by the asynchronous
 * schedulers as a steady-state window (warm-up iterations, the iteration, lookahead:
 * schedulers/async/async-window.ts), so one already gives every point its steady state; on the
 * bench's 128-GPU DAPO run the mean over two moves the points by 3 % ± 5 % and picks the same
 * splits within one step. A search of ~100 points on a run of hundreds of steps would otherwise
 * replay every step.
 */
export const DEFAULT_ASYNC_ITERATIONS = 1;

/** Flags only the asynchronous mode reads (none has a yargs default, so a flag given without --async is caught). */
export const asyncWhatIfOptions: Readonly<Record<string, Options>> = {
  splits: { type: 'number', describe: `--async: this many evenly spaced rollout shares of the GPUs, k / (N + 1), each rounded to whole rollout servers and trainer replicas [default: ${DEFAULT_SPLITS}]` },
  'rollout-gpus': { type: 'string', describe: '--async: the rollout GPUs of each split, comma-separated, instead of --splits (the trainer takes the rest); a split a side cannot hold is listed with the reason' },
  gpus: { type: 'string', describe: "--async: total GPUs of the asynchronous runs, comma-separated, each at most the scenario's (several put step time against cost) [default: the scenario's]" },
  staleness: { type: 'string', describe: `--async: fully-async staleness-threshold values, comma-separated [default: ${DEFAULT_STALENESS}]` },
  'require-batches': { type: 'string', describe: "--async: fully-async require-batches values, comma-separated [default: the scenario's fully-async value, else 1]" },
  trigger: { type: 'string', describe: "--async: fully-async trigger-parameter-sync-step values, comma-separated [default: the scenario's fully-async value, else 4]" },
  'partial-rollout': { type: 'string', describe: "--async: fully-async partial-rollout values, 'true', 'false' or 'true,false' [default: the scenario's fully-async value, else true]" },
  jobs: { type: 'number', describe: '--async: worker threads, one split each [default: the available cores]' },
  out: { type: 'string', describe: `--async: folder for this shard's file when sharded [default: ${DEFAULT_ASYNC_SHARD_DIR}]` },
  ...shardOptions,
};

/** The whatif flags the asynchronous mode does not read (the utilisation overlay and the simulated timelines of the recorded run's replay). */
export const RECORDED_ONLY_FLAGS = ['bin-ms', 'chrome-trace'] as const;
/** The flags about the recorded GPU trace, which --async reads only with --gpu-trace. */
export const GPU_TRACE_FLAGS = ['stage-map', 'format', 'force'] as const;

function listItems(flag: string, value: unknown): string[] {
  if (Array.isArray(value)) throw optionError(flag, value.join(' '), 'give it once, comma-separated');
  const items = String(value)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw optionError(flag, value, 'needs at least one value');
  return items;
}

function noRepeats<T>(flag: string, values: T[]): T[] {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(String(value))) throw optionError(flag, String(value), 'appears twice');
    seen.add(String(value));
  }
  return values;
}

/** A comma-separated list of numbers within [min, max] (whole numbers when `integer`). */
export function numberListOption(flag: string, value: unknown, rule: { readonly min: number; readonly max: number; readonly integer?: boolean; readonly what: string }): number[] {
  return noRepeats(
    flag,
    listItems(flag, value).map((item) => {
      const n = Number(item);
      if (!Number.isFinite(n) || (rule.integer && !Number.isInteger(n)) || n < rule.min || n > rule.max) {
        throw optionError(flag, item, `must be ${rule.integer ? 'a whole number' : 'a number'} from ${rule.min} to ${rule.max} (${rule.what})`);
      }
      return n;
    }),
  );
}

export function booleanListOption(flag: string, value: unknown): boolean[] {
  return noRepeats(
    flag,
    listItems(flag, value).map((item) => {
      if (item !== 'true' && item !== 'false') throw optionError(flag, item, "must be 'true' or 'false'");
      return item === 'true';
    }),
  );
}

async function sha256OfPath(path: string): Promise<string> {
  const hash = createHash('sha256');
  const add = async (file: string) => {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  };
  try {
    if ((await stat(path)).isDirectory()) {
      // A PolyTrace run is a folder: its files, in name order.
      for (const name of (await readdir(path)).sort()) {
        const file = join(path, name);
        if ((await stat(file)).isFile()) {
          hash.update(`${name}\0`);
          await add(file);
        }
      }
    } else await add(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({ file: path, message: code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(error)})` });
  }
  return hash.digest('hex');
}

/** The co-located scheduler the run is compared with: `--baseline`, else veRL for FSDP layouts and megatron-colocated for Megatron ones. */
export function colocatedBaseline(scenario: Scenario, given: unknown): string {
  if (given !== undefined) {
    const name = String(given);
    if (!findScheduler(name)) throw optionError('baseline', name, 'unknown scheduler');
    if ((ASYNC_SCHEDULERS as readonly string[]).includes(name)) throw optionError('baseline', name, 'is asynchronous; the baseline is the co-located run (verl, megatron-colocated, …)');
    return name;
  }
  const train = scenario.layout?.actorTrain;
  return train && !isFsdpLayout(train) ? 'megatron-colocated' : 'verl';
}

function asyncSchedulers(value: unknown): AsyncSchedulerName[] {
  if (value === undefined) return [...ASYNC_SCHEDULERS];
  const names = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const chosen: AsyncSchedulerName[] = [];
  for (const name of names) {
    if (!(ASYNC_SCHEDULERS as readonly string[]).includes(name)) throw optionError('scheduler', name, `--async compares the asynchronous schedulers: ${ASYNC_SCHEDULERS.join(', ')}`);
    if (!chosen.includes(name as AsyncSchedulerName)) chosen.push(name as AsyncSchedulerName);
  }
  return chosen.length > 0 ? chosen : [...ASYNC_SCHEDULERS];
}

/** The grid from the flags; fully-async's defaults are the scenario's own values for it, else the scheduler's. */
export function asyncGrid(argv: Record<string, unknown>, scenario: Scenario): AsyncGrid {
  const defaults = fullyAsyncParameterSet.resolve(scenario);
  const range = (p: { range?: readonly [number, number] }) => p.range ?? [0, Number.MAX_SAFE_INTEGER];
  const [sMin, sMax] = range(fullyAsyncParameters.stalenessThreshold);
  const [rMin, rMax] = range(fullyAsyncParameters.requireBatches);
  const [tMin, tMax] = range(fullyAsyncParameters.triggerParameterSyncStep);
  return {
    schedulers: asyncSchedulers(argv.scheduler),
    staleness: numberListOption('staleness', argv.staleness ?? DEFAULT_STALENESS, { min: sMin, max: sMax, what: 'fraction of a version' }),
    requireBatches: argv['require-batches'] === undefined ? [defaults.requireBatches] : numberListOption('require-batches', argv['require-batches'], { min: rMin, max: rMax, integer: true, what: 'PPO mini-batches per local update' }),
    trigger: argv.trigger === undefined ? [defaults.triggerParameterSyncStep] : numberListOption('trigger', argv.trigger, { min: tMin, max: tMax, integer: true, what: 'local updates per weight sync' }),
    partialRollout: argv['partial-rollout'] === undefined ? [defaults.partialRollout] : booleanListOption('partial-rollout', argv['partial-rollout']),
  };
}

/** Refuses flags of the other mode: async-only flags without --async, recorded-trace flags with it (none of them has a yargs default, so undefined means not given). */
export function checkModeFlags(argv: Record<string, unknown>, asyncMode: boolean): void {
  const given = (flag: string) => argv[flag] !== undefined;
  if (!asyncMode) {
    for (const flag of Object.keys(asyncWhatIfOptions)) if (given(flag)) throw optionError(flag, argv[flag], 'is a flag of the asynchronous what-if: add --async');
    if (!given('gpu-trace')) throw optionError('gpu-trace', undefined, 'is required (the recorded GPU trace), except with --async');
    return;
  }
  for (const flag of RECORDED_ONLY_FLAGS) if (given(flag)) throw optionError(flag, argv[flag], 'is not read by --async (run whatif without --async for the utilisation overlay and simulated timelines)');
  if (!given('gpu-trace')) for (const flag of GPU_TRACE_FLAGS) if (given(flag)) throw optionError(flag, argv[flag], 'concerns the recorded GPU trace: give --gpu-trace too');
  if (given('splits') && given('rollout-gpus')) throw optionError('rollout-gpus', argv['rollout-gpus'], 'give --splits or --rollout-gpus, not both');
}

/** Finalize and print: shared by `whatif --async` (unsharded) and `merge`. */
export async function finalizeAsyncWhatIf(context: CliContext, argv: Record<string, unknown>, plan: AsyncWhatIfPlan, outcomes: readonly CaseOutcome<AsyncRunsResult>[]): Promise<void> {
  const { io } = context;
  const report = summarizeAsyncWhatIf(plan, outcomes, { force: Boolean(argv.force) });
  const chartPath = argv.chart as string | undefined;
  if (chartPath !== undefined) {
    const { renderChartPage } = await import('../report/page.js');
    await writeOutputFile(inputPath(io, chartPath), await renderChartPage(asyncWhatIfPage(report)), 'whatif');
  }
  if (argv.json) io.stdout(`${JSON.stringify(report, roundForJson, 2)}\n`);
  else {
    io.stdout(formatAsyncWhatIf(report));
    if (chartPath !== undefined) io.stdout(`chart written to ${chartPath}\n`);
  }
  for (const error of report.errors) io.stderr(`whatif --async: ${error.id}: ${error.message}\n`);
  context.exitCode = asyncWhatIfExitCode(report);
}

export const asyncWhatIfMergeTarget: MergeTarget = {
  command: WHATIF_ASYNC_COMMAND,
  options: {
    chart: { type: 'string', describe: 'whatif --async: write the frontier and step-time charts as an offline HTML page' },
    force: { type: 'boolean', describe: 'whatif --async: project onto a recorded run that does not match its simulation (exit code 1 is kept)' },
  },
  finalize: (context, argv, merged) => finalizeAsyncWhatIf(context, argv, merged.plan as AsyncWhatIfPlan, merged.outcomes as CaseOutcome<AsyncRunsResult>[]),
};

/** With --gpu-trace: the recorded run measured and set against the co-located baseline simulated on the same iterations (whatif's fidelity step). */
async function recordedAgainstBaseline(io: CliContext['io'], argv: Record<string, unknown>, scenario: Scenario, baseline: string, iterations: readonly WorkloadIteration[], seed: number): Promise<RecordedComparison> {
  const stageMap = await loadStageMap(argv['stage-map'] === undefined ? undefined : inputPath(io, argv['stage-map'] as string));
  const recording = await readRecordedGpuTrace(io, argv);
  const report = await whatIf({ ...recording, iterations, scenario, baseline: findScheduler(baseline)!, schedulers: [], stageMap, seed });
  return recordedComparison(report, String(argv['gpu-trace']));
}

export async function runAsyncWhatIf(context: CliContext, argv: Record<string, unknown>): Promise<void> {
  const { io } = context;
  const shard = shardOption(io, argv.shard, argv.shards);
  const iterations = positiveIntegerOption('iterations', argv.iterations, 'iterations') ?? DEFAULT_ASYNC_ITERATIONS;
  const seed = seedOption(argv.seed);
  const splitsCount = positiveIntegerOption('splits', argv.splits, 'splits');
  if (splitsCount !== undefined && splitsCount > 1000) throw optionError('splits', splitsCount, 'at most 1000');
  const scenarioArg = String(argv.scenario);
  const traceArg = String(argv.lengths);
  const scenarioPath = inputPath(io, scenarioArg);
  const tracePath = inputPath(io, traceArg);
  const scenario = await loadScenario(scenarioPath);
  if (!scenario.layout) throw new InputError({ file: scenarioPath, field: 'layout', value: undefined, message: 'an asynchronous what-if trains on the trainer pool, so the scenario needs a training layout (scope "iteration")' });
  const colocatedGpus = scenario.cluster.nodes * scenario.cluster.gpusPerNode;
  const gpus = argv.gpus === undefined ? [colocatedGpus] : numberListOption('gpus', argv.gpus, { min: 2, max: colocatedGpus, integer: true, what: `GPUs of the asynchronous run, at most the co-located run's ${colocatedGpus}` });
  const rolloutGpus = argv['rollout-gpus'] === undefined ? undefined : numberListOption('rollout-gpus', argv['rollout-gpus'], { min: 1, max: colocatedGpus, integer: true, what: 'rollout GPUs of a split' });
  const baseline = colocatedBaseline(scenario, argv.baseline);
  const grid = asyncGrid(argv, scenario);

  // The trace is read here once, so a bad trace is refused before any case runs.
  const workload = await readWorkload(tracePath);
  const { iterations: all } = scenarioIterations(workload, scenario, { keepTraceBatches: argv['keep-trace-batches'] as boolean });
  if (all.length === 0) throw optionError('lengths', traceArg, 'has no prompt groups to replay');
  const { cost } = await prepareExperiment({ scenario, workload: { kind: 'iterations', iterations: [] }, schedulers: [], seed });
  const recorded = argv['gpu-trace'] === undefined ? undefined : await recordedAgainstBaseline(io, argv, scenario, baseline, all, seed);
  const { file: _file, ...scenarioContent } = scenario;
  const plan = buildAsyncWhatIfPlan({
    scenarioPath: scenarioArg,
    tracePath: traceArg,
    scenario,
    cost,
    baseline,
    gpus,
    splits: rolloutGpus !== undefined ? { rolloutGpus } : { count: splitsCount ?? DEFAULT_SPLITS },
    grid,
    seed,
    iterations,
    traceIterations: all.length,
    ...(recorded ? { recorded } : {}),
    keepTraceBatches: argv['keep-trace-batches'] as boolean,
    scenarioSha256: createHash('sha256').update(canonicalJson(scenarioContent)).digest('hex'),
    traceSha256: await sha256OfPath(tracePath),
  });
  const jobs = jobsOption(argv.jobs, Math.max(1, availableParallelism()));
  const progress = createProgress(io, plan.cases.length, `whatif --async${shard.count > 1 ? ` ${formatShard(shard)}` : ''}`);
  const execution = await executePlan<AsyncWhatIfPlan['cases'][number], AsyncWhatIfPlan['config'], AsyncRunsResult>(plan, {
    shard,
    jobs,
    kinds: ASYNC_WHATIF_KINDS_REF,
    registry: asyncWhatIfCaseKinds,
    baseDir: io.cwd,
    shardDir: inputPath(io, (argv.out as string | undefined) ?? DEFAULT_ASYNC_SHARD_DIR),
    onProgress: (done, _total, id) => progress.update(done, id),
  });
  progress.finish();
  if (execution.mode === 'shard') {
    printShardWritten(io, { command: 'whatif --async', caseNoun: 'split', shard, path: execution.path, file: execution.file, json: Boolean(argv.json) });
    return;
  }
  await finalizeAsyncWhatIf(context, argv, plan, execution.outcomes);
}
