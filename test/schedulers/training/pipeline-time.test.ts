import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneFOneBMakespanS } from '../../../harness/schedulers/training/pipeline-time.js';

describe('1F1B pipeline time', () => {
  it('takes exactly (m + p − 1)(f + b) with uniform stages and no communication', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 32 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 3 }),
        (stages, microBatches, f, ratio) => {
          // Integer costs keep the evaluator's sums exact.
          const b = ratio * f;
          expect(oneFOneBMakespanS({ stages, microBatches, forwardS: f, backwardS: b })).toBe((microBatches + stages - 1) * (f + b));
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });

  it('adds communication on the critical path when stages send to each other', () => {
    const without = oneFOneBMakespanS({ stages: 4, microBatches: 8, forwardS: 1, backwardS: 2 });
    const withSends = oneFOneBMakespanS({ stages: 4, microBatches: 8, forwardS: 1, backwardS: 2, sendS: 0.25 });
    expect(without).toBe(33);
    expect(withSends).toBeGreaterThan(without);
  });

  it('is zero without micro-batches', () => {
    expect(oneFOneBMakespanS({ stages: 4, microBatches: 0, forwardS: 1, backwardS: 2 })).toBe(0);
  });
});
