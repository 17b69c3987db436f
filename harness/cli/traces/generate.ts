import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { CommandFactory } from '../commands.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { InputError } from '../../util/input-error.js';
import { projectRoot } from '../../util/shared-data.js';
import { DEFAULT_REFERENCE_ANSWER_MODEL } from '../../traces/generate/assumptions.js';
import { generateWorkload } from '../../traces/generate/generate-workload.js';
import { parseLengthModel } from '../../traces/generate/length-model.js';
import { workloadToJsonl } from '../../traces/generate/workload-jsonl.js';

interface GenerateArgs {
  params: string;
  seed: number;
  iterations: number;
  prompts?: number;
  samples?: number;
  epochs: number;
  'max-response'?: number;
  'shared-prefix'?: number;
  'reference-answers': boolean;
  'reference-correlation': number;
  description?: string;
  out: string;
  json: boolean;
}

/** How the parameter file is named in the output: relative to the project when inside it, so output bytes do not depend on where the project sits. */
function parametersName(path: string): string {
  const fromProject = relative(projectRoot, path);
  if (!fromProject.startsWith('..') && !isAbsolute(fromProject)) return fromProject.split(sep).join('/');
  return path.split(sep).pop() ?? path;
}

function check(condition: boolean, flag: string, value: unknown, message: string): void {
  if (!condition) throw new InputError({ file: '<command line>', field: `--${flag}`, value, message });
}

export const tracesGenerateCommand: CommandFactory = (context) => ({
  command: 'generate',
  describe: 'Generate a seeded synthetic response-length trace (canonical JSONL, marked synthetic) from a fitted length model',
  builder: (yargs) =>
    yargs
      .option('params', { type: 'string', demandOption: true, describe: 'a fitted length model (traces/fitted/*.json or `traces fit --out`)' })
      .option('seed', { type: 'number', default: 1, describe: 'random seed; the same seed gives the same bytes' })
      .option('iterations', { type: 'number', default: 1, describe: 'iterations per epoch' })
      .option('prompts', { type: 'number', describe: 'prompts (groups) per iteration (default: the source\'s)' })
      .option('samples', { type: 'number', describe: 'responses per prompt (default: the source\'s group size)' })
      .option('epochs', { type: 'number', default: 1, describe: 'epochs: every prompt recurs once per epoch, with calibrated length drift' })
      .option('max-response', { type: 'number', describe: 'length cap, tokens (default: the source\'s cap, if it had one)' })
      .option('shared-prefix', { type: 'number', describe: 'leading prompt tokens shared by all prompts (a named assumption)' })
      .option('reference-answers', { type: 'boolean', default: false, describe: 'attach reference-answer lengths (first-epoch fallback of length predictors; assumed model)' })
      .option('reference-correlation', { type: 'number', default: DEFAULT_REFERENCE_ANSWER_MODEL.latentCorrelation, describe: 'correlation of reference-answer length with prompt difficulty' })
      .option('description', { type: 'string', describe: 'description to record in the metadata' })
      .option('out', { type: 'string', demandOption: true, describe: 'output file (.jsonl), written atomically' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary on stdout' })
      .example('$0 traces generate --params traces/fitted/polytrace-dapo-32b.json --seed 1 --iterations 6 --out dapo.jsonl', 'six DAPO-like iterations'),
  handler: async (args) => {
    const argv = args as unknown as GenerateArgs;
    const positive = (flag: string, value: number | undefined): void =>
      check(value === undefined || (Number.isInteger(value) && value > 0), flag, value, 'must be a positive integer');
    positive('iterations', argv.iterations);
    positive('prompts', argv.prompts);
    positive('samples', argv.samples);
    positive('epochs', argv.epochs);
    positive('max-response', argv['max-response']);
    check(Number.isInteger(argv.seed) && argv.seed >= 0 && argv.seed < 2 ** 32, 'seed', argv.seed, 'must be an integer in [0, 2^32)');
    check(argv['shared-prefix'] === undefined || (Number.isInteger(argv['shared-prefix']) && argv['shared-prefix'] >= 0), 'shared-prefix', argv['shared-prefix'], 'must be a non-negative integer');
    check(argv['reference-correlation'] >= -1 && argv['reference-correlation'] <= 1, 'reference-correlation', argv['reference-correlation'], 'must be in [-1, 1]');
    check(argv.out.endsWith('.jsonl'), 'out', argv.out, 'must name a .jsonl file (the canonical response-length JSONL)');

    const paramsPath = resolve(context.io.cwd, argv.params);
    let text: string;
    try {
      text = await readFile(paramsPath, 'utf8');
    } catch (error) {
      throw new InputError({ file: argv.params, message: `cannot read the parameter file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` });
    }
    const model = parseLengthModel(text, argv.params);
    const workload = generateWorkload(model, {
      seed: argv.seed,
      iterations: argv.iterations,
      promptsPerIteration: argv.prompts ?? model.promptsPerIteration,
      samplesPerPrompt: argv.samples ?? model.samplesPerPrompt,
      epochs: argv.epochs,
      ...(argv['max-response'] !== undefined ? { maxResponseTokens: argv['max-response'] } : {}),
      ...(argv['shared-prefix'] !== undefined ? { sharedPrefixTokens: argv['shared-prefix'] } : {}),
      ...(argv['reference-answers'] ? { referenceAnswers: { ...DEFAULT_REFERENCE_ANSWER_MODEL, latentCorrelation: argv['reference-correlation'] } } : {}),
      ...(argv.description !== undefined ? { description: argv.description } : {}),
      parametersName: parametersName(paramsPath),
    });
    const text2 = workloadToJsonl(workload);
    const outPath = resolve(context.io.cwd, argv.out);
    await writeFileAtomic(outPath, text2);
    const groups = workload.iterations.reduce((sum, it) => sum + it.groups.length, 0);
    const samples = workload.iterations.reduce((sum, it) => sum + it.groups.reduce((s, g) => s + g.responseTokens.length, 0), 0);
    const truncated = workload.iterations.reduce((sum, it) => sum + it.groups.reduce((s, g) => s + g.truncated.filter(Boolean).length, 0), 0);
    const summary = { out: argv.out, iterations: workload.iterations.length, groups, samples, truncatedSamples: truncated, bytes: Buffer.byteLength(text2), seed: argv.seed, parameters: workload.meta.generator!.parameters };
    if (argv.json) context.io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    else context.io.stdout(`wrote ${argv.out}: ${summary.iterations} iterations, ${groups} groups, ${samples} samples (${truncated} at the cap), ${summary.bytes} bytes, seed ${argv.seed}\n`);
  },
});
