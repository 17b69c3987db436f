import { describe, expect, it } from 'vitest';
import { median } from '../../harness/stats/median.js';

describe('median', () => {
  it('is the middle value for odd n and the mean of the middle two for even n', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([9, 1, 5, 2])).toBe(3.5);
    expect(median([4])).toBe(4);
  });

  it('refuses an empty sample', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});
