import { describe, expect, it } from 'vitest';
import {
  calibrateDrift,
  driftGroupLengths,
  driftWithinProbability,
  RLHFLESS_LENGTH_STABILITY,
  sampleDriftTokens,
  sampleGamma,
} from '../../../harness/traces/generate/epoch-drift.js';
import { erf } from '../../../harness/traces/generate/special-functions.js';
import { createRng } from '../../../harness/util/rng.js';

describe('calibrateDrift', () => {
  it('solves the drift law that meets both RLHFless stability figures exactly', () => {
    const drift = calibrateDrift();
    expect(driftWithinProbability(drift, 50)).toBeCloseTo(0.7, 10);
    expect(driftWithinProbability(drift, 100)).toBeCloseTo(0.9, 10);
    // Laplace alone would give 91%: the fitted shape is a little heavier-tailed than Laplace.
    expect(drift.shape).toBeGreaterThan(0.8);
    expect(drift.shape).toBeLessThan(1);
    expect(RLHFLESS_LENGTH_STABILITY).toEqual([
      { tokens: 50, fraction: 0.7 },
      { tokens: 100, fraction: 0.9 },
    ]);
  });

  it('meets other targets too, e.g. a normal law (shape 2) when the targets are a normal\'s', () => {
    const scale = 60;
    const target = (t: number) => ({ tokens: t, fraction: erf((t + 0.5) / scale) });
    const drift = calibrateDrift([target(40), target(90)]);
    expect(drift.shape).toBeCloseTo(2, 6);
    expect(drift.scaleTokens).toBeCloseTo(scale, 5);
    expect(() => calibrateDrift([{ tokens: 50, fraction: 0.9 }, { tokens: 100, fraction: 0.7 }])).toThrow(/grow/);
  });
});

describe('sampling the drift', () => {
  it('draws whole-token shifts whose |shift| distribution meets the targets (200,000 draws, ±0.005)', () => {
    const drift = calibrateDrift();
    const rng = createRng(31);
    const n = 200000;
    let within50 = 0;
    let within100 = 0;
    let sum = 0;
    let fractional = 0;
    for (let i = 0; i < n; i++) {
      const d = sampleDriftTokens(drift, rng);
      if (!Number.isInteger(d)) fractional++;
      sum += d;
      if (Math.abs(d) <= 50) within50++;
      if (Math.abs(d) <= 100) within100++;
    }
    expect(Math.abs(within50 / n - 0.7)).toBeLessThan(0.005);
    expect(Math.abs(within100 / n - 0.9)).toBeLessThan(0.005);
    expect(Math.abs(sum / n)).toBeLessThan(1); // centred on zero
    expect(fractional).toBe(0);
  });

  it('samples Gamma with the right mean and variance, for shapes below and above 1', () => {
    for (const shape of [0.6, 1.12, 3]) {
      const rng = createRng(32);
      const n = 100000;
      const xs = Array.from({ length: n }, () => sampleGamma(shape, rng));
      const mean = xs.reduce((a, b) => a + b, 0) / n;
      const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
      expect(Math.abs(mean - shape) / shape).toBeLessThan(0.02);
      expect(Math.abs(variance - shape) / shape).toBeLessThan(0.04);
    }
  });

  it('shifts a whole group together and never below one token', () => {
    expect(driftGroupLengths([10, 200, 3000], -40)).toEqual([1, 160, 2960]);
  });
});
