import { describe, expect, it } from 'vitest';
import { dominates, paretoFrontier } from '../../../harness/whatif/async/frontier.js';

describe('dominates', () => {
  it('needs no worse on every objective and better on one', () => {
    expect(dominates([1, 1, 1], [2, 1, 1])).toBe(true);
    expect(dominates([1, 1, 1], [1, 1, 1])).toBe(false);
    expect(dominates([1, 2, 0], [2, 1, 0])).toBe(false);
    expect(dominates([2, 1, 0], [1, 2, 0])).toBe(false);
  });
  it('refuses candidates with different objective counts', () => {
    expect(() => dominates([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});

describe('paretoFrontier', () => {
  it('keeps the candidates no other beats on time, cost and staleness (worked by hand)', () => {
    // time (s), cost (USD), stale share:
    //   a 100 10 0.5   fastest
    //   b 120 12 0     freshest; dominated by nobody (a is staler)
    //   c 130 13 0.5   dominated by a (slower, dearer, as stale)
    //   d 110 11 0.2   between a and b on every axis: nobody beats it on all three
    //   e 120 12 0.1   dominated by b (same time and cost, staler)
    const frontier = paretoFrontier([
      { id: 'a', objectives: [100, 10, 0.5] },
      { id: 'b', objectives: [120, 12, 0] },
      { id: 'c', objectives: [130, 13, 0.5] },
      { id: 'd', objectives: [110, 11, 0.2] },
      { id: 'e', objectives: [120, 12, 0.1] },
    ]);
    expect(frontier).toEqual(['a', 'b', 'd']);
  });

  it('keeps every one of candidates tied on all objectives (neither dominates the other)', () => {
    expect(
      paretoFrontier([
        { id: 'x', objectives: [100, 10, 0.5] },
        { id: 'y', objectives: [100, 10, 0.5] },
        { id: 'z', objectives: [90, 9, 0.5] },
        { id: 'w', objectives: [200, 5, 1] },
        { id: 'v', objectives: [200, 5, 1] },
      ]),
    ).toEqual(['z', 'w', 'v']);
  });

  it('keeps a tie on one objective when the other decides (cost tied, time better)', () => {
    expect(
      paretoFrontier([
        { id: 'slow', objectives: [120, 10, 0] },
        { id: 'fast', objectives: [100, 10, 0] },
      ]),
    ).toEqual(['fast']);
  });

  it('is a single candidate, or nothing', () => {
    expect(paretoFrontier([{ id: 'only', objectives: [1, 2, 3] }])).toEqual(['only']);
    expect(paretoFrontier([])).toEqual([]);
  });

  it('refuses NaN, which would be on every frontier', () => {
    expect(() => paretoFrontier([{ id: 'bad', objectives: [Number.NaN, 1, 0] }])).toThrow(/bad/);
  });
});
