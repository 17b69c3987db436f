import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sumLinearOver, sumMaxOfTwoLines } from '../../harness/cost/piecewise-sum.js';

function loop(a1: number, b1: number, a2: number, b2: number, x0: number, dx: number, n: number): number {
  let total = 0;
  for (let k = 0; k < n; k++) {
    const x = x0 + k * dx;
    total += Math.max(a1 + b1 * x, a2 + b2 * x);
  }
  return total;
}

describe('closed-form sums over arithmetic sequences', () => {
  it('sums a line over an index range by hand: Σ_{k=2}^{4} (1 + 2·(10 + 3k)) = 3·21 + 6·9 = 117', () => {
    expect(sumLinearOver(1, 2, 10, 3, 2, 4)).toBe(117);
    expect(sumLinearOver(1, 2, 10, 3, 5, 4)).toBe(0);
  });

  it('switches line where the max switches: max(x, 10) over x = 0..19 is 10·11 + (11+…+19) = 245', () => {
    expect(sumMaxOfTwoLines(0, 1, 10, 0, 0, 1, 20)).toBe(245);
    expect(sumMaxOfTwoLines(10, 0, 0, 1, 0, 1, 20)).toBe(245);
  });

  it('equals the loop for any two lines and any sequence', () => {
    const coefficient = fc.double({ min: -10, max: 10, noNaN: true });
    fc.assert(
      fc.property(coefficient, coefficient, coefficient, coefficient, fc.double({ min: -1000, max: 1000, noNaN: true }), fc.double({ min: 0.001, max: 50, noNaN: true }), fc.integer({ min: 0, max: 400 }), (a1, b1, a2, b2, x0, dx, n) => {
        const expected = loop(a1, b1, a2, b2, x0, dx, n);
        const got = sumMaxOfTwoLines(a1, b1, a2, b2, x0, dx, n);
        expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)) + 1e-9 * n * 1e4);
      }),
      { seed: 1, numRuns: 500 },
    );
  });
});
