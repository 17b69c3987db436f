import type { CommandFactory } from '../commands.js';
import { checkTrace, type TraceSummary } from '../../traces/read.js';
import { EXIT_BAD_INPUT } from '../../util/exit-codes.js';
import { formatProblem, isInputError, type InputProblem } from '../../util/input-error.js';
import { ProblemLimitReached } from '../../traces/problems.js';
import { inputPath, positiveIntegerOption } from '../options.js';
import { maxResponseOption, withFormatOption, withMaxResponseOption } from './options.js';

interface FileResult {
  readonly path: string;
  readonly valid: boolean;
  readonly summary?: TraceSummary;
  readonly problems: readonly InputProblem[];
  /** True when checking stopped at --max-errors: the file may hold more problems. */
  readonly stoppedEarly?: boolean;
}

function describeCounts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([name, count]) => `${count} ${count === 1 ? name.replace(/s$/, '') : name}`)
    .join(', ');
}

/** What else the file yields: a veRL log's synthesized workload, or why it yields none. */
function workloadText(summary: TraceSummary): string {
  const workload = summary.workload;
  if (!workload) return '';
  return 'unavailable' in workload ? `; no ${workload.what}: ${workload.unavailable}` : `; also ${workload.what}: ${describeCounts(workload.counts)}`;
}

export const validateCommand: CommandFactory = (context) => ({
  command: 'validate <paths...>',
  describe: 'Check traces of any format; one line per problem (file:line:column: field \'x\' value \'y\': what is wrong)',
  builder: (yargs) =>
    withMaxResponseOption(withFormatOption(yargs))
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'Trace files or directories (PolyTrace runs)' })
      .option('max-errors', { type: 'number', default: 50, describe: 'Stop after this many problems in total' })
      .option('json', { type: 'boolean', default: false, describe: 'Print one JSON document instead of text' })
      .example('$0 traces validate run/lengths.jsonl', 'check one trace')
      .example('$0 traces validate ../shared/research/data/polytrace/rllm/profile/packed_length_log/20260616_024512', 'check a PolyTrace run directory'),
  handler: async (argv) => {
    const { io } = context;
    const maxErrors = positiveIntegerOption('max-errors', argv['max-errors'], 'problems')!;
    const maxResponseTokens = maxResponseOption(argv['max-response']);
    const results: FileResult[] = [];
    let budget = maxErrors;
    for (const given of argv.paths as string[]) {
      if (budget <= 0) break;
      const path = inputPath(io, given);
      try {
        const summary = await checkTrace(path, {
          maxProblems: budget,
          ...(argv.format ? { format: argv.format as string } : {}),
          ...(maxResponseTokens !== undefined ? { maxResponseTokens } : {}),
        });
        results.push({ path: given, valid: true, summary, problems: [] });
      } catch (error) {
        if (!isInputError(error)) throw error;
        budget -= error.problems.length;
        results.push({ path: given, valid: false, problems: error.problems, ...(error instanceof ProblemLimitReached ? { stoppedEarly: true } : {}) });
      }
    }
    const unchecked = (argv.paths as string[]).slice(results.length);
    const valid = results.every((result) => result.valid) && unchecked.length === 0;
    if (argv.json) {
      io.stdout(
        `${JSON.stringify(
          {
            valid,
            files: results.map((r) => ({
              path: r.path,
              valid: r.valid,
              ...(r.summary ? { format: r.summary.format, kind: r.summary.kind, counts: r.summary.counts, notes: r.summary.notes, ...(r.summary.workload ? { workload: r.summary.workload } : {}) } : {}),
              problems: r.problems.map((p) => ({ ...p, text: formatProblem(p) })),
              ...(r.stoppedEarly ? { stoppedEarly: true } : {}),
            })),
            unchecked,
          },
          null,
          2,
        )}\n`,
      );
    } else {
      for (const result of results) {
        if (result.valid && result.summary) io.stdout(`${result.path}: ok (${result.summary.format}: ${describeCounts(result.summary.counts)}${workloadText(result.summary)})\n`);
        for (const problem of result.problems) io.stderr(`${formatProblem(problem)}\n`);
      }
      if (budget <= 0) io.stderr(`stopped after ${maxErrors} problems (--max-errors); ${unchecked.length > 0 ? `${unchecked.length} paths not checked; ` : ''}there may be more\n`);
    }
    if (!valid) context.exitCode = EXIT_BAD_INPUT;
  },
});
