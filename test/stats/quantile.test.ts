import { describe, expect, it } from 'vitest';
import { quantile, quantileSorted } from '../../harness/stats/quantile.js';

describe('quantile (type 7)', () => {
  // Hand-computed: sorted [1, 2, 4, 7, 10], h = 4p.
  const values = [7, 1, 10, 4, 2];

  it('interpolates linearly between order statistics at h = (n − 1)p', () => {
    expect(quantile(values, 0)).toBe(1);
    expect(quantile(values, 0.25)).toBe(2); // h = 1
    expect(quantile(values, 0.3)).toBeCloseTo(2.4, 14); // h = 1.2: 2 + 0.2·(4 − 2)
    expect(quantile(values, 0.5)).toBe(4);
    expect(quantile(values, 0.9)).toBeCloseTo(8.8, 14); // h = 3.6: 7 + 0.6·3
    expect(quantile(values, 1)).toBe(10);
  });

  it('agrees with R/NumPy defaults on a known case', () => {
    // numpy.quantile([1, 2, 3, 4], [0.1, 0.75]) = [1.3, 3.25]
    expect(quantile([4, 3, 2, 1], 0.1)).toBeCloseTo(1.3, 14);
    expect(quantile([4, 3, 2, 1], 0.75)).toBe(3.25);
  });

  it('returns the value itself for equal neighbours and for one value', () => {
    expect(quantile([0.1, 0.1, 0.1], 0.37)).toBe(0.1);
    expect(quantile([5], 0.9)).toBe(5);
  });

  it('does not reorder its input; quantileSorted reads sorted input as is', () => {
    const input = [3, 1, 2];
    quantile(input, 0.5);
    expect(input).toEqual([3, 1, 2]);
    expect(quantileSorted([1, 2, 3], 0.5)).toBe(2);
  });

  it('rejects p outside [0, 1] and empty samples', () => {
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => quantile([1], Number.NaN)).toThrow(RangeError);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });
});
