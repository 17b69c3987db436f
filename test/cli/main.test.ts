import { describe, expect, it } from 'vitest';
import { commandFactories } from '../../harness/cli/commands.js';
import { newContext } from '../../harness/cli/context.js';
import { memoryIo } from '../../harness/util/cli-io.js';
import { tracesSubcommands } from '../../harness/cli/traces/index.js';
import { runCli } from './run-cli.js';

/** The first word of a command's yargs spec (`'validate <paths...>'` → `'validate'`). */
const commandName = (factory: (typeof commandFactories)[number]): string => String([factory(newContext(memoryIo())).command].flat()[0]).split(' ')[0]!;

/** Every command path a user can type, from the registries, for the --help sweep. */
const COMMANDS: string[][] = [[], ...commandFactories.map((f) => [commandName(f)]), ...tracesSubcommands.map((f) => ['traces', commandName(f)])];

describe('rlhf-replay CLI', () => {
  it.each(COMMANDS.map((path) => [path.join(' ') || '(top level)', path]))('--help works for %s', async (_label, path) => {
    const run = await runCli([...path, '--help']);
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    expect(run.out).toContain('--help');
    if (path.length > 0) expect(run.out).toContain(`rlhf-replay ${path.join(' ')}`);
  });

  it('lists the traces and bench commands at the top level', async () => {
    const run = await runCli(['--help']);
    expect(run.out).toMatch(/rlhf-replay traces /);
    expect(run.out).toMatch(/rlhf-replay bench/);
  });

  it('lists every traces subcommand in `traces --help`', async () => {
    const run = await runCli(['traces', '--help']);
    for (const name of ['validate', 'stats', 'convert']) expect(run.out).toContain(`rlhf-replay traces ${name}`);
  });

  it('exits 2 with usage on an unknown command', async () => {
    const run = await runCli(['no-such-command']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/Unknown argument|Unknown command/i);
  });

  it('exits 2 on an unknown traces subcommand and on `traces` alone', async () => {
    expect((await runCli(['traces', 'frobnicate'])).code).toBe(2);
    const alone = await runCli(['traces']);
    expect(alone.code).toBe(2);
    expect(alone.err).toContain('Name a traces command');
  });

  it('exits 2 when a required argument is missing', async () => {
    const run = await runCli(['traces', 'convert', 'x.jsonl']);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/Missing required argument: to/);
  });

  it('exits 2 on an unknown option (strict mode)', async () => {
    expect((await runCli(['traces', 'stats', 'x.jsonl', '--no-such-flag'])).code).toBe(2);
  });
});
