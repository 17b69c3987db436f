import { describe, expect, it } from 'vitest';
import { bootstrapMedianCi } from '../../harness/stats/bootstrap-median-ci.js';
import { plainMedian, referenceBootstrapInterval } from './reference-bootstrap.js';

describe('bootstrapMedianCi', () => {
  const sample = [3, 1, 4, 1, 5, 9, 2, 6, 5];

  it('pins the interval for the default seed', () => {
    expect(bootstrapMedianCi(sample)).toMatchObject({ estimate: 4, ciLow: 1, ciHigh: 5 });
  });

  it('matches an independent plain reimplementation', () => {
    const ours = bootstrapMedianCi(sample, { seed: 3, resamples: 777 });
    const reference = referenceBootstrapInterval([sample], ([s]) => plainMedian(s!), { seed: 3, resamples: 777, confidence: 0.95 });
    expect([ours.ciLow, ours.ciHigh]).toEqual([reference.low, reference.high]);
  });
});
