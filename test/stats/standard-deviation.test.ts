import { describe, expect, it } from 'vitest';
import { standardDeviation } from '../../harness/stats/standard-deviation.js';

describe('standardDeviation', () => {
  it('divides by n − 1 (sample standard deviation)', () => {
    // Mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32; 32/7.
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(standardDeviation([1, 3])).toBeCloseTo(Math.SQRT2, 14);
    expect(standardDeviation([3, 3, 3])).toBe(0);
  });

  it('is NaN for one value and an error for none', () => {
    expect(standardDeviation([4])).toBeNaN();
    expect(() => standardDeviation([])).toThrow(RangeError);
  });
});
