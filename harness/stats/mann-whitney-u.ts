import { normalSurvival } from './normal-cdf.js';

export type Alternative = 'two-sided' | 'greater' | 'less';

export interface MannWhitneyOptions {
  /** 'greater': x tends to be larger than y; 'less': smaller. Default 'two-sided'. */
  readonly alternative?: Alternative;
  /**
   * 'exact': the permutation distribution of U (only without ties); 'normal': the normal
   * approximation with tie correction; 'auto' (default): exact when there are no ties and both
   * samples have at most 50 values, normal otherwise.
   */
  readonly method?: 'auto' | 'exact' | 'normal';
  /** Continuity correction of ½ in the normal approximation. Default true (as SciPy). */
  readonly continuityCorrection?: boolean;
}

export interface MannWhitneyResult {
  /** U of the first sample: #{(i, j): x_i > y_j} + ½·#{x_i = y_j}. */
  readonly u: number;
  readonly pValue: number;
  readonly method: 'exact' | 'normal';
  readonly alternative: Alternative;
  /** The normal approximation's z (undefined for the exact method). */
  readonly z?: number;
  /** Common-language effect size P(X > Y) + ½·P(X = Y) = U / (n₁·n₂): 0.5 is no effect. */
  readonly probabilityOfSuperiority: number;
  /** Rank-biserial correlation 2·U/(n₁·n₂) − 1, in [−1, 1]: 0 is no effect. */
  readonly rankBiserial: number;
}

/** Mid-ranks (1-based, ties share their average rank) of the concatenation, and the tie group sizes. */
function midRanks(values: readonly number[]): { ranks: Float64Array; tieSizes: number[] } {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(values.length);
  const tieSizes: number[] = [];
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    if (end - start > 1) tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}

/**
 * P(U ≤ u) for every u under H0 without ties: the number of orderings of m x's and n y's with
 * U = u satisfies c(m, n, u) = c(m − 1, n, u − n) + c(m, n − 1, u) (the largest value is an x,
 * beating all n y's, or a y). Counts are summed in doubles: only additions, no cancellation.
 */
function exactCdf(m: number, n: number): Float64Array {
  const maxU = m * n;
  let previous: Float64Array[] = Array.from({ length: n + 1 }, () => {
    const row = new Float64Array(maxU + 1);
    row[0] = 1;
    return row;
  });
  for (let i = 1; i <= m; i++) {
    const current: Float64Array[] = [];
    for (let j = 0; j <= n; j++) {
      const row = new Float64Array(maxU + 1);
      const withLastX = previous[j]!;
      const withLastY = j > 0 ? current[j - 1]! : undefined;
      for (let u = 0; u <= i * j; u++) row[u] = (u >= j ? withLastX[u - j]! : 0) + (withLastY ? withLastY[u]! : 0);
      current.push(row);
    }
    previous = current;
  }
  const counts = previous[n]!;
  let total = 0;
  for (const count of counts) total += count;
  const cdf = new Float64Array(maxU + 1);
  let running = 0;
  for (let u = 0; u <= maxU; u++) {
    running += counts[u]!;
    cdf[u] = running / total;
  }
  return cdf;
}

/**
 * The Mann–Whitney U test (Wilcoxon rank-sum) of whether values of x tend to be larger or
 * smaller than values of y; robust to outliers and skew, suited to noisy timings. p-values match
 * SciPy's `mannwhitneyu` (exact: 2·min of the tails, capped at 1; normal: with tie-corrected
 * variance and continuity correction).
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], options: MannWhitneyOptions = {}): MannWhitneyResult {
  const alternative = options.alternative ?? 'two-sided';
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU: both samples need at least one value');
  for (const value of [...x, ...y]) if (!Number.isFinite(value)) throw new RangeError(`mannWhitneyU: value ${value} is not finite`);
  const { ranks, tieSizes } = midRanks([...x, ...y]);
  let rankSumX = 0;
  for (let i = 0; i < n1; i++) rankSumX += ranks[i]!;
  const u1 = rankSumX - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const effect = { probabilityOfSuperiority: u1 / (n1 * n2), rankBiserial: (2 * u1) / (n1 * n2) - 1 };
  const requested = options.method ?? 'auto';
  const hasTies = tieSizes.length > 0;
  if (requested === 'exact' && hasTies) throw new RangeError('mannWhitneyU: the exact method needs samples without ties; use the normal approximation');
  const method = requested === 'auto' ? (!hasTies && n1 <= 50 && n2 <= 50 ? 'exact' : 'normal') : requested;

  if (method === 'exact') {
    const cdf = exactCdf(n1, n2);
    // U is an integer without ties. P(U ≥ u) = P(U ≤ n1·n2 − u) by symmetry.
    const lower = cdf[u1]!;
    const upper = cdf[u2]!;
    const pValue = alternative === 'greater' ? upper : alternative === 'less' ? lower : Math.min(1, 2 * Math.min(lower, upper));
    return { u: u1, pValue, method, alternative, ...effect };
  }

  const n = n1 + n2;
  const tieTerm = tieSizes.reduce((sum, t) => sum + (t ** 3 - t), 0) / (n * (n - 1));
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm));
  const centre = (n1 * n2) / 2;
  const statistic = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  const correction = (options.continuityCorrection ?? true) ? 0.5 : 0;
  if (sigma === 0) return { u: u1, pValue: 1, method, alternative, z: Number.NaN, ...effect };
  const z = (statistic - centre - correction) / sigma;
  const oneSided = normalSurvival(z);
  const pValue = Math.min(1, alternative === 'two-sided' ? 2 * oneSided : oneSided);
  return { u: u1, pValue, method, alternative, z, ...effect };
}
