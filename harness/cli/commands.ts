import type { CommandModule } from 'yargs';
import type { CliContext } from './context.js';
import { tracesCommand } from './traces.js';
import { benchCommand } from './bench.js';
import { replayCommand } from './replay.js';
import { calibrateCommand } from './calibrate.js';
import { pipelineCommand } from './pipeline.js';
import { nightlyCommand } from './nightly.js';
import { mergeCommand } from './merge.js';
import { sweepCommand } from './sweep.js';
import { whatifCommand } from './whatif.js';
import { reproduceCommand } from './reproduce.js';
import { fidelityCommand } from './fidelity.js';
import { scenarioCommand } from './scenario.js';

/** A command file exports one factory; it receives the context so handlers can print and set the exit code. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandFactory = (context: CliContext) => CommandModule<any, any>;

/** The registry of top-level commands, in the order `--help` lists them (`reproduce`, the main job, first). One file per command. */
export const commandFactories: readonly CommandFactory[] = [reproduceCommand, tracesCommand, benchCommand, replayCommand, fidelityCommand, calibrateCommand, pipelineCommand, nightlyCommand, mergeCommand, whatifCommand, sweepCommand, scenarioCommand];
