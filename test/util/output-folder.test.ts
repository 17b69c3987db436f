import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { KILL_AFTER_STEP_ENV, MANIFEST_FILE, openOutputTransaction, readManifest, recoverOutputs, writeOutputFile, writeOutputs } from '../../harness/util/output-folder.js';
import { OUTPUT_SETS, writeSet, type OutputSetName } from './helpers/output-sets.js';
import { snapshot } from './helpers/folder-snapshot.js';

const DRIVER = fileURLToPath(new URL('./helpers/output-set-driver.ts', import.meta.url));

const scratch: string[] = [];
afterAll(() => Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true }))));
async function scratchDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rr-output-folder-'));
  scratch.push(dir);
  return dir;
}


/** What the folder of the driver's test holds after a complete run: the set, its manifest, the user's file and the history. */
function expectedState(which: OutputSetName, history: string): Record<string, string> {
  const set = OUTPUT_SETS[which];
  return {
    ...Object.fromEntries(Object.entries(set).map(([path, text]) => [join('out', path), text])),
    [join('out', MANIFEST_FILE)]: `${JSON.stringify({ format: 'rlhf-replay-output-set', version: 1, command: 'driver', files: Object.keys(set).sort() }, null, 2)}\n`,
    [join('out', 'tables', 'user-notes.txt')]: 'mine\n',
    'history.jsonl': history,
  };
}

function runDriver(args: readonly string[], killAfter: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', DRIVER, ...args], { env: { ...process.env, [KILL_AFTER_STEP_ENV]: String(killAfter) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stderr }));
  });
}

