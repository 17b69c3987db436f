import { describe, expect, it } from 'vitest';
import { ratioOfMeansCi } from '../../harness/stats/ratio-of-means-ci.js';
import { createRng } from '../../harness/util/rng.js';
import { plainMean, referenceBootstrapInterval } from './reference-bootstrap.js';

const top = [30.1, 29.8, 31.0, 30.4, 29.9];
const bottom = [20.2, 19.9, 21.1, 20.5, 20.0];

describe('ratioOfMeansCi', () => {
  it('estimates the ratio of means (not the mean of ratios)', () => {
    // 151.2 / 101.7
    expect(ratioOfMeansCi([1, 3], [1, 1]).estimate).toBe(2);
    expect(ratioOfMeansCi(top, bottom).estimate).toBeCloseTo(151.2 / 101.7, 14);
  });

  it('resamples the two groups independently, as a plain reimplementation does', () => {
    const ours = ratioOfMeansCi(top, bottom, { seed: 11, resamples: 1500 });
    const reference = referenceBootstrapInterval([top, bottom], ([a, b]) => plainMean(a!) / plainMean(b!), { seed: 11, resamples: 1500, confidence: 0.95 });
    expect(ours.ciLow).toBeCloseTo(reference.low, 12);
    expect(ours.ciHigh).toBeCloseTo(reference.high, 12);
  });

  it('resamples pairs together when paired, as a plain reimplementation does', () => {
    const ours = ratioOfMeansCi(top, bottom, { seed: 11, resamples: 1500, paired: true });
    const reference = referenceBootstrapInterval([top, bottom], ([a, b]) => plainMean(a!) / plainMean(b!), {
      seed: 11,
      resamples: 1500,
      confidence: 0.95,
      paired: true,
    });
    expect(ours.ciLow).toBeCloseTo(reference.low, 12);
    expect(ours.ciHigh).toBeCloseTo(reference.high, 12);
  });

  it('gives a narrower interval when pairing removes shared per-seed noise', () => {
    // Each seed has its own difficulty shared by both systems; the true ratio is exactly 1.5.
    const rng = createRng('paired-noise');
    const difficulty = Array.from({ length: 12 }, () => 1 + 0.3 * rng.normal());
    const slow = difficulty.map((d) => 30 * d);
    const fast = difficulty.map((d) => 20 * d);
    const independent = ratioOfMeansCi(slow, fast);
    const paired = ratioOfMeansCi(slow, fast, { paired: true });
    expect(paired.ciLow).toBeCloseTo(1.5, 12);
    expect(paired.ciHigh).toBeCloseTo(1.5, 12);
    expect(independent.ciHigh - independent.ciLow).toBeGreaterThan(0.1);
  });

  it('refuses paired samples of different lengths', () => {
    expect(() => ratioOfMeansCi([1, 2], [1], { paired: true })).toThrow(/same length/);
  });
});
