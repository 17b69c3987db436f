import { describe, expect, it } from 'vitest';
import { logNormal } from '../../../harness/traces/generate/distributions.js';
import {
  ksStatistic,
  modelLengthSummary,
  recordedCdf,
  spearmanCorrelation,
  summariseLengths,
  tailShare,
} from '../../../harness/traces/generate/goodness-of-fit.js';
import { normalCdf, normalQuantile, normalSf } from '../../../harness/traces/generate/special-functions.js';

describe('summariseLengths', () => {
  it('reports type-7 quantiles, the truncated fraction and tail shares of a small sample', () => {
    const lengths = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000];
    const s = summariseLengths(lengths, [false, false, false, false, false, false, false, false, false, true]);
    expect(s.mean).toBe(145);
    expect(s.p50).toBe(55);
    expect(s.p90).toBeCloseTo(181, 10); // 90 + 0.1·(1000 − 90)
    expect(s.max).toBe(1000);
    expect(s.truncatedFraction).toBe(0.1);
    expect(s.tailShare1pct).toBeCloseTo(1000 / 1450, 12); // ⌈0.01·10⌉ = 1 sample
    expect(tailShare(Float64Array.from(lengths), 0.2)).toBeCloseTo(1090 / 1450, 12);
  });
});

describe('modelLengthSummary', () => {
  const mu = 6;
  const sigma = 0.8;
  const law = logNormal(mu, sigma);

  it('matches the lognormal closed forms without a cap', () => {
    const s = modelLengthSummary(law, {}, 1000);
    expect(s.mean).toBeCloseTo(Math.exp(mu + sigma ** 2 / 2), 8);
    expect(s.p90).toBe(Math.round(Math.exp(mu + sigma * normalQuantile(0.9))));
    // Share of E[X] above the (1 − f) quantile: Φ̄(z₁₋f − σ).
    expect(s.tailShare10pct).toBeCloseTo(normalSf(normalQuantile(0.9) - sigma), 10);
    expect(s.tailShare1pct).toBeCloseTo(normalSf(normalQuantile(0.99) - sigma), 10);
    expect(s.truncatedFraction).toBe(0);
  });

  it('records the capped mass at the cap', () => {
    const cap = 800;
    const s = modelLengthSummary(law, { capTokens: cap }, 1000);
    const zCap = (Math.log(cap - 0.5) - mu) / sigma;
    expect(s.truncatedFraction).toBeCloseTo(normalSf(zCap), 12);
    // E[min(X, c)] = e^{μ+σ²/2}Φ(z_c − σ) + c·Φ̄(z_c) with c = cap − ½ as the continuous threshold, recorded at cap.
    const expected = Math.exp(mu + sigma ** 2 / 2) * normalCdf(zCap - sigma) + cap * normalSf(zCap);
    expect(s.mean).toBeCloseTo(expected, 8);
    expect(s.p99).toBe(cap);
    expect(s.max).toBe(cap);
  });
});

describe('ksStatistic', () => {
  it('is the largest gap between the empirical and the model CDF of whole-token lengths (hand example)', () => {
    const law = logNormal(Math.log(100), 0.5);
    const lengths = [50, 100, 100, 200];
    // Candidates: just below and at each distinct value.
    const candidates = [
      Math.abs(0 - recordedCdf(law, 49, {})),
      Math.abs(0.25 - recordedCdf(law, 50, {})),
      Math.abs(0.25 - recordedCdf(law, 99, {})),
      Math.abs(0.75 - recordedCdf(law, 100, {})),
      Math.abs(0.75 - recordedCdf(law, 199, {})),
      Math.abs(1 - recordedCdf(law, 200, {})),
    ];
    expect(ksStatistic(lengths, law, {})).toBeCloseTo(Math.max(...candidates), 14);
    expect(recordedCdf(law, 100, {})).toBeCloseTo(normalCdf(Math.log(100.5 / 100) / 0.5), 14);
  });

  it('is small for data placed at the model quantiles, and counts the cap as a step to 1', () => {
    const law = logNormal(7, 0.6);
    const n = 5000;
    const lengths = Array.from({ length: n }, (_, i) => Math.round(Math.exp(7 + 0.6 * normalQuantile((i + 0.5) / n))));
    expect(ksStatistic(lengths, law, {})).toBeLessThan(0.002);
    expect(recordedCdf(law, 3000, { capTokens: 3000 })).toBe(1);
  });
});

describe('spearmanCorrelation', () => {
  it('is 1 for a monotone relation, −1 for a reversed one, and handles ties by average ranks', () => {
    expect(spearmanCorrelation([1, 2, 3, 4], [10, 20, 35, 90])).toBeCloseTo(1, 14);
    expect(spearmanCorrelation([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 14);
    // ranks x: 1, 2.5, 2.5, 4; y: 1, 2, 3, 4 → r = 0.948683…
    expect(spearmanCorrelation([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(0.9486832980505138, 12);
  });
});
