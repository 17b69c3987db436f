import { describe, expect, it } from 'vitest';
import { mean } from '../../harness/stats/mean.js';

describe('mean', () => {
  it('is the arithmetic mean', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([-3, 3, 9])).toBe(3);
    expect(mean(Float64Array.of(7))).toBe(7);
  });

  it('keeps digits a naive sum loses (compensated summation)', () => {
    // Naively: 1e16 + 1 + 1 − 1e16 = 0 in doubles; the exact sum is 2.
    expect(mean([1e16, 1, 1, -1e16])).toBe(0.5);
    expect(mean(Array.from({ length: 10 }, () => 0.1))).toBe(0.1);
  });

  it('refuses an empty sample', () => {
    expect(() => mean([])).toThrow(RangeError);
  });
});
