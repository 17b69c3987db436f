import { describe, expect, it } from 'vitest';
import { minimize } from '../../../harness/cost/calibration/nelder-mead.js';

describe('Nelder–Mead', () => {
  it('finds the minimum of the Rosenbrock valley from the textbook start (−1.2, 1)', () => {
    const result = minimize((x) => (1 - x[0]!) ** 2 + 100 * (x[1]! - x[0]! ** 2) ** 2, [-1.2, 1]);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(result.evaluations).toBeLessThan(4000);
  });

  it('minimises a 5-parameter quadratic with different scales, deterministically', () => {
    const target = [3, -2, 0.5, 10, -7];
    const f = (x: readonly number[]) => x.reduce((sum, xi, i) => sum + (i + 1) * (xi - target[i]!) ** 2, 0);
    const a = minimize(f, [0, 0, 0, 0, 0]);
    const b = minimize(f, [0, 0, 0, 0, 0]);
    expect(a).toEqual(b);
    a.x.forEach((xi, i) => expect(xi).toBeCloseTo(target[i]!, 4));
  });
});
