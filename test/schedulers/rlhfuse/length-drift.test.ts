import { describe, expect, it } from 'vitest';
import { ksDistance } from '../../../harness/schedulers/rlhfuse/length-drift.js';

describe('ksDistance', () => {
  it('is the largest gap between the two empirical CDFs', () => {
    // a: CDF 1/4 at 1, 2/4 at 2, 3/4 at 3, 1 at 4; b: 0 below 3, 1/2 at 3, 1 at 5. Gap at 2: |2/4 − 0| = 0.5; at 3: |3/4 − 1/2|.
    expect(ksDistance([1, 2, 3, 4], [3, 5])).toBe(0.5);
    expect(ksDistance([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(ksDistance([1, 2], [10, 20])).toBe(1);
  });

  it('handles ties inside a sample', () => {
    // a: 1 at 7; b: 1/3 at 5, 1 at 7 → gap 1/3 at 5.
    expect(ksDistance([7, 7, 7], [5, 7, 7])).toBeCloseTo(1 / 3, 12);
  });
});
