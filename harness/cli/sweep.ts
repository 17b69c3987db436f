import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Options } from 'yargs';
import type { CommandFactory } from './commands.js';
import type { CliContext } from './context.js';
import type { MergeTarget } from './merge.js';
import { inputPath, jobsOption, optionError, positiveIntegerOption, seedOption, shardOption, shardOptions } from './options.js';
import { printShardWritten } from './shard-written.js';
import type { CaseOutcome } from '../jobs/cases.js';
import { executePlan } from '../jobs/execute.js';
import { canonicalJson } from '../jobs/plan.js';
import { loadScenario } from '../scenario/loader.js';
import { formatShard } from '../jobs/sharding.js';
import { summarizeSweep, sweepChartPage, sweepExitCode, sweepText } from '../sweep/finalize.js';
import { SWEEP_KINDS_REF, sweepCaseKinds } from '../sweep/kinds.js';
import { metricSpec } from '../sweep/metrics.js';
import { buildSweepPlan, parseSweepValues, resolveParameter, resolveScheduler, SWEEP_COMMAND, type SweepPlan } from '../sweep/plan.js';
import type { SweepPointResult } from '../sweep/point.js';
import { renderChartPage } from '../report/page.js';
import { schedulers } from '../schedulers/index.js';
import { InputError } from '../util/input-error.js';
import { writeOutputFile } from '../util/output-folder.js';
import { createProgress } from '../util/progress.js';

export const DEFAULT_SHARD_DIR = 'reports/sweep';

