import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../util/shared-data.js';

/** What a child Node process did: its exit, its output (stderr capped at 64 KiB) and its wall seconds. */
export interface ChildRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * Runs `node <args>` from the project root in a fresh process, as a user would (start-up
 * included, its peak RSS its own), and times it. Benchmarks that time the CLI or a probe use it.
 */
export function runNode(args: readonly string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 1 << 16) stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr, seconds: Number(process.hrtime.bigint() - started) / 1e9 }));
  });
}

/** Runs the CLI (`bin/rlhf-replay.mjs <args>`) in a fresh process. */
export function runCliProcess(args: readonly string[]): Promise<ChildRun> {
  return runNode([join(projectRoot, 'bin', 'rlhf-replay.mjs'), ...args]);
}
