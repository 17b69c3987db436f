import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interleavedOneFOneBMakespanS, oneFOneBMakespanS } from '../../../harness/schedulers/training/pipeline-time.js';

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

describe('interleaved 1F1B (virtual pipeline stages)', () => {
  it('shrinks the bubble to (p − 1)/(v·m) of the ideal m(f + b)', () => {
    const [p, m, f, b] = [4, 8, 1, 2];
    for (const v of [1, 2, 4]) {
      const t = interleavedOneFOneBMakespanS({ stages: p, microBatches: m, forwardS: f, backwardS: b, chunks: v });
      const ideal = m * (f + b);
      expect(t).toBeCloseTo(ideal + ((p - 1) * (f + b)) / v, 12);
      expect((t - ideal) / ideal).toBeCloseTo((p - 1) / (v * m), 12);
    }
  });

  it('is plain 1F1B with one chunk, and pays 2·p·(v − 1) more sends with v chunks', () => {
    const pipeline = { stages: 4, microBatches: 8, forwardS: 1, backwardS: 2, sendS: 0.1 };
    expect(interleavedOneFOneBMakespanS({ ...pipeline, chunks: 1 })).toBe(oneFOneBMakespanS(pipeline));
    const two = interleavedOneFOneBMakespanS({ ...pipeline, chunks: 2 });
    expect(two).toBeCloseTo(oneFOneBMakespanS(pipeline) - 3 * 3 * 0.5 + 2 * 4 * 1 * 0.1, 12);
  });
});
