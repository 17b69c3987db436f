import { describe, expect, it } from 'vitest';
import { cappedLogNormalMean, solveResponseLaw, workloadFromLengthStatistics } from '../../../harness/traces/generate/from-statistics.js';
import { logNormal } from '../../../harness/traces/generate/distributions.js';

const options = { seed: 1, defaultSigma: { sigma: 0.9, what: 'test spread' } };

describe('workloads from a recorded step’s length statistics', () => {
  it('capped lognormal mean: E[min(X, cap)] by numeric integration', () => {
    const mu = 5;
    const sigma = 0.8;
    const cap = 400;
    // midpoint rule over ln x with the normal density
    let sum = 0;
    const steps = 200_000;
    const lo = mu - 10 * sigma;
    const hi = mu + 10 * sigma;
    for (let i = 0; i < steps; i++) {
      const y = lo + ((i + 0.5) * (hi - lo)) / steps;
      const density = Math.exp(-0.5 * ((y - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
      sum += Math.min(Math.exp(y), cap) * density * ((hi - lo) / steps);
    }
    expect(cappedLogNormalMean(mu, sigma, cap)).toBeCloseTo(sum, 3);
  });

  it('matches a published mean and clip ratio (veRL GPG step 2: mean 280.789, cap 1024, clip 0.024)', () => {
    const made = workloadFromLengthStatistics({ prompts: 1024, samplesPerPrompt: 5, responseCapTokens: 1024, responseMeanTokens: 280.789, responseMaxTokens: 1024, responseClipRatio: 0.024, promptMeanTokens: 97.947 }, options);
    expect(made.achieved.responseMeanTokens).toBeCloseTo(280.789, 0);
    expect(made.achieved.clipRatio).toBeCloseTo(0.024, 3);
    expect(made.achieved.responseMaxTokens).toBe(1024);
    expect(made.achieved.promptMeanTokens).toBe(98);
    expect(made.inferred).toBe(false);
    expect(made.method).toBe('mean-and-clip-ratio');
    const groups = made.workload.iterations[0]!.groups;
    expect(groups).toHaveLength(1024);
    expect(groups.every((g) => g.responseTokens.length === 5)).toBe(true);
    expect(groups.flatMap((g) => g.truncated).filter(Boolean)).toHaveLength(Math.round(0.024 * 5120));
  });

  it('matches a mean and a max below the cap: the longest sample is the max', () => {
    const made = workloadFromLengthStatistics({ prompts: 512, samplesPerPrompt: 1, responseCapTokens: 512, responseMeanTokens: 140.3, responseMaxTokens: 495, promptMeanTokens: 85 }, options);
    expect(made.achieved.responseMeanTokens).toBeCloseTo(140.3, 0);
    expect(made.achieved.responseMaxTokens).toBe(495);
    expect(made.method).toBe('mean-and-max');
  });

  it('reads a clip ratio logged as 0.000 with max = cap as a cap reached about once', () => {
    const made = workloadFromLengthStatistics({ prompts: 1024, samplesPerPrompt: 5, responseCapTokens: 1024, responseMeanTokens: 131.75, responseMaxTokens: 1024, responseClipRatio: 0, promptMeanTokens: 82.6 }, options);
    expect(made.achieved.clipRatio).toBeLessThan(0.0005);
    expect(made.achieved.responseMeanTokens).toBeCloseTo(131.75, 0);
    expect(made.inferences.join(' ')).toMatch(/reached about once/);
    expect(made.method).toBe('mean-and-cap-reached-once');
  });

  it('falls back to a recorded law, marked inferred, when the row gives no length statistic', () => {
    const law = logNormal(Math.log(600), 0.7);
    const made = workloadFromLengthStatistics(
      { prompts: 64, samplesPerPrompt: 16, responseCapTokens: 28672 },
      { ...options, fallbackResponseLaw: { law, what: 'test law' }, fallbackPromptTokens: { tokens: 150, what: 'test prompt' } },
    );
    expect(made.inferred).toBe(true);
    expect(made.method).toBe('fallback-law');
    expect(made.achieved.promptMeanTokens).toBe(150);
    // the stratified quantiles of lognormal(ln 600, 0.7) average its mean 600·e^(0.245) (to sampling of 1024 points)
    expect(made.achieved.responseMeanTokens / (600 * Math.exp(0.245))).toBeGreaterThan(0.97);
    expect(made.achieved.responseMeanTokens / (600 * Math.exp(0.245))).toBeLessThan(1.01);
  });

  it('is deterministic in its seed: the same inputs give the same samples, another seed deals them differently', () => {
    const stats = { prompts: 64, samplesPerPrompt: 4, responseCapTokens: 1024, responseMeanTokens: 300, responseMaxTokens: 1024, responseClipRatio: 0.01, promptMeanTokens: 100 };
    const a = workloadFromLengthStatistics(stats, options).workload;
    const b = workloadFromLengthStatistics(stats, options).workload;
    const c = workloadFromLengthStatistics(stats, { ...options, seed: 2 }).workload;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    const sorted = (w: typeof a) => w.iterations[0]!.groups.flatMap((g) => g.responseTokens).sort((x, y) => x - y);
    expect(sorted(c)).toEqual(sorted(a));
  });

  it('solves the law without drawing samples, and refuses statistics no capped lognormal fits unless a default spread is given', () => {
    const stats = { prompts: 16, samplesPerPrompt: 1, responseCapTokens: 64, promptMeanTokens: 10 };
    // A mean above the max: no lognormal whose longest sample is the max has that mean.
    expect(() => solveResponseLaw({ ...stats, responseMeanTokens: 30, responseMaxTokens: 25 }, 16, {})).toThrow(RangeError);
    const withSigma = solveResponseLaw({ ...stats, responseMeanTokens: 30, responseMaxTokens: 25 }, 16, { defaultSigma: { sigma: 0.5, what: 'test spread' } });
    expect(withSigma.method).toBe('mean-and-default-sigma');
    expect(withSigma.inferred).toBe(true);
    // The law it returns is the one workloadFromLengthStatistics draws from.
    const good = { ...stats, responseMeanTokens: 25, responseMaxTokens: 50 };
    const law = solveResponseLaw(good, 16, {});
    const made = workloadFromLengthStatistics(good, { seed: 1 });
    expect([law.method, law.inferences[0]]).toEqual([made.method, made.inferences[0]]);
  });
});
