import { describe, expect, it } from 'vitest';
import { mannWhitneyU } from '../../harness/stats/mann-whitney-u.js';

// p-values from scipy.stats.mannwhitneyu (SciPy 1.17): method='exact' / 'asymptotic' (continuity on).
const timings = { x: [19.1, 20.3, 18.7, 22.0, 21.5, 20.9], y: [17.2, 18.0, 19.5, 16.8, 18.3, 17.9, 18.8] };
const ties = { x: [1, 2, 2, 3, 4, 4, 5], y: [2, 3, 3, 5, 6, 6, 7, 8] };
const large = {
  x: Array.from({ length: 60 }, (_, i) => ((i * 37) % 101) + 0.5),
  y: Array.from({ length: 55 }, (_, i) => ((i * 53) % 97) + 3.25),
};

/** All ways to choose which k of n ranks belong to x: the exact null distribution of U by brute force. */
function bruteForceTailProbabilities(n1: number, n2: number, u: number): { lower: number; upper: number } {
  const n = n1 + n2;
  let lower = 0;
  let upper = 0;
  let total = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    let rankSum = 0;
    for (let r = 0; r < n; r++) {
      if (mask & (1 << r)) {
        bits++;
        rankSum += r + 1;
      }
    }
    if (bits !== n1) continue;
    const uOfArrangement = rankSum - (n1 * (n1 + 1)) / 2;
    total++;
    if (uOfArrangement <= u) lower++;
    if (uOfArrangement >= u) upper++;
  }
  return { lower: lower / total, upper: upper / total };
}

describe('mannWhitneyU', () => {
  it('gives the exact p-value 2/C(10,5) for completely separated samples of 5', () => {
    const result = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(result).toMatchObject({ u: 0, method: 'exact', probabilityOfSuperiority: 0, rankBiserial: -1 });
    expect(result.pValue).toBeCloseTo(2 / 252, 15);
    expect(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10], { alternative: 'less' }).pValue).toBeCloseTo(1 / 252, 15);
    expect(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10], { alternative: 'greater' }).pValue).toBe(1);
  });

  it('matches brute-force enumeration of the exact distribution (n1 = 6, n2 = 7)', () => {
    const result = mannWhitneyU(timings.x, timings.y, { alternative: 'greater' });
    const tails = bruteForceTailProbabilities(6, 7, result.u);
    expect(result.u).toBe(39);
    expect(result.pValue).toBeCloseTo(tails.upper, 14);
    expect(mannWhitneyU(timings.x, timings.y, { alternative: 'less' }).pValue).toBeCloseTo(tails.lower, 14);
  });

  it('matches SciPy, exact and normal, on timings without ties', () => {
    const cases = [
      ['two-sided', 'exact', 0.008158508158508158],
      ['greater', 'exact', 0.004079254079254079],
      ['less', 'exact', 0.9976689976689977],
      ['two-sided', 'normal', 0.012419330651552265],
      ['greater', 'normal', 0.006209665325776132],
      ['less', 'normal', 0.9958895143396557],
    ] as const;
    for (const [alternative, method, expected] of cases) {
      expect(mannWhitneyU(timings.x, timings.y, { alternative, method }).pValue).toBeCloseTo(expected, 13);
    }
    expect(mannWhitneyU(timings.x, timings.y).method).toBe('exact');
  });

  it('matches SciPy with ties (normal approximation, tie-corrected variance)', () => {
    const result = mannWhitneyU(ties.x, ties.y);
    expect(result.method).toBe('normal');
    expect(result.u).toBe(12.5);
    expect(result.pValue).toBeCloseTo(0.0795647345931905, 13);
    expect(mannWhitneyU(ties.x, ties.y, { alternative: 'less' }).pValue).toBeCloseTo(0.03978236729659525, 13);
    expect(mannWhitneyU(ties.x, ties.y, { alternative: 'greater' }).pValue).toBeCloseTo(0.9692649177404652, 13);
    expect(() => mannWhitneyU(ties.x, ties.y, { method: 'exact' })).toThrow(/without ties/);
  });

  it('matches SciPy on larger samples, where auto picks the normal approximation', () => {
    expect(mannWhitneyU(large.x, large.y)).toMatchObject({ u: 1667, method: 'normal' });
    expect(mannWhitneyU(large.x, large.y).pValue).toBeCloseTo(0.9263943301959104, 13);
    expect(mannWhitneyU(large.x, large.y, { method: 'exact' }).pValue).toBeCloseTo(0.9266827599383148, 12);
    expect(mannWhitneyU(large.x, large.y, { method: 'exact', alternative: 'less' }).pValue).toBeCloseTo(0.5388735645936812, 12);
  });

  it('reports effect sizes: probability of superiority and rank-biserial correlation', () => {
    const result = mannWhitneyU(timings.x, timings.y);
    expect(result.probabilityOfSuperiority).toBeCloseTo(39 / 42, 15);
    expect(result.rankBiserial).toBeCloseTo((2 * 39) / 42 - 1, 15);
  });

  it('gives p = 1 when every value is tied', () => {
    expect(mannWhitneyU([3, 3], [3, 3, 3])).toMatchObject({ u: 3, pValue: 1, method: 'normal', probabilityOfSuperiority: 0.5 });
  });

  it('refuses empty or non-finite samples', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
    expect(() => mannWhitneyU([1, Number.POSITIVE_INFINITY], [1])).toThrow(RangeError);
  });
});