describe('output folder transactions', () => {
  it('replaces the set: new files in, stale owned files out, files it did not write kept', async () => {
    const dir = await scratchDir();
    const folder = join(dir, 'out');
    await mkdir(join(folder, 'tables'), { recursive: true });
    await writeFile(join(folder, 'tables', 'user-notes.txt'), 'mine\n');
    await writeSet(folder, join(dir, 'history.jsonl'), 'old');
    expect((await snapshot(dir)).files).toEqual(expectedState('old', 'old\n'));
    await writeSet(folder, join(dir, 'history.jsonl'), 'new');
    const after = await snapshot(dir);
    // charts/ held only a stale file, so it went with it; tables/ keeps the user's file.
    expect(after).toEqual({ files: expectedState('new', 'old\nnew\n'), temporary: [] });
    expect(await readdir(folder)).toEqual([MANIFEST_FILE, 'index.html', 'summary.md', 'tables']);
  });

  it('a folder written before manifests existed: files at the new paths are replaced, others kept', async () => {
    const dir = await scratchDir();
    await writeFile(join(dir, 'summary.md'), 'legacy summary\n');
    await writeFile(join(dir, 'figure-old.csv'), 'legacy table\n');
    await writeOutputs({ folder: dir, command: 'test' }, async (transaction) => {
      await transaction.write('summary.md', 'fresh\n');
    });
    expect((await snapshot(dir)).files).toEqual({ 'summary.md': 'fresh\n', 'figure-old.csv': 'legacy table\n', [MANIFEST_FILE]: expect.any(String) });
    expect(await readManifest(dir)).toEqual({ command: 'test', files: ['summary.md'] });
  });

  it('a manifest entry that leaves the folder is never deleted', async () => {
    const dir = await scratchDir();
    const folder = join(dir, 'out');
    await mkdir(folder);
    await writeFile(join(dir, 'precious.txt'), 'keep\n');
    await writeFile(join(folder, MANIFEST_FILE), JSON.stringify({ format: 'rlhf-replay-output-set', version: 1, command: 'x', files: ['../precious.txt', '/etc/hostname', 'ok.txt'] }));
    await writeFile(join(folder, 'ok.txt'), 'stale\n');
    await writeOutputs({ folder, command: 'test' }, (transaction) => transaction.write('new.txt', 'n\n'));
    expect((await snapshot(dir)).files).toEqual({ 'precious.txt': 'keep\n', [join('out', 'new.txt')]: 'n\n', [join('out', MANIFEST_FILE)]: expect.any(String) });
  });

  it('a build that throws leaves the folder as it was, staging removed', async () => {
    const dir = await scratchDir();
    await writeOutputs({ folder: dir, command: 'test' }, (transaction) => transaction.write('a.txt', 'old\n'));
    const before = await snapshot(dir);
    await expect(
      writeOutputs({ folder: dir, command: 'test' }, async (transaction) => {
        await transaction.write('a.txt', 'new\n');
        await transaction.write('b.txt', 'new\n');
        throw new Error('bad input found half-way');
      }),
    ).rejects.toThrow('bad input found half-way');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('a folder where a file must go fails before anything moves', async () => {
    const dir = await scratchDir();
    await writeOutputs({ folder: dir, command: 'test' }, (transaction) => transaction.write('a.txt', 'old\n'));
    await mkdir(join(dir, 'b.txt'));
    const before = await snapshot(dir);
    await expect(
      writeOutputs({ folder: dir, command: 'test' }, async (transaction) => {
        await transaction.write('a.txt', 'new\n');
        await transaction.write('b.txt', 'new\n');
      }),
    ).rejects.toThrow(/a folder is in the way/);
    expect(await snapshot(dir)).toEqual(before);
    await expect(writeOutputs({ folder: join(dir, 'a.txt'), command: 'test' }, async () => undefined)).rejects.toThrow(/a file is in the way/);
  });

  it("cleans a dead process's temporary files, keeps a live one's", async () => {
    const dir = await scratchDir();
    const deadPid = 2 ** 22 + 17; // above Linux's pid_max default: no such process
    await writeFile(join(dir, `.summary.md.tmp-${deadPid}-0123abcd`), '');
    await mkdir(join(dir, `.rlhf-replay-${deadPid}-0123abcd.staging`));
    await writeFile(join(dir, `.rlhf-replay-${deadPid}-0123abcd.staging`, 'half.txt'), 'half');
    await writeFile(join(dir, `.summary.md.tmp-${process.ppid}-0123abcd`), 'being written');
    await writeFile(join(dir, '.notes.tmp-draft'), 'not our name');
    await recoverOutputs({ folder: dir });
    expect((await readdir(dir)).sort()).toEqual(['.notes.tmp-draft', `.summary.md.tmp-${process.ppid}-0123abcd`]);
  });

  it('a single file replaced on its own (a chart page) cleans stray temporary files beside it', async () => {
    const dir = await scratchDir();
    const page = join(dir, 'chart.html');
    await writeFile(join(dir, `.chart.html.tmp-${2 ** 22 + 3}-89abcdef`), '');
    await writeOutputFile(page, '<html>1</html>\n', 'test');
    await writeOutputFile(page, '<html>2</html>\n', 'test');
    expect(await snapshot(dir)).toEqual({ files: { 'chart.html': '<html>2</html>\n' }, temporary: [] });
  });

  it('rejects paths that leave the folder or use its reserved names', async () => {
    const dir = await scratchDir();
    const transaction = await openOutputTransaction({ folder: dir, command: 'test' });
    for (const bad of ['../x', '/abs', 'a/../../x', MANIFEST_FILE, '.rlhf-replay-1-00000000.staging/x']) await expect(transaction.write(bad, 'x')).rejects.toThrow(/not a path inside/);
    await transaction.abandon();
  });

  it('killed after each write step: the folder and its history hold exactly the old or the new set once the next run starts, and no temporary file remains', async () => {
    const dir = await scratchDir();
    const oldState = expectedState('old', 'old\n');
    const newState = expectedState('new', 'old\nnew\n');
    const outcomes: string[] = [];
    for (let step = 1; ; step++) {
      const run = join(dir, `k${step}`);
      const folder = join(run, 'out');
      const history = join(run, 'history.jsonl');
      await mkdir(join(folder, 'tables'), { recursive: true });
      await writeFile(join(folder, 'tables', 'user-notes.txt'), 'mine\n');
      await writeSet(folder, history, 'old');
      const child = await runDriver([folder, history, 'new'], step);
      if (child.signal === null) {
        expect(child.code, child.stderr).toBe(0);
        expect(await snapshot(run)).toEqual({ files: newState, temporary: [] });
        expect(step).toBeGreaterThan(15);
        break;
      }
      expect(child.signal).toBe('SIGKILL');
      const killed = await snapshot(run);
      const committed = killed.temporary.some((name) => name.endsWith('.commit.json'));
      // Without a journal, the kill came before the commit point (nothing visible changed) or after its last step.
      if (!committed) expect([oldState, newState]).toContainEqual(killed.files);
      await recoverOutputs({ folder, files: [history] });
      const recovered = await snapshot(run);
      expect(recovered.temporary).toEqual([]);
      expect(recovered.files).toEqual(committed ? newState : killed.files);
      const outcome = recovered.files[join('out', 'summary.md')] === 'new summary\n' ? 'new' : 'old';
      outcomes.push(outcome);
      // The next real run starts from there and ends with no temporary file either.
      await writeSet(folder, history, 'new');
      expect(await snapshot(run)).toEqual({ files: expectedState('new', `${outcome === 'new' ? 'old\nnew\n' : 'old\n'}new\n`), temporary: [] });
    }
    // Both outcomes occurred, in order: old up to the commit point, new after it.
    expect(outcomes.join(' ')).toMatch(/^(old )+new( new)*$/);
    expect(outcomes).toContain('old');
    expect(outcomes).toContain('new');
  });

  it('a recovery killed half-way is finished by the next one', async () => {
    const dir = await scratchDir();
    const folder = join(dir, 'out');
    const history = join(dir, 'history.jsonl');
    await mkdir(join(folder, 'tables'), { recursive: true });
    await writeFile(join(folder, 'tables', 'user-notes.txt'), 'mine\n');
    await writeSet(folder, history, 'old');
    // Killed right after the commit point (the driver's step 10 of 21)…
    expect((await runDriver([folder, history, 'new'], 10)).signal).toBe('SIGKILL');
    expect((await snapshot(dir)).temporary.filter((name) => name.endsWith('.commit.json'))).toHaveLength(1);
    // …then the next run killed during its recovery, after two of the journal's moves…
    expect((await runDriver([folder, history, 'new'], 2)).signal).toBe('SIGKILL');
    expect((await snapshot(dir)).temporary.filter((name) => name.endsWith('.commit.json'))).toHaveLength(1);
    // …and the one after that finishes it.
    await recoverOutputs({ folder, files: [history] });
    expect((await snapshot(dir)).temporary).toEqual([]);
    expect((await snapshot(dir)).files).toEqual(expectedState('new', 'old\nnew\n'));
  });
});
