import { describe, expect, it } from 'vitest';
import { costReductionCi } from '../../harness/stats/cost-reduction-ci.js';
import { ratioOfMeansCi } from '../../harness/stats/ratio-of-means-ci.js';

describe('costReductionCi', () => {
  const baseline = [10, 11, 12, 10.5];
  const candidate = [7, 7.5, 8, 7.2];

  it('is 1 − mean(candidate)/mean(baseline)', () => {
    // 1 − 29.7/43.5
    expect(costReductionCi(baseline, candidate).estimate).toBeCloseTo(1 - 29.7 / 43.5, 14);
    expect(costReductionCi([2, 2], [3, 3]).estimate).toBe(-0.5);
  });

  it('maps the cost-ratio interval through 1 − r, swapping the bounds', () => {
    const ratio = ratioOfMeansCi(candidate, baseline, { seed: 5 });
    const reduction = costReductionCi(baseline, candidate, { seed: 5 });
    expect(reduction.ciLow).toBe(1 - ratio.ciHigh);
    expect(reduction.ciHigh).toBe(1 - ratio.ciLow);
    expect(reduction.ciLow).toBeLessThan(reduction.estimate);
    expect(reduction.estimate).toBeLessThan(reduction.ciHigh);
  });

  it('pins the interval for the default seed', () => {
    expect(costReductionCi(baseline, candidate)).toMatchObject({ ciLow: 0.25853658536585367, ciHigh: 0.3717391304347827 });
  });
});
