import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../harness/util/cli-io.js';
import { main } from '../../harness/cli/main.js';
import { runCli, scratchDir, type CliRun } from './run-cli.js';

/**
 * `rlhf-replay reproduce` end to end on real simulations (RLHFless, quick size, to keep the suite
 * fast): the table it prints, the report files, and that a sharded run merged (one shard on two
 * worker threads) writes byte-for-byte what one unsharded run writes.
 */
let dir: string;
let whole: CliRun;

async function filesOf(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const visit = async (relative: string) => {
    for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
      const path = join(relative, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (!entry.name.includes('.shard-')) out.set(path, await readFile(join(root, path), 'utf8'));
    }
  };
  await visit('');
  return out;
}

beforeAll(async () => {
  dir = await scratchDir('reproduce-cli');
  // On a terminal, as a user runs it: progress goes to stderr.
  const io = memoryIo({ tty: true });
  const code = await main(['reproduce', 'rlhfless', '--quick', '--jobs', '1', '--out', join(dir, 'whole')], io);
  whole = { code, out: io.out, err: io.err };
});

describe('rlhf-replay reproduce', () => {
  it('prints the comparison table and writes the report, with progress on the terminal', async () => {
    expect(whole.code).toBe(0);
    expect(whole.err).toMatch(/\r\x1b\[2Kreproduce \d+\/\d+ \(\d+%\)/);
    expect(whole.out).not.toContain('\r');
    expect(whole.out).toContain('Figure');
    expect(whole.out).toContain('rlhfless.testbed-best-speedup');
    expect(whole.out).toMatch(/System figures: \d+ of 9 within tolerance/);
    expect(whole.out).not.toContain('Schedule-search figures');
    expect(whole.out).toContain('report: ');
    const files = await filesOf(join(dir, 'whole'));
    expect([...files.keys()]).toEqual(expect.arrayContaining(['index.html', 'comparison.json', 'summary.md', 'tables/metrics.csv', 'tables/sensitivity.json']));
    const doc = JSON.parse(files.get('comparison.json')!);
    expect(doc.figures.map((f: { id: string }) => f.id)).toEqual([
      'rlhfless.testbed-best-speedup',
      'rlhfless.testbed-best-cost-reduction',
      'rlhfless.sim-average-speedup',
      'rlhfless.sim-average-cost-reduction',
      'rlhfless.weak-predictor-speedup',
      'rlhfless.weak-predictor-cost-reduction',
      'rlhfless.assignment-vs-rlhfuse-cost',
      'rlhfless.kv-recompute-share',
      'rlhfless.dedup-prefill-saving',
    ]);
    for (const figure of doc.figures) {
      expect(Number.isFinite(figure.reproduced.mean), figure.id).toBe(true);
      expect(figure.reproduced.ciLow).toBeLessThanOrEqual(figure.reproduced.ciHigh);
    }
  });

  it('a sharded run, merged, writes exactly what one run writes (and --json prints comparison.json)', async () => {
    const shards = join(dir, 'shards');
    const first = await runCli(['reproduce', 'rlhfless', '--quick', '--shard', '0/2', '--jobs', '2', '--out', shards]);
    const second = await runCli(['reproduce', 'rlhfless', '--quick', '--shard', '1/2', '--jobs', '1', '--out', shards]);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.out).toContain('reproduce shard 0/2');
    const merged = await runCli(['merge', shards, '--out', join(dir, 'merged'), '--json']);
    expect(merged.code).toBe(0);
    const a = await filesOf(join(dir, 'whole'));
    const b = await filesOf(join(dir, 'merged'));
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, text] of a) expect(b.get(path), path).toBe(text);
    expect(merged.out).toBe(a.get('comparison.json'));
  });

  it('refuses bad input with exit 2 before running anything', async () => {
    expect((await runCli(['reproduce', 'nonsense', '--out', join(dir, 'bad')])).code).toBe(2);
    const seeds = await runCli(['reproduce', '--seeds', '0', '--out', join(dir, 'bad')]);
    expect(seeds.code).toBe(2);
    expect(seeds.err).toContain('seeds');
    const figures = await runCli(['reproduce', 'rlhfuse', '--paper-figures', join(dir, 'missing'), '--out', join(dir, 'bad')]);
    expect(figures.code).toBe(2);
    expect(figures.err).toContain('paper figures: file not found');
    const help = await runCli(['reproduce', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--seeds');
    expect(help.out).toContain('--shard');
  });
});
