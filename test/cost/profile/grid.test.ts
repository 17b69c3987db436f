import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrossGrid, Grid1D, isotonicNonDecreasing } from '../../../harness/cost/profile/grid.js';

describe('Grid1D', () => {
  const grid = Grid1D.fromPoints([
    [1, 10],
    [3, 30],
    [3, 34], // a repeat: merged by the median (32)
    [3, 31],
    [7, 40],
  ]);

  it('interpolates linearly between measured points, merging repeats by their median', () => {
    expect(grid.at(1)).toBe(10);
    expect(grid.at(3)).toBe(31);
    expect(grid.at(2)).toBe(20.5);
    expect(grid.at(5)).toBe(35.5);
    expect(grid.at(7)).toBe(40);
  });

  it('says NaN outside the measured range, never extrapolates', () => {
    expect(grid.covers(0.5)).toBe(false);
    expect(grid.at(0.5)).toBeNaN();
    expect(grid.at(7.01)).toBeNaN();
  });

  it('makes measured times non-decreasing (pool-adjacent-violators, weighted by repeats)', () => {
    expect(isotonicNonDecreasing([1, 3, 2, 4], [1, 1, 1, 1])).toEqual([1, 2.5, 2.5, 4]);
    expect(isotonicNonDecreasing([1, 3, 2, 4], [1, 1, 3, 1])).toEqual([1, 2.25, 2.25, 4]);
    const dip = Grid1D.fromPoints([
      [1, 5],
      [2, 9],
      [4, 7],
    ]);
    expect([...dip.ys]).toEqual([5, 8, 8]);
  });

  it('sums over an arithmetic run of keys in closed form, equal to the loop', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 100, noNaN: true })), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 40, noNaN: true }),
        fc.integer({ min: 1, max: 300 }),
        (points, startShare, dx, n) => {
          const g = Grid1D.fromPoints(points);
          const x0 = g.lo + startShare * (g.hi - g.lo);
          let loop = 0;
          for (let k = 0; k < n; k++) loop += g.at(x0 + k * dx);
          const closed = g.sumOverSteps(x0, dx, n);
          if (Number.isNaN(loop)) expect(closed).toBeNaN();
          else expect(Math.abs(closed - loop)).toBeLessThanOrEqual(1e-9 * Math.max(1, loop));
        },
      ),
      { seed: 1, numRuns: 400 },
    );
  });
});

describe('CrossGrid', () => {
  it('combines a batch axis and a context axis separably, exact on both measured axes', () => {
    const batch = Grid1D.fromPoints([
      [1, 10],
      [8, 12],
      [64, 20],
    ]);
    const context = Grid1D.fromPoints([
      [100, 9],
      [500, 10],
      [4000, 14],
    ]);
    const grid = new CrossGrid(batch, context, 10); // both axes pass through (batch 1, context 500) = 10
    expect(grid.at(8, 500)).toBe(12);
    expect(grid.at(1, 4000)).toBe(14);
    expect(grid.at(8, 4000)).toBeCloseTo((12 * 14) / 10, 12);
    expect(grid.covers(100, 500)).toBe(false);
    expect(grid.sumOverSecond(8, 500, 1, 3)).toBeCloseTo((12 / 10) * (10 + (10 + 4 / 3500) + (10 + 8 / 3500)), 12);
  });
});
