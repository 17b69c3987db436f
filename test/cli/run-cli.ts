import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { memoryIo } from '../../harness/util/cli-io.js';
import { main } from '../../harness/cli/main.js';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in-process, as a user would from `cwd`. */
export async function runCli(argv: readonly string[], cwd?: string): Promise<CliRun> {
  const io = memoryIo(cwd ? { cwd } : {});
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** A fresh temporary folder, removed after the test file. */
export async function scratchDir(label = 'rlhf-replay-test'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `${label}-`));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
