import { join } from 'node:path';
import type { Options } from 'yargs';
import type { CommandFactory } from './commands.js';
import type { CliContext } from './context.js';
import type { CliIo } from '../util/cli-io.js';
import type { MergeTarget } from './merge.js';
import { caseCostRecorder, caseCostsFor, caseCostsOptions, inputPath, jobsOption, lastString, optionError, shardOption, shardOptions, shownPath } from './options.js';
import { withCostEstimates } from '../jobs/costs.js';
import { printShardWritten } from './shard-written.js';
import type { CaseOutcome } from '../jobs/cases.js';
import { executePlan } from '../jobs/execute.js';
import { formatShard } from '../jobs/sharding.js';
import { isValidDate } from '../nightly/acknowledge.js';
import { readBaselines } from '../nightly/baseline.js';
import { finalizeNightly, OUTPUT_FILES } from '../nightly/finalize.js';
import { NIGHTLY_KINDS_REF, nightlyCaseKinds } from '../nightly/kinds/index.js';
import { buildNightlyPlan, NIGHTLY_COMMAND, type NightlyPlan } from '../nightly/plan.js';
import { nightlyExitCode } from '../nightly/report.js';
import { loadSuite } from '../nightly/suite.js';
import type { NightlyCaseResult } from '../nightly/types.js';
import { createProgress } from '../util/progress.js';

export const DEFAULT_SUITE = 'baselines/nightly/suite.json';
export const DEFAULT_BASELINE_DIR = 'baselines/nightly';
export const DEFAULT_HISTORY = 'reports/history.jsonl';
export const DEFAULT_OUT = 'reports/nightly';

/** Options of the finalize step: `nightly` and `merge` share them, so a merge writes what one run writes. */
export const nightlyFinalizeOptions: Readonly<Record<string, Options>> = {
  baseline: { type: 'string', describe: `nightly: baseline folder (golden.json, timings.json, acknowledged.json) [default: ${DEFAULT_BASELINE_DIR}]` },
  acknowledge: { type: 'string', describe: 'nightly: acknowledge list [default: <baseline>/acknowledged.json]' },
  history: { type: 'string', describe: `nightly: history file, one JSON line appended per run [default: ${DEFAULT_HISTORY}]` },
  'update-baseline': { type: 'boolean', default: false, describe: 'nightly: rewrite the baselines with this run’s figures (atomically); changes are accepted' },
  'run-label': { type: 'string', describe: 'nightly: label of this run in the history [default: $RLHF_REPLAY_RUN_LABEL, else the UTC time]' },
  commit: { type: 'string', describe: 'nightly: commit of this run for the history [default: $GITHUB_SHA]' },
  today: { type: 'string', describe: 'nightly: the date acknowledgements expire against, YYYY-MM-DD [default: today, UTC]' },
};

function pathOption(io: CliIo, value: unknown, fallback: string): string {
  const given = lastString(value);
  return inputPath(io, given !== undefined && given !== '' ? given : fallback);
}

function finalizeOptionsFrom(io: CliIo, argv: Record<string, unknown>, now: Date) {
  const baselineDir = pathOption(io, argv.baseline, DEFAULT_BASELINE_DIR);
  const today = lastString(argv.today) ?? now.toISOString().slice(0, 10);
  if (!isValidDate(today)) throw optionError('today', today, 'must be a date YYYY-MM-DD');
  const run = lastString(argv['run-label']) ?? io.env.RLHF_REPLAY_RUN_LABEL ?? `${now.toISOString().slice(0, 16)}Z`;
  if (run.trim() === '') throw optionError('run-label', run, 'must not be empty');
  const acknowledge = lastString(argv.acknowledge);
  return {
    outDir: pathOption(io, argv.out, DEFAULT_OUT),
    historyPath: pathOption(io, argv.history, DEFAULT_HISTORY),
    acknowledgePath: acknowledge !== undefined ? inputPath(io, acknowledge) : join(baselineDir, 'acknowledged.json'),
    baselineDir,
    updateBaseline: argv['update-baseline'] === true,
    run,
    commit: lastString(argv.commit) ?? io.env.GITHUB_SHA ?? null,
    today,
  };
}

