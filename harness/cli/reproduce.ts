import { availableParallelism } from 'node:os';
import type { Options } from 'yargs';
import type { CommandFactory } from './commands.js';
import type { CliContext } from './context.js';
import type { MergeTarget } from './merge.js';
import { caseCostRecorder, caseCostsFor, caseCostsOptions, inputPath, jobsOption, lastString, optionError, positiveIntegerOption, shardOption, shardOptions, shownPath } from './options.js';
import { withCostEstimates } from '../jobs/costs.js';
import { printShardWritten } from './shard-written.js';
import type { CaseOutcome } from '../jobs/cases.js';
import { executePlan } from '../jobs/execute.js';
import { formatShard } from '../jobs/sharding.js';
import { REPRODUCE_KINDS_REF, reproduceCaseKinds } from '../reproduce/cases/kinds.js';
import { finalizeReproduce, OUTPUT_FILES } from '../reproduce/finalize.js';
import { loadPaperFigures } from '../reproduce/paper-figures.js';
import { PAPERS, type PaperId } from '../reproduce/paper-id.js';
import { buildReproducePlan, REPRODUCE_COMMAND, type ReproduceCase, type ReproduceConfig, type ReproducePlan } from '../reproduce/plan.js';
import { createProgress } from '../util/progress.js';

export const DEFAULT_OUT = 'reports';
export const DEFAULT_PAPER_DIR = 'baselines/paper';

/** Options of the finalize step: `reproduce` and `merge` share them, so a merge writes what one run writes. */
export const reproduceFinalizeOptions: Readonly<Record<string, Options>> = {
  check: { type: 'boolean', default: false, describe: 'reproduce: exit 1 when a simulated figure is not within its tolerance (for CI gates)' },
  'paper-figures': { type: 'string', describe: `reproduce: folder of the published figures, <paper>.json [default: ${DEFAULT_PAPER_DIR}]` },
};

function papersOf(value: unknown): PaperId[] {
  const given = lastString(value) ?? 'all';
  if (given === 'all') return [...PAPERS];
  if ((PAPERS as readonly string[]).includes(given)) return [given as PaperId];
  throw optionError('paper', given, `must be ${PAPERS.join(', ')} or all`);
}

/** Finalize and print: shared by `reproduce` (unsharded) and `merge`. */
export async function finalizeAndPrint(context: CliContext, argv: Record<string, unknown>, plan: ReproducePlan, outcomes: readonly CaseOutcome[]): Promise<void> {
  const { io } = context;
  const outDir = inputPath(io, lastString(argv.out) || DEFAULT_OUT);
  const paperDir = inputPath(io, lastString(argv['paper-figures']) || DEFAULT_PAPER_DIR);
  const result = await finalizeReproduce(plan, outcomes, { outDir, paperDir, check: argv.check === true });
  if (argv.json) io.stdout(result.comparisonJson);
  else {
    io.stdout(result.summaryText);
    io.stdout(`\nreport: ${shownPath(io, `${outDir}/${OUTPUT_FILES.page}`)} · comparison: ${shownPath(io, `${outDir}/${OUTPUT_FILES.comparison}`)} · summary: ${shownPath(io, `${outDir}/${OUTPUT_FILES.summary}`)} · tables: ${shownPath(io, `${outDir}/${OUTPUT_FILES.tables}`)}/\n`);
  }
  for (const error of result.results.errors) io.stderr(`reproduce: case ${error.id} failed: ${error.message.split('\n')[0]}\n`);
  context.exitCode = result.exitCode;
}

export const reproduceMergeTarget: MergeTarget = {
  command: REPRODUCE_COMMAND,
  options: reproduceFinalizeOptions,
  finalize: (context, argv, merged) => finalizeAndPrint(context, argv, merged.plan as ReproducePlan, merged.outcomes),
};

