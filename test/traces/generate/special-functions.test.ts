import { describe, expect, it } from 'vitest';
import {
  erf,
  erfc,
  logGamma,
  logNormalSf,
  normalCdf,
  normalQuantile,
  normalSf,
  regularizedGammaP,
} from '../../../harness/traces/generate/special-functions.js';

describe('normal functions', () => {
  it('match tabulated values of erf and erfc', () => {
    // Abramowitz & Stegun table 7.1 and the standard continued-fraction values.
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 15);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 15);
    expect(erf(2)).toBeCloseTo(0.9953222650189527, 15);
    expect(erfc(3) / 2.209049699858544e-5).toBeCloseTo(1, 12);
    expect(erfc(5) / 1.5374597944280349e-12).toBeCloseTo(1, 12);
    expect(erf(-1)).toBe(-erf(1));
  });

  it('keeps Φ and 1 − Φ precise in both tails and consistent with each other', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
    expect(normalSf(8) / 6.22096057427178e-16).toBeCloseTo(1, 10);
    for (const z of [-6, -2.5, -1, 0.3, 2.2, 4]) expect(normalCdf(z) + normalSf(z)).toBeCloseTo(1, 15);
    // Mills-ratio asymptote: log(1 − Φ(z)) ≈ −z²/2 − log(z√(2π)) − 1/z² for large z.
    const z = 40;
    expect(logNormalSf(z)).toBeCloseTo(-z * z / 2 - Math.log(z * Math.sqrt(2 * Math.PI)) - 1 / (z * z) + 2.5 / z ** 4, 6);
  });

  it('inverts Φ to near machine precision, including far tails given as upper-tail probabilities', () => {
    for (const p of [1e-300, 1e-12, 1e-4, 0.025, 0.3, 0.5, 0.8, 0.999]) {
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 11);
    }
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    const z = normalQuantile(1e-15, true);
    expect(normalSf(z) / 1e-15).toBeCloseTo(1, 11);
  });
});

describe('gamma functions', () => {
  it('gives ln Γ at known points', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 13);
  });

  it('gives the regularised incomplete gamma in its closed forms', () => {
    for (const x of [0.01, 0.5, 2, 7, 30]) {
      expect(regularizedGammaP(1, x)).toBeCloseTo(1 - Math.exp(-x), 14); // exponential CDF
      expect(regularizedGammaP(0.5, x)).toBeCloseTo(erf(Math.sqrt(x)), 13); // |normal| CDF
      expect(regularizedGammaP(2, x)).toBeCloseTo(1 - Math.exp(-x) * (1 + x), 13);
    }
    expect(regularizedGammaP(3, 0)).toBe(0);
  });
});
