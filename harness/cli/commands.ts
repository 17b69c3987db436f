import type { CommandModule } from 'yargs';
import type { CliContext } from './context.js';

/** A command file exports one factory; it receives the context so handlers can print and set the exit code. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandFactory = (context: CliContext) => CommandModule<any, any>;

/** The registry of top-level commands, in the order `--help` lists them. One file per command. */
export const commandFactories: readonly CommandFactory[] = [];
