import { describe, expect, it } from 'vitest';
import { fitLengthMixture } from '../../../harness/traces/generate/fit-mixture.js';
import { createRng } from '../../../harness/util/rng.js';

/** Draws whole-token lengths the way the generator records them: rounded, capped, floored at 1. */
function draw(n: number, seed: number, sample: (rng: ReturnType<typeof createRng>) => number, cap?: number) {
  const rng = createRng(seed);
  const values: number[] = [];
  let censoredCount = 0;
  for (let i = 0; i < n; i++) {
    const length = Math.max(1, Math.round(sample(rng)));
    if (cap !== undefined && length >= cap) censoredCount++;
    else values.push(length);
  }
  return { values, censoredCount, ...(cap !== undefined ? { capTokens: cap } : {}) };
}

describe('fitLengthMixture', () => {
  it('recovers a lognormal from data where the cap binds on a quarter of the samples, where the naive fit is biased', () => {
    const data = draw(20000, 11, (rng) => Math.exp(6 + 0.8 * rng.normal()), 680);
    const censoredShare = data.censoredCount / 20000;
    expect(censoredShare).toBeGreaterThan(0.2); // P(X ≥ 679.5) = Φ̄((ln 679.5 − 6)/0.8) ≈ 0.25
    const fit = fitLengthMixture(data, { family: 'lognormal' });
    const [c] = fit.mixture.components;
    expect(fit.converged).toBe(true);
    expect(c!.mu).toBeCloseTo(6, 1);
    expect(Math.abs(c!.mu - 6)).toBeLessThan(0.02);
    expect(Math.abs(c!.sigma - 0.8)).toBeLessThan(0.02);
    // Treating capped samples as exact lengths would shrink both.
    const naive = [...data.values, ...Array<number>(data.censoredCount).fill(680)].map(Math.log);
    const naiveMean = naive.reduce((a, b) => a + b, 0) / naive.length;
    const naiveSd = Math.sqrt(naive.reduce((a, y) => a + (y - naiveMean) ** 2, 0) / naive.length);
    expect(6 - naiveMean).toBeGreaterThan(0.05);
    expect(0.8 - naiveSd).toBeGreaterThan(0.1);
  });

  it('recovers a two-component mixture with a binding cap', () => {
    const data = draw(30000, 12, (rng) => (rng.next() < 0.6 ? Math.exp(5 + 0.4 * rng.normal()) : Math.exp(7 + 0.7 * rng.normal())), 2500);
    expect(data.censoredCount / 30000).toBeGreaterThan(0.04);
    const fit = fitLengthMixture(data, { family: 'mixture', components: 2 });
    const [low, high] = fit.mixture.components;
    expect(Math.abs(low!.weight - 0.6)).toBeLessThan(0.02);
    expect(Math.abs(low!.mu - 5)).toBeLessThan(0.02);
    expect(Math.abs(low!.sigma - 0.4)).toBeLessThan(0.02);
    expect(Math.abs(high!.mu - 7)).toBeLessThan(0.04);
    expect(Math.abs(high!.sigma - 0.7)).toBeLessThan(0.04);
    expect(fit.parameterCount).toBe(5);
    expect(fit.bic).toBeCloseTo(5 * Math.log(30000) - 2 * fit.logLikelihood, 6);
  });

  it('recovers a lognormal from a sample whose long lengths were dropped (upper truncation)', () => {
    const all = draw(30000, 13, (rng) => Math.exp(6 + 0.8 * rng.normal()));
    const kept = all.values.filter((x) => x <= 600);
    const fit = fitLengthMixture({ values: kept, censoredCount: 0, upperTruncationTokens: 600 }, { family: 'lognormal' });
    expect(Math.abs(fit.mixture.components[0]!.mu - 6)).toBeLessThan(0.04);
    expect(Math.abs(fit.mixture.components[0]!.sigma - 0.8)).toBeLessThan(0.04);
  });

  it('is deterministic and rejects impossible requests', () => {
    const data = draw(2000, 14, (rng) => Math.exp(4 + rng.normal()));
    expect(fitLengthMixture(data, { family: 'mixture', components: 2 })).toEqual(fitLengthMixture(data, { family: 'mixture', components: 2 }));
    expect(() => fitLengthMixture({ values: [], censoredCount: 0 }, { family: 'lognormal' })).toThrow(/no lengths/);
    expect(() => fitLengthMixture(data, { family: 'mixture', components: 0 })).toThrow(/positive integer/);
    expect(() => fitLengthMixture({ values: [5], censoredCount: 2 }, { family: 'lognormal' })).toThrow(/capTokens/);
  });
});
