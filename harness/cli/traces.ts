import type { CommandFactory } from './commands.js';
import { tracesSubcommands } from './traces/index.js';

/** `rlhf-replay traces <command>`: the group; its subcommands are listed in harness/cli/traces/index.ts. */
export const tracesCommand: CommandFactory = (context) => ({
  command: 'traces',
  describe: 'Check, summarise and convert traces: response lengths, GPU profiles, stage timings',
  builder: (yargs) => {
    for (const factory of tracesSubcommands) yargs.command(factory(context));
    return yargs.demandCommand(1, 'Name a traces command; `rlhf-replay traces --help` lists them.');
  },
  handler: () => {},
});
