import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountHistogram } from '../../harness/traces/histogram.js';

/** Quantile by sorting the raw samples (numpy's 'linear' method), written independently of the histogram. */
function sortedQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

function topShare(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => b - a);
  const k = Math.max(1, Math.ceil(fraction * values.length));
  const total = values.reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : sorted.slice(0, k).reduce((a, b) => a + b, 0) / total;
}

describe('CountHistogram', () => {
  it('gives hand-computed quantiles, mean, max and tail shares', () => {
    const h = new CountHistogram();
    for (const v of [1, 2, 3, 4, 100]) h.add(v);
    expect(h.mean).toBe(22);
    expect(h.max).toBe(100);
    expect(h.quantile(0.5)).toBe(3);
    expect(h.quantile(0.9)).toBeCloseTo(4 + 0.6 * 96, 12); // h = 3.6 → 4 + 0.6·(100 − 4)
    expect(h.topShare(0.01)).toBeCloseTo(100 / 110, 12); // ⌈0.05⌉ = 1 sample
    expect(h.topShare(0.5)).toBeCloseTo((100 + 4 + 3) / 110, 12); // ⌈2.5⌉ = 3 samples
  });

  it('is empty-safe', () => {
    const h = new CountHistogram();
    expect(h.count).toBe(0);
    expect(h.quantile(0.5)).toBeNaN();
    expect(h.topShare(0.1)).toBe(0);
  });

  it('matches sorting the raw samples, for any multiset', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 2000 }), { minLength: 1, maxLength: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, q) => {
        const h = new CountHistogram();
        for (const v of values) h.add(v);
        expect(h.quantile(q)).toBeCloseTo(sortedQuantile(values, q), 9);
        expect(h.topShare(0.01)).toBeCloseTo(topShare(values, 0.01), 12);
        expect(h.topShare(0.1)).toBeCloseTo(topShare(values, 0.1), 12);
        expect(h.max).toBe(Math.max(...values));
      }),
      { seed: 1, numRuns: 200 },
    );
  });
});
