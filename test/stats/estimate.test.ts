import { describe, expect, it } from 'vitest';
import { averageOver, bestOf, comparisonCombinationEstimate, meanEstimate, rangeOver, ratioPctEstimate, reductionPctEstimate, speedupEstimate, type ConfigEstimate } from '../../harness/stats/estimate.js';
import { bootstrapPaired, bootstrapSettings } from '../../harness/stats/bootstrap.js';
import { quantileSorted } from '../../harness/stats/quantile.js';

const options = { ci: true, resamples: 400, seed: 'test' };

describe('estimates', () => {
  it('a speedup is the ratio of mean times over paired units', () => {
    const e = speedupEstimate([10, 20, 30], [5, 10, 20], { ...options, ci: false }, 'x');
    expect(e.mean).toBeCloseTo(60 / 35, 12);
    expect([e.ciLow, e.ciHigh, e.n]).toEqual([e.mean, e.mean, 3]);
  });

  it('a reduction is 100 × (1 − candidate / baseline) of the means', () => {
    expect(reductionPctEstimate([100, 300], [50, 50], { ...options, ci: false }, 'x').mean).toBeCloseTo(75, 12);
    expect(reductionPctEstimate([100], [120], { ...options, ci: false }, 'x').mean).toBeCloseTo(-20, 12);
  });

  it('its interval is the percentile interval of the paired bootstrap, resampling units together', () => {
    const base = [10, 12, 9, 14, 11];
    const cand = [8, 9, 8, 10, 9];
    const e = speedupEstimate(base, cand, options, 'label');
    const mean = (a: Float64Array) => a.reduce((s, x) => s + x, 0) / a.length;
    const replicates = bootstrapPaired([base, cand], ([b, c]) => mean(b!) / mean(c!), bootstrapSettings({ seed: 'test/label', resamples: 400 }));
    replicates.sort();
    expect(e.ciLow).toBe(quantileSorted(replicates, 0.025));
    expect(e.ciHigh).toBe(quantileSorted(replicates, 0.975));
    expect(e.ciLow).toBeLessThan(e.mean);
    expect(e.ciHigh).toBeGreaterThan(e.mean);
  });

  it('one unit gives a degenerate interval at the estimate', () => {
    const e = speedupEstimate([10], [4], options, 'one');
    expect([e.mean, e.ciLow, e.ciHigh]).toEqual([2.5, 2.5, 2.5]);
    expect(meanEstimate([3], options, 'm')).toMatchObject({ mean: 3, ciLow: 3, ciHigh: 3, n: 1 });
  });

  it('no units: NaN with n = 0 (a figure then reports it as missing)', () => {
    expect(ratioPctEstimate([], [], options, 'none').n).toBe(0);
    expect(Number.isNaN(meanEstimate([], options, 'none').mean)).toBe(true);
  });

  const configs: ConfigEstimate[] = [
    { config: 'a', label: 'A', mean: 1.2, ciLow: 1.1, ciHigh: 1.3, n: 2 },
    { config: 'b', label: 'B', mean: 1.5, ciLow: 1.45, ciHigh: 1.7, n: 2 },
    { config: 'c', label: 'C', mean: Number.NaN, ciLow: Number.NaN, ciHigh: Number.NaN, n: 0 },
  ];

  it('a range is the mean of the estimates with the envelope of their intervals', () => {
    expect(rangeOver(configs)).toEqual({ mean: 1.35, ciLow: 1.1, ciHigh: 1.7, n: 4 });
  });

  it('a best case is the configuration with the highest estimate, with its own interval', () => {
    expect(bestOf(configs)?.config).toBe('b');
    expect(bestOf([])).toBeUndefined();
  });

  it('an average over settings averages the settings’ replicates', () => {
    const a = { config: 'a', label: 'A', mean: 1, ciLow: 0, ciHigh: 0, n: 1, replicates: Float64Array.from([1, 2, 3, 4]) };
    const b = { config: 'b', label: 'B', mean: 3, ciLow: 0, ciHigh: 0, n: 1, replicates: Float64Array.from([3, 4, 5, 6]) };
    const avg = averageOver([a, b], { ci: true, resamples: 4, seed: 's' });
    expect(avg.mean).toBe(2);
    // averaged replicates 2, 3, 4, 5: type-7 quantiles at 2.5 % and 97.5 %.
    expect(avg.ciLow).toBeCloseTo(2.075, 12);
    expect(avg.ciHigh).toBeCloseTo(4.925, 12);
  });
});

describe('comparisonCombinationEstimate', () => {
  const options = { ci: true, resamples: 500, seed: 'combination' };
  const base = [10, 12, 9, 14, 11, 13];
  const a = [8, 9, 8, 10, 9, 9];
  const b = [9, 11, 8, 12, 10, 12];

  it('with one term of weight 1 is the speedup or the reduction itself, interval included (same resamples)', () => {
    const speedup = comparisonCombinationEstimate('speedup', base, [{ values: a, weight: 1 }], 0, options, 'x');
    const direct = speedupEstimate(base, a, options, 'x');
    expect([speedup.mean, speedup.ciLow, speedup.ciHigh]).toEqual([direct.mean, direct.ciLow, direct.ciHigh]);
    const reduction = comparisonCombinationEstimate('reductionPct', base, [{ values: a, weight: 1 }], 0, options, 'y');
    const directReduction = reductionPctEstimate(base, a, options, 'y');
    expect(reduction.mean).toBeCloseTo(directReduction.mean, 12);
    expect(reduction.ciLow).toBeCloseTo(directReduction.ciLow, 10);
    expect(reduction.ciHigh).toBeCloseTo(directReduction.ciHigh, 10);
  });

  it('adds weighted comparisons and the offset, by hand', () => {
    const m = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const e = comparisonCombinationEstimate('reductionPct', base, [{ values: a, weight: 1 }, { values: b, weight: -1 }], 5, { ...options, ci: false }, 'z');
    expect(e.mean).toBeCloseTo(5 + 100 * (1 - m(a) / m(base)) - 100 * (1 - m(b) / m(base)), 12);
    expect(e.n).toBe(6);
    const s = comparisonCombinationEstimate('speedup', base, [{ values: a, weight: 2 }], -1, { ...options, ci: false }, 'w');
    expect(s.mean).toBeCloseTo(2 * (m(base) / m(a)) - 1, 12);
  });

  it('gives nothing for mismatched or empty series', () => {
    expect(comparisonCombinationEstimate('speedup', [], [], 0, options, 'x').n).toBe(0);
    expect(comparisonCombinationEstimate('speedup', base, [{ values: a.slice(1), weight: 1 }], 0, options, 'x').n).toBe(0);
  });
});
