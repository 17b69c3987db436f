import type { CommandFactory } from './commands.js';
import { scenarioSubcommands } from './scenario/index.js';

/** `rlhf-replay scenario <command>`: the group; its subcommands are listed in harness/cli/scenario/index.ts. */
export const scenarioCommand: CommandFactory = (context) => ({
  command: 'scenario',
  describe: 'Describe your own cluster and run: write a starting scenario',
  builder: (yargs) => {
    for (const factory of scenarioSubcommands) yargs.command(factory(context));
    return yargs.demandCommand(1, 'Name a scenario command; `rlhf-replay scenario --help` lists them.');
  },
  handler: () => {},
});