/** Finalize and print: shared by `nightly` (unsharded) and `merge`. */
export async function finalizeAndPrint(context: CliContext, argv: Record<string, unknown>, plan: NightlyPlan, outcomes: readonly CaseOutcome<NightlyCaseResult>[]): Promise<void> {
  const { io } = context;
  const result = await finalizeNightly(plan, outcomes, finalizeOptionsFrom(io, argv, new Date()));
  if (argv.json) io.stdout(result.jsonText);
  else {
    io.stdout(result.markdown);
    io.stdout(`\nwrote ${result.written.map((p) => shownPath(io, p)).join(', ')}\n`);
  }
  for (const warning of result.report.json.warnings) io.stderr(`warning: ${warning}\n`);
  context.exitCode = nightlyExitCode(result.report.json);
}

export const nightlyMergeTarget: MergeTarget = {
  command: NIGHTLY_COMMAND,
  options: nightlyFinalizeOptions,
  finalize: (context, argv, merged) => finalizeAndPrint(context, argv, merged.plan as NightlyPlan, merged.outcomes as CaseOutcome<NightlyCaseResult>[]),
};

export const nightlyCommand: CommandFactory = (context) => ({
  command: 'nightly',
  describe: 'Run the nightly regression suite: compare simulated figures and harness timings with stored baselines (exit 1 on a confirmed regression)',
  builder: (yargs) =>
    yargs
      .option('suite', { type: 'string', default: DEFAULT_SUITE, describe: 'Suite file: which cases, with what tolerance and timing rule' })
      .options(nightlyFinalizeOptions)
      .option('out', { type: 'string', describe: `Folder for nightly.json, summary.md, junit.xml, trend.html, or for this shard's file [default: ${DEFAULT_OUT}]` })
      .option('json', { type: 'boolean', default: false, describe: 'Print { ok, regressions, improvements, unchanged, … } as one JSON document' })
      .options(shardOptions)
      .options(caseCostsOptions)
      .option('jobs', { type: 'number', default: 1, describe: 'Worker threads for the cases (timing cases still run alone, after the others)' })
      .example('$0 nightly', 'run the whole suite, write reports/nightly/, append reports/history.jsonl')
      .example('$0 nightly --shard 0/4 --out shards/', 'run a quarter of the cases; then `rlhf-replay merge shards/`')
      .example('$0 nightly --update-baseline', 'accept the current figures as the new baseline')
      .epilogue(`Outputs: ${Object.values(OUTPUT_FILES).join(', ')} in --out; exit 0 ok, 1 a regression (deterministic figure outside its tolerance, or a confirmed timing regression), 2 bad input, 3 a case crashed.`),
  handler: async (argv) => {
    const { io } = context;
    const shard = shardOption(io, lastString(argv.shard), argv.shards);
    const jobs = jobsOption(argv.jobs, 1);
    if (shard.count > 1 && argv['update-baseline']) throw optionError('update-baseline', true, 'applies when results are finalized: pass it to `rlhf-replay merge`, not to a shard');
    const suite = await loadSuite(pathOption(io, argv.suite, DEFAULT_SUITE));
    const baselines = await readBaselines(pathOption(io, argv.baseline, DEFAULT_BASELINE_DIR));
    const built = buildNightlyPlan(suite, baselines);
    const plan: NightlyPlan = { ...built, cases: withCostEstimates(built.cases, await caseCostsFor(io, argv['case-costs'], NIGHTLY_COMMAND)) };
    const costs = caseCostRecorder(io, argv['record-case-costs'], NIGHTLY_COMMAND);
    const progress = createProgress(io, plan.cases.length, `nightly${shard.count > 1 ? ` ${formatShard(shard)}` : ''}`);
    const execution = await executePlan<NightlyPlan['cases'][number], NightlyPlan['config'], NightlyCaseResult>(plan, {
      shard,
      jobs,
      kinds: NIGHTLY_KINDS_REF,
      registry: nightlyCaseKinds,
      baseDir: suite.dir,
      shardDir: pathOption(io, argv.out, DEFAULT_OUT),
      onProgress: (done, _total, id) => progress.update(done, id),
      onCaseTimed: costs.onCaseTimed,
    });
    progress.finish();
    await costs.write();
    if (execution.mode === 'shard') {
      printShardWritten(io, { command: 'nightly', caseNoun: 'case', shard, path: execution.path, file: execution.file, json: Boolean(argv.json) });
      return;
    }
    await finalizeAndPrint(context, argv as Record<string, unknown>, plan, execution.outcomes);
  },
});
