import type { CommandFactory } from '../commands.js';
import { convertCommand } from './convert.js';
import { tracesFitCommand } from './fit.js';
import { tracesGenerateCommand } from './generate.js';
import { tracesGpuCommand } from './gpu.js';
import { statsCommand } from './stats.js';
import { validateCommand } from './validate.js';

/**
 * The subcommands of `rlhf-replay traces`, one file each in this folder, in the order `--help`
 * lists them. To add one (e.g. `traces gpu`, `traces generate`, `traces fit`): write
 * harness/cli/traces/<name>.ts exporting a CommandFactory and add one line here.
 */
export const tracesSubcommands: readonly CommandFactory[] = [validateCommand, statsCommand, convertCommand, tracesFitCommand, tracesGenerateCommand, tracesGpuCommand];
