import { EXIT_OK } from '../util/exit-codes.js';
import type { CliIo } from '../util/cli-io.js';

/** What a command handler gets: the outside world (`io`) and the exit code it reports. */
export interface CliContext {
  readonly io: CliIo;
  /** Set by a handler to report an outcome other than success (see util/exit-codes). */
  exitCode: number;
}

export function newContext(io: CliIo): CliContext {
  return { io, exitCode: EXIT_OK };
}
