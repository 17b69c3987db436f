import { resolve } from 'node:path';
import type { CommandFactory } from '../commands.js';
import { writeJsonAtomic } from '../../util/atomic-write.js';
import { InputError } from '../../util/input-error.js';
import type { LengthFamily } from '../../traces/generate/distributions.js';
import { FIT_METHOD, fitLengthModel } from '../../traces/generate/fit-length-model.js';
import type { LengthModel } from '../../traces/generate/length-model.js';
import { portablePath, sourceProvenance } from '../../traces/generate/source-provenance.js';
import { readWorkload } from '../../traces/read.js';

interface FitArgs {
  path: string;
  family: LengthFamily;
  components: number;
  'prompt-family': LengthFamily;
  'prompt-components': number;
  format?: string;
  'max-response'?: number;
  'upper-bound'?: number;
  name?: string;
  description?: string;
  date?: string;
  out?: string;
  json: boolean;
}

function positiveInteger(flag: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    throw new InputError({ file: '<command line>', field: `--${flag}`, value, message: 'must be a positive integer' });
  }
}

/** Quotes an argument for a POSIX shell when it needs it. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The command line that reproduces a fit, with the source written as it sits beside the project. */
function commandLine(args: FitArgs, source: string): string {
  const parts = ['rlhf-replay traces fit', source.startsWith('research/') ? `../shared/${source}` : source, `--family ${args.family}`];
  if (args.family === 'mixture') parts.push(`--components ${args.components}`);
  parts.push(`--prompt-family ${args['prompt-family']}`);
  if (args['prompt-family'] === 'mixture') parts.push(`--prompt-components ${args['prompt-components']}`);
  if (args.format) parts.push(`--format ${args.format}`);
  if (args['max-response'] !== undefined) parts.push(`--max-response ${args['max-response']}`);
  if (args['upper-bound'] !== undefined) parts.push(`--upper-bound ${args['upper-bound']}`);
  if (args.name) parts.push(`--name ${shellQuote(args.name)}`);
  if (args.description) parts.push(`--description ${shellQuote(args.description)}`);
  return parts.join(' ');
}

function printSummary(model: LengthModel, print: (text: string) => void, out?: string): void {
  const r = model.goodnessOfFit.responseTokens;
  const p = model.goodnessOfFit.promptTokens;
  const row = (label: string, s: typeof r.data): string =>
    `  ${label.padEnd(6)} ${[s.mean.toFixed(1), s.p50, s.p90, s.p99, s.max, s.truncatedFraction.toFixed(4), s.tailShare1pct.toFixed(4), s.tailShare10pct.toFixed(4)].map(String).map((x) => x.padStart(11)).join('')}`;
  const header = `  ${''.padEnd(6)} ${['mean_tok', 'p50_tok', 'p90_tok', 'p99_tok', 'max_tok', 'trunc_frac', 'tail_1pct', 'tail_10pct'].map((x) => x.padStart(11)).join('')}`;
  print(`length model '${model.name}': ${model.provenance.rows.samples} samples in ${model.provenance.rows.groups} groups (${model.provenance.rows.censoredSamples} capped)\n`);
  print(`response tokens: ${model.responseTokens.family}, ${model.responseTokens.components.length} component(s), KS ${r.ksStatistic.toFixed(4)} (5% critical for a fully specified law: ${r.ksCritical5pctFullySpecified.toFixed(4)}), BIC ${model.fit.responseTokens.bic.toFixed(1)}${model.fit.responseTokens.converged ? '' : ' (EM stopped before converging)'}\n`);
  print(`${header}\n${row('data', r.data)}\n${row('model', r.model)}\n`);
  print(`prompt tokens: ${model.promptTokens.family}, ${model.promptTokens.components.length} component(s), KS ${p.ksStatistic.toFixed(4)}\n`);
  if (model.groupCorrelation) print(`sibling correlation rho (copula): ${model.groupCorrelation.rho.toFixed(4)}\n`);
  if (out) print(`wrote ${out}\n`);
}

