import { describe, expect, it } from 'vitest';
import { bootstrapDifferenceTest } from '../../harness/stats/bootstrap-difference-test.js';
import { plainMedian, referenceBootstrapInterval } from './reference-bootstrap.js';

const baseline = [100, 101, 99, 100.5, 100.2, 99.8];
const slower = [106, 107, 105.5, 106.2, 105.8, 106.6];

describe('bootstrapDifferenceTest', () => {
  it('pins a clear 6% increase of the median, significant and above a 2% minimum effect', () => {
    const result = bootstrapDifferenceTest(baseline, slower, { minEffect: 0.02 });
    expect(result).toMatchObject({
      statistic: 'median',
      scale: 'relative',
      minEffect: 0.02,
      verdict: 'increase',
      ciLow: 0.0526838966202785,
      ciHigh: 0.06934673366834176,
    });
    // 106.1 / 100.1 − 1
    expect(result.estimate).toBeCloseTo(106.1 / 100.1 - 1, 14);
    // No resample crossed zero: p = 2·(0 + 1)/(2000 + 1).
    expect(result.pValue).toBeCloseTo(2 / 2001, 15);
  });

  it('matches a plain reimplementation of the interval and the p-value', () => {
    const noisy = [101, 99.5, 102, 100.1, 98.9, 100.8];
    const result = bootstrapDifferenceTest(baseline, noisy, { seed: 9, resamples: 1001 });
    const reference = referenceBootstrapInterval([baseline, noisy], ([a, b]) => plainMedian(b!) / plainMedian(a!) - 1, {
      seed: 9,
      resamples: 1001,
      confidence: 0.95,
    });
    expect(result.ciLow).toBeCloseTo(reference.low, 12);
    expect(result.ciHigh).toBeCloseTo(reference.high, 12);
    const atMost = reference.replicates.filter((d) => d <= 0).length;
    const atLeast = reference.replicates.filter((d) => d >= 0).length;
    expect(result.pValue).toBeCloseTo(Math.min(1, (2 * (Math.min(atMost, atLeast) + 1)) / 1002), 15);
  });

  it('reports a decrease, and uses the mean and absolute scale when asked', () => {
    const faster = slower.map((v) => v - 12);
    const result = bootstrapDifferenceTest(baseline, faster, { statistic: 'mean', scale: 'absolute', minEffect: 1 });
    expect(result.verdict).toBe('decrease');
    expect(result.estimate).toBeCloseTo(637.1 / 6 - 12 - 600.5 / 6, 12);
  });

  it('calls a significant change smaller than the minimum effect no change when the interval fits inside it', () => {
    const onePercentSlower = baseline.map((v) => v * 1.01);
    const result = bootstrapDifferenceTest(baseline, onePercentSlower, { minEffect: 0.05, paired: true });
    expect(result.ciLow).toBeGreaterThan(0);
    expect(result.verdict).toBe('no-change');
  });

  it('is inconclusive when the interval straddles zero and reaches past the minimum effect', () => {
    const wild = [80, 125, 95, 110, 70, 130];
    expect(bootstrapDifferenceTest(baseline, wild, { minEffect: 0.05 }).verdict).toBe('inconclusive');
  });

  it('rejects a negative minimum effect', () => {
    expect(() => bootstrapDifferenceTest(baseline, slower, { minEffect: -0.1 })).toThrow(RangeError);
  });
});
