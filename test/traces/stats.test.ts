import { describe, expect, it } from 'vitest';
import { createLengthStatsBuilder, lengthStats } from '../../harness/traces/stats.js';
import type { SampleGroup, Workload } from '../../harness/traces/types.js';

const group = (iteration: number, id: string, prompt: number, responses: number[], truncated = responses.map(() => false)): SampleGroup => ({
  iteration,
  groupId: id,
  promptId: id,
  promptTokens: prompt,
  responseTokens: responses,
  truncated,
});

const workload: Workload = {
  meta: { format: 'test', sources: [], synthetic: true, notes: [] },
  iterations: [
    { iteration: 0, groups: [group(0, 'a', 10, [1, 2, 3, 4], [false, false, false, true]), group(0, 'b', 30, [100])] },
    { iteration: 3, groups: [group(3, 'a', 20, [5, 5])] },
  ],
};

describe('lengthStats', () => {
  it('summarises prompts over groups and responses over samples, per iteration and in total', () => {
    const stats = lengthStats(workload);
    expect(stats.iterations.map((it) => it.iteration)).toEqual([0, 3]);
    const first = stats.iterations[0]!;
    expect(first).toMatchObject({ iteration: 0, groups: 2, samples: 5, truncatedFraction: 0.2 });
    expect(first.promptTokens).toEqual({ mean: 20, p50: 20, p90: 28, p99: 29.8, max: 30 });
    expect(first.responseTokens.mean).toBe(22);
    expect(first.responseTokens.p50).toBe(3);
    expect(first.tailShare1pct).toBeCloseTo(100 / 110, 12);
    expect(first.tailShare10pct).toBeCloseTo(100 / 110, 12);
    expect(stats.total).toMatchObject({ groups: 3, samples: 7, truncatedFraction: 1 / 7 });
    expect(stats.total.promptTokens.mean).toBe(20);
    expect(stats.total.responseTokens.max).toBe(100);
    expect('iteration' in stats.total).toBe(false);
  });

  it('refuses an iteration that comes back after another (readers never do that)', () => {
    const builder = createLengthStatsBuilder();
    builder.add(group(0, 'a', 1, [1]));
    builder.add(group(1, 'a', 1, [1]));
    expect(() => builder.add(group(0, 'b', 1, [1]))).toThrow(/arrived in two blocks/);
  });
});