export const tracesFitCommand: CommandFactory = (context) => ({
  command: 'fit <path>',
  describe: 'Fit the synthetic-trace generator (lognormal or lognormal-mixture lengths, GRPO sibling correlation) to a response-length trace',
  builder: (yargs) =>
    yargs
      .positional('path', { type: 'string', demandOption: true, describe: 'a response-length trace (any format `traces validate` knows)' })
      .option('family', { choices: ['lognormal', 'mixture'] as const, default: 'mixture' as LengthFamily, describe: 'response-length family' })
      .option('components', { type: 'number', default: 3, describe: 'mixture components (family mixture)' })
      .option('prompt-family', { choices: ['lognormal', 'mixture'] as const, default: 'lognormal' as LengthFamily, describe: 'prompt-length family' })
      .option('prompt-components', { type: 'number', default: 2, describe: 'prompt mixture components' })
      .option('format', { type: 'string', describe: 'force the input format instead of detecting it' })
      .option('max-response', { type: 'number', describe: 'the run\'s response cap, tokens (capped samples are fitted as censored)' })
      .option('upper-bound', { type: 'number', describe: 'the source dropped responses longer than this, tokens (a filter, fitted as truncation)' })
      .option('name', { type: 'string', describe: 'name of the parameter set (default: the input\'s file name)' })
      .option('description', { type: 'string', describe: 'one line saying what the source is' })
      .option('date', { type: 'string', describe: 'fit date to record, YYYY-MM-DD (default: today, UTC)' })
      .option('out', { type: 'string', describe: 'write the parameters (with goodness of fit and provenance) here, atomically' })
      .option('json', { type: 'boolean', default: false, describe: 'print the parameter set as JSON on stdout' })
      .example('$0 traces fit ../shared/research/data/polytrace/verl/profile/packed_length_log/20260614_023133 --components 3 --out dapo.json', 'fit a 3-component mixture to the DAPO recording'),
  handler: async (args) => {
    const argv = args as unknown as FitArgs;
    positiveInteger('components', argv.components);
    positiveInteger('prompt-components', argv['prompt-components']);
    positiveInteger('max-response', argv['max-response']);
    positiveInteger('upper-bound', argv['upper-bound']);
    if (argv.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(argv.date)) {
      throw new InputError({ file: '<command line>', field: '--date', value: argv.date, message: 'must be YYYY-MM-DD' });
    }
    const path = resolve(context.io.cwd, argv.path);
    const workload = await readWorkload(path, {
      ...(argv.format !== undefined ? { format: argv.format } : {}),
      ...(argv['max-response'] !== undefined ? { maxResponseTokens: argv['max-response'] } : {}),
    });
    const groups = workload.iterations.flatMap((it) => it.groups);
    const source = portablePath(path, context.io.env, context.io.cwd);
    const origin = sourceProvenance(path);
    const name = argv.name ?? source.split('/').filter(Boolean).pop() ?? 'length-model';
    const model = fitLengthModel(workload, {
      name,
      description: argv.description ?? workload.meta.description ?? `fitted to ${source}`,
      family: argv.family,
      components: argv.components,
      promptFamily: argv['prompt-family'],
      promptComponents: argv['prompt-components'],
      ...(argv['upper-bound'] !== undefined ? { upperTruncationTokens: argv['upper-bound'] } : {}),
      provenance: {
        sources: workload.meta.sources.map((s) => portablePath(s, context.io.env, context.io.cwd)),
        ...origin,
        readerNotes: workload.meta.notes,
        rows: {
          iterations: workload.iterations.length,
          groups: groups.length,
          samples: groups.reduce((sum, g) => sum + g.responseTokens.length, 0),
          censoredSamples: groups.reduce((sum, g) => sum + g.truncated.filter(Boolean).length, 0),
        },
        method: FIT_METHOD,
        command: commandLine(argv, source),
        date: argv.date ?? new Date().toISOString().slice(0, 10),
      },
    });
    if (argv.out) await writeJsonAtomic(resolve(context.io.cwd, argv.out), model);
    if (argv.json) context.io.stdout(`${JSON.stringify(model, null, 2)}\n`);
    else printSummary(model, context.io.stdout, argv.out);
  },
});
