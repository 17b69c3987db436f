import { describe, expect, it } from 'vitest';
import {
  logNormal,
  mixtureCdf,
  mixtureMean,
  mixturePdf,
  mixtureQuantile,
  mixtureQuantileOfNormalScore,
  mixtureSf,
  mixtureVariance,
  type LogNormalMixture,
} from '../../../harness/traces/generate/distributions.js';
import { normalQuantile } from '../../../harness/traces/generate/special-functions.js';

const mixture: LogNormalMixture = {
  family: 'mixture',
  components: [
    { weight: 0.2, mu: 3, sigma: 0.8 },
    { weight: 0.5, mu: 6, sigma: 0.5 },
    { weight: 0.3, mu: 7.5, sigma: 0.4 },
  ],
};

/** ∫ g over (0, ∞) by the trapezoid rule on ln x (independent of the closed forms). */
function integrateOnLogScale(g: (x: number) => number, low = -10, high = 16, steps = 200000): number {
  const h = (high - low) / steps;
  let total = 0;
  for (let i = 0; i <= steps; i++) {
    const x = Math.exp(low + i * h);
    total += (i === 0 || i === steps ? 0.5 : 1) * g(x) * x;
  }
  return total * h;
}

describe('lognormal', () => {
  it('has the closed-form mean, variance and quantiles', () => {
    const law = logNormal(5, 0.7);
    expect(mixtureMean(law)).toBeCloseTo(Math.exp(5 + 0.49 / 2), 9);
    expect(mixtureVariance(law) / ((Math.exp(0.49) - 1) * Math.exp(10 + 0.49))).toBeCloseTo(1, 12);
    for (const p of [0.01, 0.5, 0.9, 0.99]) expect(mixtureQuantile(law, p)).toBeCloseTo(Math.exp(5 + 0.7 * normalQuantile(p)), 8);
    expect(mixtureCdf(law, Math.exp(5))).toBeCloseTo(0.5, 15);
  });
});

describe('mixture of lognormals', () => {
  it('has a density that integrates to one, and the mean and second moment of its components', () => {
    expect(integrateOnLogScale((x) => mixturePdf(mixture, x))).toBeCloseTo(1, 8);
    expect(integrateOnLogScale((x) => x * mixturePdf(mixture, x)) / mixtureMean(mixture)).toBeCloseTo(1, 8);
    const secondMoment = integrateOnLogScale((x) => x * x * mixturePdf(mixture, x));
    expect((mixtureVariance(mixture) + mixtureMean(mixture) ** 2) / secondMoment).toBeCloseTo(1, 7);
  });

  it('inverts its CDF, from either tail', () => {
    for (const p of [1e-6, 0.05, 0.2, 0.5, 0.77, 0.95]) expect(mixtureCdf(mixture, mixtureQuantile(mixture, p))).toBeCloseTo(p, 12);
    for (const q of [1e-3, 1e-9, 1e-14]) expect(mixtureSf(mixture, mixtureQuantile(mixture, q, true)) / q).toBeCloseTo(1, 9);
  });

  it('maps normal scores to lengths inside the requested bounds, following the truncated law', () => {
    const bounds = { lower: 100, upper: 1000 };
    const lowCdf = mixtureCdf(mixture, 100);
    const highCdf = mixtureCdf(mixture, 1000);
    for (const z of [-8, -1, 0, 1.3, 8]) {
      const x = mixtureQuantileOfNormalScore(mixture, z, bounds);
      expect(x).toBeGreaterThanOrEqual(100 - 1e-9);
      expect(x).toBeLessThanOrEqual(1000 + 1e-9);
    }
    const median = mixtureQuantileOfNormalScore(mixture, 0, bounds);
    expect(mixtureCdf(mixture, median)).toBeCloseTo((lowCdf + highCdf) / 2, 12);
    // Unbounded: score z ↦ F⁻¹(Φ(z)); the upper tail keeps precision.
    expect(mixtureSf(mixture, mixtureQuantileOfNormalScore(mixture, 7)) / 1.279812543885835e-12).toBeCloseTo(1, 8);
  });
});
