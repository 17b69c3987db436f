import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../harness/util/cli-io.js';
import { main } from '../../harness/cli/main.js';
import { createRng } from '../../harness/util/rng.js';
import { parseWellFormedXml } from '../nightly/xml-well-formed.js';
import { runCli, scratchDir } from './run-cli.js';

const SUITE = fileURLToPath(new URL('../nightly/fixtures/small-suite.json', import.meta.url));
const FIGURES = 19;

describe('rlhf-replay nightly', async () => {
  const root = await scratchDir('cli-nightly');
  const flags = (dir: string, ...more: string[]) => ['nightly', '--suite', SUITE, '--baseline', join(dir, 'base'), '--history', join(dir, 'history.jsonl'), '--out', join(dir, 'out'), '--run-label', 'r1', '--today', '2025-03-01', ...more];
  const json = (out: string) => JSON.parse(out) as { ok: boolean; regressions: { id: string; diff: string }[]; unchanged: number; new: string[]; acknowledged: { id: string }[]; warnings: string[] };

  // One recorded baseline, shared (read-only) by the tests below through copies.
  const recorded = join(root, 'recorded');
  const first = await runCli(flags(recorded, '--json'));
  const update = await runCli(flags(recorded, '--update-baseline'));
  const golden = await readFile(join(recorded, 'base', 'golden.json'), 'utf8');
  const goldenIds = Object.keys((JSON.parse(golden) as { figures: Record<string, unknown> }).figures);

  async function withBaseline(name: string, edit: (figures: Record<string, { value: number; unit: string }>) => void = () => {}): Promise<string> {
    const dir = join(root, name);
    const doc = JSON.parse(golden) as { figures: Record<string, { value: number; unit: string }> };
    edit(doc.figures);
    await writeFile(join(await ensureDir(join(dir, 'base')), 'golden.json'), `${JSON.stringify(doc, null, 2)}\n`);
    return dir;
  }

  it('records figures as new, then writes the baseline only when asked, then compares clean', async () => {
    expect(first.code).toBe(0);
    expect(json(first.out).new).toHaveLength(FIGURES);
    expect(update.code).toBe(0);
    expect(goldenIds).toHaveLength(FIGURES);
    const again = await runCli(flags(recorded, '--json'));
    expect(again.code).toBe(0);
    expect(json(again.out)).toMatchObject({ ok: true, regressions: [], unchanged: FIGURES, new: [] });
    for (const file of ['nightly.json', 'summary.md', 'junit.xml', 'trend.html']) expect(existsSync(join(recorded, 'out', file))).toBe(true);
    expect(await readFile(join(recorded, 'out', 'nightly.json'), 'utf8')).toBe(again.out);
    expect(parseWellFormedXml(await readFile(join(recorded, 'out', 'junit.xml'), 'utf8')).attributes.tests).toBe(String(FIGURES));
    expect((await readFile(join(recorded, 'history.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(3);
  });

  it('fails with exit 1 and shows the diff when a stored figure no longer matches (seeded perturbation)', async () => {
    const rng = createRng('cli perturbation');
    const id = goldenIds[rng.int(goldenIds.length)]!;
    const dir = await withBaseline('perturbed', (figures) => {
      figures[id]!.value *= 1.05;
    });
    const run = await runCli(flags(dir, '--json'));
    expect(run.code).toBe(1);
    const result = json(run.out);
    expect(result.ok).toBe(false);
    expect(result.regressions.map((r) => r.id)).toEqual([id]);
    expect(result.regressions[0]!.diff).toMatch(/\(-4\.8 %; Δ .*; tolerance 1e-9 relative\)$/);
    expect(await readFile(join(dir, 'out', 'summary.md'), 'utf8')).toContain(`### Regressions`);
  });

  it('lets the acknowledge list silence exactly the listed figure until it expires, with a warning after', async () => {
    const [silenced, other] = [goldenIds[0]!, goldenIds[goldenIds.length - 1]!];
    const dir = await withBaseline('acknowledged', (figures) => {
      figures[silenced]!.value += 1;
      figures[other]!.value += 1;
    });
    await writeFile(join(dir, 'base', 'acknowledged.json'), JSON.stringify({ acknowledged: [{ id: silenced, reason: 'known: issue 42', expires: '2025-03-01' }] }));
    const live = await runCli(flags(dir, '--json'));
    expect(JSON.parse(live.out).errors).toEqual([]);
    expect(live.code).toBe(1);
    expect(json(live.out).regressions.map((r) => r.id)).toEqual([other]);
    expect(json(live.out).acknowledged.map((r) => r.id)).toEqual([silenced]);
    await writeFile(join(dir, 'base', 'acknowledged.json'), JSON.stringify({ acknowledged: [{ id: silenced, reason: 'known: issue 42', expires: '2025-03-01' }, { id: other, reason: 'also known', expires: '2025-03-01' }] }));
    expect((await runCli(flags(dir, '--json'))).code).toBe(0);
    const expired = await runCli(flags(dir, '--json', '--today', '2025-03-02'));
    expect(expired.code).toBe(1);
    expect(json(expired.out).regressions.map((r) => r.id).sort()).toEqual([silenced, other].sort());
    expect(expired.err).toContain(`warning: acknowledgement of '${silenced}' expired on 2025-03-01 and no longer silences it (known: issue 42); renew it or remove it`);
  });

  it('stops with exit 2 on a corrupted baseline, names the place, and leaves every file untouched', async () => {
    const dir = await withBaseline('corrupted');
    const path = join(dir, 'base', 'golden.json');
    const damaged = golden.replace(/"value": ([0-9.e-]+),\n/, '"value": $1,,\n');
    await writeFile(path, damaged);
    await writeFile(join(dir, 'history.jsonl'), '');
    for (const extra of [[], ['--update-baseline']]) {
      const run = await runCli(flags(dir, ...extra));
      expect(run.code).toBe(2);
      expect(run.err).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:\\d+: nightly baseline: not valid JSON`));
      expect(run.out).toBe('');
      expect(await readFile(path, 'utf8')).toBe(damaged);
      expect(await readFile(join(dir, 'history.jsonl'), 'utf8')).toBe('');
      expect(existsSync(join(dir, 'out'))).toBe(false);
    }
  });

  it('rejects bad shard, jobs and date options with exit 2', async () => {
    const dir = join(root, 'bad-flags');
    const cases: [string[], Record<string, string>, string][] = [
      [['--shard', '3/3'], {}, "--shard: field 'shard' value '3/3': shard index must satisfy 0 <= i < n (got i = 3, n = 3)"],
      [[], { JOB_COMPLETION_INDEX: '1' }, 'JOB_COMPLETION_INDEX: field \'JOB_COMPLETION_INDEX\' value \'1\': is set but the number of shards is not: pass --shards n or set RLHF_REPLAY_SHARDS'],
      [['--jobs', '0'], {}, "--jobs: field 'jobs' value '0': must be a positive whole number of worker threads"],
      [['--shard', '0/2', '--update-baseline'], {}, 'applies when results are finalized: pass it to `rlhf-replay merge`, not to a shard'],
      [['--today', '2025-13-01'], {}, "--today: field 'today' value '2025-13-01': must be a date YYYY-MM-DD"],
    ];
    for (const [extra, env, message] of cases) {
      const io = memoryIo({ env });
      const code = await main([...flags(dir), ...extra], io);
      expect(code).toBe(2);
      expect(io.err).toContain(message);
    }
  });

  it('has --help', async () => {
    const help = await runCli(['nightly', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--suite', '--baseline', '--history', '--json', '--shard', '--shards', '--jobs', '--update-baseline', '--out']) expect(help.out).toContain(flag);
  });
});

async function ensureDir(dir: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  return dir;
}
