import type { CommandFactory } from '../commands.js';
import { scenarioFromVerlCommand } from './from-verl.js';
import { scenarioInitCommand } from './init.js';

/**
 * The subcommands of `rlhf-replay scenario`, one file each in this folder, in the order `--help`
 * lists them. To add one: write harness/cli/scenario/<name>.ts exporting a CommandFactory and add
 * one line here.
 */
export const scenarioSubcommands: readonly CommandFactory[] = [scenarioInitCommand, scenarioFromVerlCommand];
