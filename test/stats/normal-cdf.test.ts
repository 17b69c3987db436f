import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, normalSurvival } from '../../harness/stats/normal-cdf.js';

// Reference values from scipy.stats.norm (SciPy 1.17), to 13 significant digits or better.
const REFERENCE: readonly [number, number, number][] = [
  [0, 0.5, 0.5],
  [1, 0.8413447460685429, 0.15865525393145707],
  [1.96, 0.9750021048517795, 0.024997895148220435],
  [-1, 0.15865525393145707, 0.8413447460685429],
  [2.5, 0.9937903346742238, 0.006209665325776132],
  [3, 0.9986501019683699, 0.0013498980316300933],
  [5, 0.9999997133484281, 2.866515718791933e-7],
  [8, 0.9999999999999993, 6.22096057427174e-16],
  [10, 1, 7.61985302416047e-24],
];

describe('normal distribution', () => {
  it.each(REFERENCE)('Φ(%s) and 1 − Φ to 1e-13 relative', (z, cdf, survival) => {
    expect(Math.abs(normalCdf(z) - cdf) / cdf).toBeLessThan(1e-13);
    expect(Math.abs(normalSurvival(z) - survival) / survival).toBeLessThan(1e-13);
  });

  it('has the symmetry Φ(−z) = 1 − Φ(z) and erfc(0) = 1', () => {
    for (const z of [0.3, 1.1, 2.2, 4.4]) expect(normalCdf(-z)).toBe(normalSurvival(z));
    expect(erfc(0)).toBe(1);
    expect(erfc(Number.NaN)).toBeNaN();
  });
});
