import { describe, expect, it } from 'vitest';
import { runCases } from '../../harness/jobs/run.js';
import { createCasePool } from '../../harness/jobs/worker-pool.js';
import { FIXTURE_KINDS_REF, fixtureKinds } from './cases-fixture-kinds.js';

const draws = Array.from({ length: 9 }, (_, i) => ({ id: `draw-${(i * 7) % 9}`, kind: 'draw', scale: i + 1 }));

describe('runCases on a worker pool', () => {
  it('gives the same outcomes, sorted by id, with 1 or 2 jobs (workers load TypeScript through tsx)', async () => {
    const options = { seed: 3, baseDir: '/', kinds: FIXTURE_KINDS_REF, registry: fixtureKinds };
    const inProcess = await runCases(draws, { ...options, jobs: 1 });
    const pooled = await runCases(draws, { ...options, jobs: 2 });
    expect(pooled).toEqual(inProcess);
    expect(inProcess.map((o) => o.id)).toEqual([...draws.map((d) => d.id)].sort());
    expect(JSON.stringify(pooled)).toBe(JSON.stringify(inProcess));
  });

  it('runs parallel kinds in workers and exclusive kinds alone on the main thread, after the pool', async () => {
    const progress: string[] = [];
    const outcomes = await runCases(
      [
        { id: 'a-exclusive', kind: 'where' },
        { id: 'b-parallel', kind: 'where-parallel' },
        { id: 'c-parallel', kind: 'where-parallel' },
      ],
      { seed: 1, baseDir: '/', jobs: 2, kinds: FIXTURE_KINDS_REF, onProgress: (_done, _total, id) => progress.push(id) },
    );
    const byId = Object.fromEntries(outcomes.map((o) => [o.id, o.status === 'ok' ? (o.result as { mainThread: boolean }) : undefined]));
    expect(byId['a-exclusive']!.mainThread).toBe(true);
    expect(byId['b-parallel']!.mainThread).toBe(false);
    expect(byId['c-parallel']!.mainThread).toBe(false);
    // The exclusive case finished last although its id sorts first.
    expect(progress[progress.length - 1]).toBe('a-exclusive');
  });

  it('turns a worker that dies into an error outcome and keeps running the other cases', async () => {
    const pool = createCasePool({ kinds: FIXTURE_KINDS_REF, threads: 1, seed: 1, baseDir: '/' });
    try {
      const { outcome: crashed } = await pool.run({ id: 'c', kind: 'crash' });
      expect(crashed.status).toBe('error');
      if (crashed.status === 'error') {
        expect(crashed.error.inputError).toBe(false);
        expect(crashed.error.message).toBe('worker failed: uncaught in a timer');
      }
      const { outcome: after } = await pool.run({ id: 'draw-0', kind: 'draw', scale: 1 } as never);
      expect(after.status).toBe('ok');
    } finally {
      await pool.destroy();
    }
  });
});
