import { basename, extname, resolve } from 'node:path';
import type { CommandFactory } from '../commands.js';
import { inputPath, userStatedRun, userStatedRunOptions } from '../options.js';
import { scenarioFromRun } from '../../fidelity/scenario-from-run.js';
import { parseScenarioObject } from '../../scenario/loader.js';
import { readVerlRun } from '../../traces/verl/read-run.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { InputError } from '../../util/input-error.js';

/**
 * `rlhf-replay scenario from-verl LOG_OR_SCRIPT`: a scenario from a veRL launch command — a whole
 * console log (its command and printed config) or the launch script alone — by the mapping the
 * fidelity check simulates recorded runs with. Settings the command does not state are filled
 * from veRL's defaults of the run's era and listed as assumptions in the file's provenance.
 */
export const scenarioFromVerlCommand: CommandFactory = (context) => ({
  command: 'from-verl <source>',
  describe: 'Write a scenario from a veRL launch command: a console log or the launch script (python3 -m verl.trainer.main_ppo …)',
  builder: (yargs) =>
    yargs
      .positional('source', { type: 'string', demandOption: true, describe: 'A veRL console log, or a shell script holding the launch command' })
      .options(userStatedRunOptions)
      .option('out', { type: 'string', describe: 'The scenario file to write (default: <source name>.scenario.json in the working directory); written atomically' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the scenario on stdout instead of a summary' })
      .example('$0 scenario from-verl run.log --gpu h100-sxm --out my-run.json', 'a scenario from your veRL log')
      .example('$0 scenario from-verl ../shared/research/data/rl-step-logs/logs/verl-qwen2-7b-gpg/qwen2-7b_math.log --gpu a100-80gb', 'a published run'),
  handler: async (argv) => {
    const { io } = context;
    const source = inputPath(io, argv.source as string);
    const stated = userStatedRun(argv);
    const run = await readVerlRun(source);
    const name = basename(source, extname(source)).replace(/[^A-Za-z0-9._-]+/g, '-');
    const made = scenarioFromRun(run, { name, ...stated });
    if (!made.ok) throw new InputError({ file: source, message: `cannot be expressed as a scenario: ${made.reason}${/model/.test(made.reason) ? '; name the model with --model <catalog id>' : ''}` });
    const out = resolve(io.cwd, (argv.out as string | undefined) ?? `${name}.scenario.json`);
    const text = `${JSON.stringify(made.scenario, null, 2)}\n`;
    // Validate as the loader will read it, so the written file always loads.
    parseScenarioObject(made.scenario, out);
    if (argv.json) {
      io.stdout(text);
      return;
    }
    await writeFileAtomic(out, text);
    io.stdout(`wrote ${out}\n`);
    const assumed = made.notes.length;
    io.stdout(assumed === 0 ? 'every field is stated by the run\n' : `${assumed} setting(s) not stated by the run, filled as listed in the file's provenance:\n`);
    for (const note of made.notes) io.stdout(`  ${note}\n`);
    io.stdout(`replay it on your length trace: rlhf-replay replay --scenario ${out} --trace <trace> --scheduler verl\n`);
  },
});
