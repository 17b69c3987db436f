import { spawn } from 'node:child_process';
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../harness/util/shared-data.js';
import { KILL_AFTER_STEP_ENV, recoverOutputs, TRACE_STEPS_ENV, writeOutputs, type OutputTransactionOptions } from '../../harness/util/output-folder.js';
import { runCli, scratchDir } from './run-cli.js';
import { snapshot } from '../util/helpers/folder-snapshot.js';

/**
 * `reproduce`, `nightly` and `sweep` killed (SIGKILL) after chosen write steps of their output
 * transaction: once the next run has started (`recoverOutputs`, what every run does first), the
 * folder holds exactly the previous run's files or exactly the new run's, and no temporary file.
 * Each command runs once whole with its steps traced; the kills land on the last step before the
 * commit point, on the commit point itself, and half-way through the moves after it. (Every step
 * of the protocol is killed in test/util/output-folder.test.ts, on a small driver.)
 */
const BIN = join(projectRoot, 'bin', 'rlhf-replay.mjs');


/** The CLI in a child process whose working folder is `cwd` (so no output names the folder it ran in). */
function runChild(cwd: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stderr }));
  });
}

interface KillCase {
  /** A folder holding the previous run's outputs (and anything else the command reads). */
  readonly prepared: string;
  /** The command's arguments, run from a copy of `prepared`. */
  readonly args: readonly string[];
  /** The transaction's folders in `dir`, as the next run recovers them. */
  readonly outputs: (dir: string) => Omit<OutputTransactionOptions, 'command'>;
}

/** Runs the case whole (traced), then killed at three steps; returns the old and new states for further checks. */
async function killAtSteps(work: string, killCase: KillCase): Promise<{ oldFiles: Record<string, string>; newFiles: Record<string, string> }> {
  const old = await snapshot(killCase.prepared);
  expect(old.temporary).toEqual([]);
  const whole = join(work, 'whole');
  await cp(killCase.prepared, whole, { recursive: true });
  const traced = await runChild(whole, killCase.args, { [TRACE_STEPS_ENV]: '1' });
  expect(traced.signal).toBeNull();
  expect([0, 1], traced.stderr).toContain(traced.code);
  const labels = [...traced.stderr.matchAll(/^write step (\d+): (.*)$/gm)].map((match) => match[2]!);
  const commitStep = labels.findIndex((label) => label.includes('commit point')) + 1;
  const moves = labels.flatMap((label, index) => (label.startsWith('move ') ? [index + 1] : []));
  expect(commitStep).toBeGreaterThan(1);
  expect(moves.length).toBeGreaterThan(0);
  const fresh = await snapshot(whole);
  expect(fresh.temporary).toEqual([]);
  expect(fresh.files).not.toEqual(old.files);

  const steps = [commitStep - 1, commitStep, moves[Math.floor(moves.length / 2)]!];
  // The three runs are independent (each in its own copy): run together, checked one by one.
  const killedRuns = await Promise.all(
    steps.map(async (step) => {
      const dir = join(work, `killed-${step}`);
      await cp(killCase.prepared, dir, { recursive: true });
      return { dir, killed: await runChild(dir, killCase.args, { [KILL_AFTER_STEP_ENV]: String(step) }) };
    }),
  );
  for (const [index, step] of steps.entries()) {
    const { dir, killed } = killedRuns[index]!;
    expect(killed.signal, `step ${step}: ${labels[step - 1]}`).toBe('SIGKILL');
    if (step < commitStep) expect((await snapshot(dir)).files, `killed after '${labels[step - 1]}'`).toEqual(old.files);
    await recoverOutputs(killCase.outputs(dir));
    const after = await snapshot(dir);
    expect(after.temporary, `step ${step}`).toEqual([]);
    expect(after.files, `killed after '${labels[step - 1]}'`).toEqual(step < commitStep ? old.files : fresh.files);
  }
  return { oldFiles: old.files, newFiles: fresh.files };
}

