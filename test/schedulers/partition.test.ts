import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunk, splitBalanced, splitEvenly } from '../../harness/schedulers/partition.js';

describe('partitioning samples', () => {
  it('splits evenly, earlier parts taking the remainder', () => {
    expect(splitEvenly([1, 2, 3, 4, 5], 3)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('balances token sums with equal counts', () => {
    const weight = [10, 1, 1, 10, 5, 5];
    // Heaviest first: 0, 3, 4, 5, 1, 2, dealt 0 1 1 0 0 1: sums 16 and 16.
    expect(splitBalanced([0, 1, 2, 3, 4, 5], weight, 2)).toEqual([[0, 1, 5], [2, 3, 4]]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 8 }), (weights, parts) => {
        const ids = weights.map((_, i) => i);
        const out = splitBalanced(ids, weights, parts);
        expect(out.flat().sort((a, b) => a - b)).toEqual(ids);
        const sizes = (split: number[][]) => split.map((p) => p.length).sort((a, b) => a - b);
        expect(sizes(out)).toEqual(sizes(splitEvenly(ids, parts)));
        // No part exceeds the mean by more than the heaviest item.
        const heaviest = (split: number[][]) => Math.max(...split.map((p) => p.reduce((s, i) => s + weights[i]!, 0)));
        expect(heaviest(out)).toBeLessThanOrEqual(ids.reduce((s, i) => s + weights[i]!, 0) / parts + Math.max(...weights));
      }),
      { seed: 4, numRuns: 100 },
    );
  });
});
