import { describe, expect, it } from 'vitest';
import { logNormal, mixtureQuantileOfNormalScore } from '../../../harness/traces/generate/distributions.js';
import {
  fitGroupCorrelation,
  groupLogLikelihood,
  logLengthVarianceSplit,
  type GroupLengths,
} from '../../../harness/traces/generate/group-correlation.js';
import { logNormalPdf, logNormalSf } from '../../../harness/traces/generate/special-functions.js';
import { createRng } from '../../../harness/util/rng.js';

const marginal = logNormal(7, 0.9);

function groups(rho: number, count: number, size: number, seed: number, cap?: number): GroupLengths[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const latent = rng.normal();
    const lengths = Array.from({ length: size }, () =>
      Math.max(1, Math.round(mixtureQuantileOfNormalScore(marginal, Math.sqrt(rho) * latent + Math.sqrt(1 - rho) * rng.normal()))),
    );
    return {
      responseTokens: lengths.map((x) => (cap !== undefined && x >= cap ? cap : x)),
      truncated: lengths.map((x) => cap !== undefined && x >= cap),
    };
  });
}

describe('groupLogLikelihood', () => {
  it('equals brute-force integration over the latent difficulty', () => {
    const group = { uncensored: [0.3, -0.4, 1.1], censoredCount: 2 };
    const rho = 0.45;
    const threshold = 1.2;
    const a = Math.sqrt(rho);
    const s = Math.sqrt(1 - rho);
    let total = 0;
    const h = 0.0005;
    for (let b = -12; b <= 12; b += h) {
      let log = logNormalPdf(b);
      for (const z of group.uncensored) log += logNormalPdf((z - a * b) / s) - Math.log(s);
      log += group.censoredCount * logNormalSf((threshold - a * b) / s);
      total += Math.exp(log) * h;
    }
    expect(groupLogLikelihood(group, rho, threshold)).toBeCloseTo(Math.log(total), 7);
  });
});

describe('fitGroupCorrelation', () => {
  it.each([0.1, 0.5, 0.85])('recovers rho = %s with the cap binding on about a fifth of samples', (rho) => {
    const cap = 2200; // P(X ≥ cap) = Φ̄((ln 2199.5 − 7)/0.9) ≈ 0.20
    const data = groups(rho, 800, 8, 21, cap);
    const capped = data.flatMap((g) => g.truncated).filter(Boolean).length / (800 * 8);
    expect(capped).toBeGreaterThan(0.15);
    const fit = fitGroupCorrelation(data, marginal, { capTokens: cap })!;
    expect(Math.abs(fit.rho - rho)).toBeLessThan(0.04);
  });

  it('finds no correlation between independent siblings and none to fit in groups of one', () => {
    expect(fitGroupCorrelation(groups(0, 600, 8, 22), marginal)!.rho).toBeLessThan(0.03);
    expect(fitGroupCorrelation(groups(0.5, 50, 1, 23), marginal)).toBeUndefined();
  });
});

describe('logLengthVarianceSplit', () => {
  it('splits ln-length variance between and within groups (hand-computed example)', () => {
    const e = Math.E;
    const split = logLengthVarianceSplit([
      { responseTokens: [e, e ** 3], truncated: [false, false] }, // logs 1, 3: mean 2
      { responseTokens: [e ** 4, e ** 6], truncated: [false, false] }, // logs 4, 6: mean 5
    ])!;
    expect(split.betweenGroupMeans).toBeCloseTo(4.5, 12); // (2 − 3.5)² + (5 − 3.5)² over 1
    expect(split.withinGroups).toBeCloseTo(2, 12); // (1 + 1 + 1 + 1) / (4 − 2)
    // MSB = 2·4.5 = 9, MSW = 2, ICC = (9 − 2)/(9 + 2) = 7/11.
    expect(split.anovaIntraclassCorrelation).toBeCloseTo(7 / 11, 12);
  });
});