describe('outputs of a killed run', () => {
  it('reproduce (through merge): the old report or the new one; stale tables of the old one gone, a user file kept', async () => {
    const work = await scratchDir('killed-reproduce');
    const prepared = join(work, 'prepared');
    const shards = join(prepared, 'shards');
    for (const shard of ['0/2', '1/2']) expect((await runCli(['reproduce', 'rlhfless', '--quick', '--jobs', '1', '--shard', shard, '--out', shards])).code).toBe(0);
    // The previous run: a report with an RLHFuse table (as a full run writes), and a user's file beside it.
    const out = join(prepared, 'out');
    await writeOutputs({ folder: out, command: 'reproduce' }, async (output) => {
      await output.write('index.html', '<p>previous report</p>\n');
      await output.write('summary.md', 'previous summary\n');
      await output.write('tables/figure-rlhfuse.speedup-vs-base.csv', 'previous table\n');
    });
    await mkdir(join(out, 'tables'), { recursive: true });
    await writeFile(join(out, 'tables', 'my-notes.txt'), 'mine\n');

    const { newFiles } = await killAtSteps(work, {
      prepared,
      args: ['merge', 'shards', '--out', 'out', '--paper-figures', join(projectRoot, 'baselines', 'paper')],
      outputs: (dir) => ({ folder: join(dir, 'out') }),
    });
    expect(Object.keys(newFiles)).not.toContain(join('out', 'tables', 'figure-rlhfuse.speedup-vs-base.csv'));
    expect(newFiles[join('out', 'tables', 'my-notes.txt')]).toBe('mine\n');
    expect(Object.keys(newFiles)).toEqual(expect.arrayContaining([join('out', 'index.html'), join('out', 'comparison.json'), join('out', 'tables', 'comparison.csv')]));
  });

  it('nightly: pages, history line and updated baselines all old or all new', async () => {
    const work = await scratchDir('killed-nightly');
    const prepared = join(work, 'prepared');
    const suite = join(projectRoot, 'test', 'nightly', 'fixtures', 'small-suite.json');
    const flags = (run: string) => ['nightly', '--suite', suite, '--baseline', 'base', '--history', 'history.jsonl', '--out', 'out', '--run-label', run, '--today', '2025-03-01'];
    await mkdir(prepared);
    expect((await runCli(flags('r1'), prepared)).code).toBe(0);
    const { oldFiles, newFiles } = await killAtSteps(work, {
      prepared,
      args: [...flags('r2'), '--update-baseline'],
      outputs: (dir) => ({ folder: join(dir, 'out'), files: [join(dir, 'history.jsonl'), join(dir, 'base', 'golden.json'), join(dir, 'base', 'timings.json')] }),
    });
    expect(oldFiles['history.jsonl']!.trim().split('\n')).toHaveLength(1);
    expect(newFiles['history.jsonl']!.trim().split('\n').map((line) => (JSON.parse(line) as { run: string }).run)).toEqual(['r1', 'r2']);
    expect(newFiles[join('base', 'golden.json')]).toBeDefined();
    expect(oldFiles[join('base', 'golden.json')]).toBeUndefined();
  });

  it('sweep: the old chart page or the new one', async () => {
    const work = await scratchDir('killed-sweep');
    const prepared = join(work, 'prepared');
    await mkdir(prepared);
    const lines = [JSON.stringify({ $meta: { format: 'rlhf-replay.lengths', version: 1, synthetic: true, notes: [] } })];
    for (let g = 0; g < 32; g++) lines.push(JSON.stringify({ iteration: 0, group_id: `g${g}`, prompt_id: `p${g}`, prompt_tokens: 100 + g, response_tokens: [40 + ((13 * g * g) % 2000)], truncated: [false] }));
    await writeFile(join(prepared, 'trace.jsonl'), `${lines.join('\n')}\n`);
    const scenario = join(projectRoot, 'harness', 'scenario', 'scenarios', 'rlhfuse-65b-33b.json');
    const args = (values: string) => ['sweep', '--scenario', scenario, '--trace', 'trace.jsonl', '--keep-trace-batches', '--scheduler', 'rlhfuse-inter', '--param', 'migrationThreshold', '--values', values, '--chart', 'chart.html'];
    expect((await runCli(args('0,0.5'), prepared)).code).toBe(0);
    await killAtSteps(work, { prepared, args: args('0,0.25,0.5'), outputs: (dir) => ({ files: [join(dir, 'chart.html')] }) });
  });
});
