import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { commandFactories } from './commands.js';
import { newContext } from './context.js';
import { restoreTypedNumbers } from './options.js';
import { processIo, type CliIo } from '../util/cli-io.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR, EXIT_OK } from '../util/exit-codes.js';
import { isInputError } from '../util/input-error.js';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

class UsageError extends Error {}

/**
 * Runs the CLI on `argv` and returns the exit code. It never calls process.exit, so tests run it
 * in-process: 0 success, 1 a failed check, 2 bad input or usage, 3 a harness bug.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const context = newContext(io);
  const parser = yargs([...argv])
    .scriptName('rlhf-replay')
    .usage('$0 <command> [options]\n\nTrace-replay benchmarking harness for RLHF training schedulers.')
    .strict()
    .demandCommand(1, 'Name a command; `rlhf-replay --help` lists them.')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(packageVersion)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw new UsageError(message);
    })
    .epilogue('Exit codes: 0 ok, 1 a check failed (e.g. a confirmed regression), 2 bad input or usage, 3 harness bug.')
    // Number flags yargs could not parse reach the handlers as typed, so their errors show them.
    .middleware((parsed) => restoreTypedNumbers(parsed, argv), true);
  for (const factory of commandFactories) parser.command(factory(context));

  try {
    let helpOrVersionText = '';
    await parser.parseAsync([...argv], {}, (_error, _args, output) => {
      helpOrVersionText = output;
    });
    if (helpOrVersionText) io.stdout(helpOrVersionText.endsWith('\n') ? helpOrVersionText : `${helpOrVersionText}\n`);
    return context.exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${await parser.getHelp()}\n\n${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (isInputError(error)) {
      io.stderr(`${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`rlhf-replay: internal error (a bug in the harness; please report it)\n${detail}\n`);
    return EXIT_INTERNAL_ERROR;
  }
}

export { EXIT_OK };
