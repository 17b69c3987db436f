import { describe, expect, it } from 'vitest';
import { ecdf } from '../../harness/stats/ecdf.js';

describe('ecdf', () => {
  it('gives F(v) = share of values ≤ v at each distinct value', () => {
    expect(ecdf([3, 1, 2, 2])).toEqual([
      { value: 1, fraction: 0.25 },
      { value: 2, fraction: 0.75 },
      { value: 3, fraction: 1 },
    ]);
  });

  it('keeps evenly spaced points, first and last included, when asked for fewer', () => {
    const points = ecdf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4);
    expect(points.map((p) => p.value)).toEqual([1, 4, 7, 10]);
    expect(points.map((p) => p.fraction)).toEqual([0.1, 0.4, 0.7, 1]);
  });

  it('is empty for no values and refuses NaN', () => {
    expect(ecdf([])).toEqual([]);
    expect(() => ecdf([1, Number.NaN])).toThrow(RangeError);
  });
});
