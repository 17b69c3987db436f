import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMING_RULE, judgeTiming } from '../../harness/nightly/timing-rule.js';

/** Exact one-sided Mann–Whitney p-value by enumerating every split of the pooled values (independent of harness/stats). */
function bruteForceP(current: number[], baseline: number[]): number {
  const pooled = [...current, ...baseline];
  const u = (xs: number[], ys: number[]) => xs.reduce((s, x) => s + ys.reduce((t, y) => t + (x > y ? 1 : x === y ? 0.5 : 0), 0), 0);
  const observed = u(current, baseline);
  let atLeast = 0;
  let total = 0;
  const n = current.length;
  const choose = (start: number, picked: number[]): void => {
    if (picked.length === n) {
      const xs = picked.map((i) => pooled[i]!);
      const ys = pooled.filter((_, i) => !picked.includes(i));
      total++;
      if (u(xs, ys) >= observed) atLeast++;
      return;
    }
    for (let i = start; i < pooled.length; i++) choose(i + 1, [...picked, i]);
  };
  choose(0, []);
  return atLeast / total;
}

describe('judgeTiming (Mann–Whitney U + minimum effect)', () => {
  const rule = DEFAULT_TIMING_RULE;
  const baseline = [10, 11, 12, 13, 14];

  it('calls a significant slowdown of at least the minimum effect a regression', () => {
    const current = [15, 16, 17, 18, 19];
    const j = judgeTiming(baseline, current, 'lower', rule);
    expect(j.verdict).toBe('regression');
    expect(j.pValue).toBeCloseTo(1 / 252, 12);
    expect(j.pValue).toBeCloseTo(bruteForceP(current, baseline), 12);
    expect(j.medianChangePct).toBeCloseTo((100 * 5) / 12, 10);
  });

  it('does not call a significant but small shift a regression', () => {
    const base = [10, 10.1, 10.2, 10.3, 10.4];
    const current = [10.5, 10.6, 10.7, 10.8, 10.9];
    const j = judgeTiming(base, current, 'lower', rule);
    expect(j.pValue).toBeCloseTo(1 / 252, 12);
    expect(j.medianChangePct).toBeCloseTo((100 * 0.5) / 10.2, 10);
    expect(j.verdict).toBe('unchanged');
  });

  it('does not call a large but insignificant shift a regression (one outlier)', () => {
    const current = [9.5, 10.5, 13.5, 14.5, 60];
    const j = judgeTiming(baseline, current, 'lower', { ...rule, minEffectPct: 10 });
    expect(j.medianChangePct).toBeCloseTo((100 * 1.5) / 12, 10);
    expect(j.pValue).toBeCloseTo(bruteForceP(current, baseline), 12);
    expect(j.pValue).toBeGreaterThan(0.01);
    expect(j.verdict).toBe('unchanged');
  });

  it('reads throughputs the other way round, with the effect as a slowdown factor', () => {
    const base = [100, 101, 102, 103, 104];
    expect(judgeTiming(base, [80, 81, 82, 83, 84], 'higher', rule).verdict).toBe('regression');
    expect(judgeTiming(base, [120, 121, 122, 123, 124], 'higher', rule).verdict).toBe('improvement');
    // 102 → 93.5 is 8.3 % lower but a slowdown of only 9.1 %: below the 10 % minimum.
    expect(judgeTiming(base, [91.5, 92.5, 93.5, 94.5, 95.5], 'higher', rule).verdict).toBe('unchanged');
    expect(judgeTiming([10, 11, 12, 13, 14], [5, 6, 7, 8, 9], 'lower', rule).verdict).toBe('improvement');
  });

  it('is inconclusive with too few samples', () => {
    const j = judgeTiming([1, 2, 3, 4], [10, 11, 12, 13, 14], 'lower', rule);
    expect(j.verdict).toBe('inconclusive');
    expect(j.baselineSamples).toBe(4);
  });
});
