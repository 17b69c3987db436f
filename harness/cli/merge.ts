import type { Options } from 'yargs';
import type { CommandFactory } from './commands.js';
import type { CliContext } from './context.js';
import { nightlyMergeTarget } from './nightly.js';
import { sweepMergeTarget } from './sweep.js';
import { reproduceMergeTarget } from './reproduce.js';
import { asyncWhatIfMergeTarget } from './whatif-async.js';
import { inputPath } from './options.js';
import { mergeShardFiles, type MergedRun } from '../jobs/merge.js';
import { readShardFiles } from '../jobs/shard-file.js';
import { InputError } from '../util/input-error.js';

/**
 * A command whose shard files `merge` can finalize. The target's finalize must be the very code
 * the command runs after an unsharded run, so a merge writes exactly what one run writes.
 * `options` are added to `merge`'s flags (the first target to name a flag defines it).
 */
export interface MergeTarget {
  readonly command: string;
  readonly options: Readonly<Record<string, Options>>;
  finalize(context: CliContext, argv: Record<string, unknown>, merged: MergedRun): Promise<void>;
}

/** Every command that writes shard files; `reproduce`, `sweep` and `whatif --async` add theirs here. */
export const mergeTargets: readonly MergeTarget[] = [nightlyMergeTarget, sweepMergeTarget, reproduceMergeTarget, asyncWhatIfMergeTarget];

function targetOptions(): Record<string, Options> {
  // merge's own --out and --json stay merge's.
  const options: Record<string, Options> = {};
  for (const target of mergeTargets) for (const [name, option] of Object.entries(target.options)) if (!(name in options) && name !== 'out' && name !== 'json') options[name] = option;
  return options;
}

export const mergeCommand: CommandFactory = (context) => ({
  command: 'merge <dir>',
  describe: 'Combine the shard files of a sharded run (--shard i/n) into exactly what one unsharded run writes',
  builder: (yargs) =>
    yargs
      .positional('dir', { type: 'string', demandOption: true, describe: 'Folder holding every <command>.shard-<i>-of-<n>.json' })
      .option('out', { type: 'string', describe: "Output folder [default: the command's own, e.g. reports/nightly]" })
      .option('json', { type: 'boolean', default: false, describe: 'Print the result as one JSON document (as the command does)' })
      .options(targetOptions())
      .example('$0 merge shards/', 'finalize a sharded nightly: report, history line, exit code')
      .epilogue('Every case must appear in exactly one shard file, and every file must come from the same plan (suite, baselines, options); otherwise the error names the missing or duplicate case ids, or the file that differs. Exit codes are those of the merged command.'),
  handler: async (argv) => {
    const { io } = context;
    const dir = inputPath(io, argv.dir as string);
    const merged = mergeShardFiles(await readShardFiles(dir));
    const target = mergeTargets.find((t) => t.command === merged.plan.command);
    if (!target) {
      throw new InputError({ file: dir, field: 'command', value: merged.plan.command, message: `shard files of a command merge cannot finalize; it can merge: ${mergeTargets.map((t) => t.command).join(', ')}` });
    }
    await target.finalize(context, argv as Record<string, unknown>, merged);
  },
});