export const reproduceCommand: CommandFactory = (context) => ({
  command: 'reproduce [paper]',
  describe: "Re-derive RLHFuse's and RLHFless's published figures from simulated mechanisms: comparison table, statistics, sensitivity and an offline HTML report",
  builder: (yargs) =>
    yargs
      .positional('paper', { type: 'string', choices: [...PAPERS, 'all'], default: 'all', describe: 'Which paper to reproduce' })
      .option('seeds', { type: 'number', default: 1, describe: 'Experiment seeds (each draws its own prompts and random streams); statistics pool seeds × measured iterations' })
      .option('out', { type: 'string', describe: `Folder for ${OUTPUT_FILES.page}, ${OUTPUT_FILES.comparison}, ${OUTPUT_FILES.summary} and ${OUTPUT_FILES.tables}/ (or this shard's file) [default: ${DEFAULT_OUT}]` })
      .option('json', { type: 'boolean', default: false, describe: 'Print comparison.json ({ figures, notSimulated }) on stdout instead of the table' })
      .option('quick', { type: 'boolean', default: false, describe: 'Smoke-test size: two configurations per study, one measured iteration, first plausible value only in the sensitivity analysis' })
      .options(reproduceFinalizeOptions)
      .options(shardOptions)
      .options(caseCostsOptions)
      .option('jobs', { type: 'number', describe: 'Worker threads for the cases [default: the available cores]' })
      .example('$0 reproduce', 'both papers with the defaults: reports/index.html, reports/comparison.json')
      .example('$0 reproduce rlhfless --seeds 5 --out out/', 'RLHFless only, 5 seeds')
      .example('$0 reproduce --shard 0/4 --out shards/', 'a quarter of the cases; then `rlhf-replay merge shards/ --out reports/`')
      .epilogue(
        'Traces: the real public recordings in ../shared/research/data when present (RLHF_REPLAY_SHARED moves it), else the generators fitted to them; the report says which per experiment. ' +
          'Exit 0 ok (misses are reported, not errors), 1 a figure missed with --check, 2 bad input, 3 a case crashed.',
      ),
  handler: async (argv) => {
    const { io } = context;
    const papers = papersOf(argv.paper);
    const seeds = positiveIntegerOption('seeds', argv.seeds, 'seeds') ?? 1;
    const jobs = jobsOption(argv.jobs, Math.max(1, availableParallelism()));
    const shard = shardOption(io, lastString(argv.shard), argv.shards);
    // The published figures are read by the finalize step's comparison; checked here too, so a bad file fails before minutes of simulation.
    if (shard.count === 1) await Promise.all(papers.map((paper) => loadPaperFigures(paper, inputPath(io, lastString(argv['paper-figures']) || DEFAULT_PAPER_DIR))));
    const built = await buildReproducePlan({ papers, seeds, quick: argv.quick === true }, io.env);
    const plan: ReproducePlan = { ...built, cases: withCostEstimates(built.cases, await caseCostsFor(io, argv['case-costs'], REPRODUCE_COMMAND)) };
    const costs = caseCostRecorder(io, argv['record-case-costs'], REPRODUCE_COMMAND);
    const progress = createProgress(io, plan.cases.length, `reproduce${shard.count > 1 ? ` ${formatShard(shard)}` : ''}`);
    const execution = await executePlan<ReproduceCase, ReproduceConfig, unknown>(plan, {
      shard,
      jobs,
      kinds: REPRODUCE_KINDS_REF,
      registry: reproduceCaseKinds,
      baseDir: io.cwd,
      shardDir: inputPath(io, lastString(argv.out) || DEFAULT_OUT),
      onProgress: (done, _total, id) => progress.update(done, id),
      onCaseTimed: costs.onCaseTimed,
    });
    progress.finish();
    await costs.write();
    if (execution.mode === 'shard') {
      printShardWritten(io, { command: 'reproduce', caseNoun: 'case', shard, path: execution.path, file: execution.file, json: Boolean(argv.json) });
      return;
    }
    await finalizeAndPrint(context, argv as Record<string, unknown>, plan, execution.outcomes);
  },
});