/** Output options of the finalize step: `sweep` and `merge` share them, so a merge prints what one run prints. */
export const sweepFinalizeOptions: Readonly<Record<string, Options>> = {
  chart: { type: 'string', describe: 'sweep: write the metric against the value (band, optimum marked) as an offline HTML page' },
  optimum: { type: 'string', choices: ['min', 'max'], describe: 'sweep: which end of the metric is best [default: min for times and costs, max for throughputs]' },
};

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({ file: path, message: code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(error)})` });
  }
  return hash.digest('hex');
}

/** A flag given once: yargs turns a repeated flag into an array. */
function single(flag: string, value: unknown): string {
  if (Array.isArray(value)) throw optionError(flag, value.join(' '), 'give it once');
  if (typeof value !== 'string' && typeof value !== 'number') throw optionError(flag, value, 'is required');
  return String(value);
}

/** Finalize and print: shared by `sweep` (unsharded) and `merge`. */
export async function finalizeSweep(context: CliContext, argv: Record<string, unknown>, plan: SweepPlan, outcomes: readonly CaseOutcome<SweepPointResult>[]): Promise<void> {
  const { io } = context;
  const report = summarizeSweep(plan, outcomes, argv.optimum as 'min' | 'max' | undefined);
  const chartPath = argv.chart as string | undefined;
  // A transaction of one file: stray temporary files of a killed earlier run beside it are cleaned too.
  if (chartPath !== undefined && report.best !== null) await writeOutputFile(inputPath(io, chartPath), await renderChartPage(sweepChartPage(report)), 'sweep');
  if (argv.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else {
    io.stdout(sweepText(report));
    if (chartPath !== undefined && report.best !== null) io.stdout(`chart: ${chartPath}\n`);
  }
  for (const error of report.errors) io.stderr(`sweep: ${error.id}: ${error.message}\n`);
  context.exitCode = sweepExitCode(report);
}

export const sweepMergeTarget: MergeTarget = {
  command: SWEEP_COMMAND,
  options: sweepFinalizeOptions,
  finalize: (context, argv, merged) => finalizeSweep(context, argv, merged.plan as SweepPlan, merged.outcomes as CaseOutcome<SweepPointResult>[]),
};

export const sweepCommand: CommandFactory = (context) => ({
  command: 'sweep',
  describe: "Replay one scheduler once per value of one of its named assumptions and show the metric's curve and optimum (e.g. RLHFuse's migration threshold)",
  builder: (yargs) =>
    yargs
      .option('scenario', { type: 'string', demandOption: true, describe: 'Scenario JSON (harness/scenario/scenarios/*.json)' })
      .option('trace', { type: 'string', demandOption: true, describe: 'Response-length trace (any format `traces validate` reads)' })
      .option('scheduler', { type: 'string', demandOption: true, describe: `The scheduler: ${schedulers.map((s) => s.name).join(', ')}` })
      .option('param', { type: 'string', demandOption: true, describe: "One of the scheduler's named assumptions (`replay --json` lists them under meta.schedulerAssumptions); case, '-' and '_' are ignored" })
      .option('values', { type: 'string', demandOption: true, describe: "Comma-separated values; 'a,b,...,z' expands to a, a + (b − a), … up to z" })
      .option('metric', { type: 'string', default: 'iterationTimeS', describe: 'iterationTimeS, samplesPerS, tokensPerS, costUsd, gpuSecondsAllocated, gpuSecondsBusy, utilization, bubbleRatio, stage:<name>, task:<name> or counter:<name>' })
      .option('iterations', { type: 'number', describe: 'Replay at most this many iterations per point' })
      .option('seed', { type: 'number', default: 1, describe: 'Seed of every random choice (the same for every point)' })
      .option('keep-trace-batches', { type: 'boolean', default: false, describe: "Replay the trace's iterations as recorded instead of re-cutting them to the scenario's batch" })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document: { meta, rows, best, notes, errors }' })
      .options(sweepFinalizeOptions)
      .options(shardOptions)
      .option('jobs', { type: 'number', default: 1, describe: 'Worker threads, one point each' })
      .option('out', { type: 'string', describe: `Folder for this shard's file when sharded [default: ${DEFAULT_SHARD_DIR}]` })
      .example('$0 sweep --scenario harness/scenario/scenarios/rlhfuse-65b-33b.json --trace traces/examples/default.jsonl --scheduler rlhfuse --param migration-threshold --values 0.05,0.1,...,0.5 --chart threshold.html', "RLHFuse's migration-threshold curve")
      .example('$0 sweep … --shard 0/4 --out shards/', 'run a quarter of the points; then `rlhf-replay merge shards/`')
      .epilogue('Each value is set as schedulerParameters.<scheduler>.<param> over the scenario. Exit 0 ok, 2 bad input (or a point failed on its input), 3 a point hit a harness bug.'),
  handler: async (argv) => {
    const { io } = context;
    const shard = shardOption(io, argv.shard, argv.shards);
    const jobs = jobsOption(argv.jobs, 1);
    const iterations = positiveIntegerOption('iterations', argv.iterations, 'iterations');
    const seed = seedOption(argv.seed);
    const scheduler = resolveScheduler(single('scheduler', argv.scheduler));
    const parameter = resolveParameter(scheduler, single('param', argv.param));
    const values = parseSweepValues(single('values', argv.values), parameter);
    const metric = metricSpec(single('metric', argv.metric)).name;
    const scenarioArg = single('scenario', argv.scenario);
    const traceArg = single('trace', argv.trace);
    const scenarioPath = inputPath(io, scenarioArg);
    const tracePath = inputPath(io, traceArg);
    const scenario = await loadScenario(scenarioPath);
    const { file: _file, ...scenarioContent } = scenario;
    const plan = buildSweepPlan({
      scenario: scenarioArg,
      trace: traceArg,
      scheduler,
      parameter,
      values,
      metric,
      seed,
      ...(iterations !== undefined ? { iterations } : {}),
      keepTraceBatches: argv['keep-trace-batches'] as boolean,
      scenarioSha256: createHash('sha256').update(canonicalJson(scenarioContent)).digest('hex'),
      traceSha256: await sha256OfFile(tracePath),
    });
    const progress = createProgress(io, plan.cases.length, `sweep${shard.count > 1 ? ` ${formatShard(shard)}` : ''}`);
    const execution = await executePlan<SweepPlan['cases'][number], SweepPlan['config'], SweepPointResult>(plan, {
      shard,
      jobs,
      kinds: SWEEP_KINDS_REF,
      registry: sweepCaseKinds,
      baseDir: io.cwd,
      shardDir: inputPath(io, (argv.out as string | undefined) ?? DEFAULT_SHARD_DIR),
      onProgress: (done, _total, id) => progress.update(done, id),
    });
    progress.finish();
    if (execution.mode === 'shard') {
      printShardWritten(io, { command: 'sweep', caseNoun: 'point', shard, path: execution.path, file: execution.file, json: Boolean(argv.json) });
      return;
    }
    await finalizeSweep(context, argv as Record<string, unknown>, plan, execution.outcomes);
  },
});
