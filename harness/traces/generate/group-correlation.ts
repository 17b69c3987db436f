import { mixtureCdf, mixtureSf, type LogNormalMixture } from './distributions.js';
import { logNormalSf, normalQuantile } from './special-functions.js';

/**
 * Siblings in a GRPO group share their prompt, so their lengths correlate. The generator models
 * that with a Gaussian copula: sample j of group i has normal score
 *   zᵢⱼ = √ρ·bᵢ + √(1−ρ)·εᵢⱼ,   bᵢ, εᵢⱼ ~ N(0, 1),
 * (bᵢ is the prompt's latent difficulty) and length F⁻¹(Φ(zᵢⱼ)) for the fitted marginal F. ρ is the
 * share of the score variance that lies between groups. This file fits ρ by maximum likelihood
 * given the marginal (the two-step "inference functions for margins" method), treating capped
 * samples as censored scores, and also reports the plain between/within split of ln(length).
 */

/** One group's lengths as normal scores under the marginal. */
export interface GroupScores {
  readonly uncensored: readonly number[];
  readonly censoredCount: number;
}

export interface GroupLengths {
  readonly responseTokens: readonly number[];
  readonly truncated: readonly boolean[];
}

export interface GroupCorrelationFit {
  /** Between-group share of normal-score variance (the copula's ρ). */
  readonly rho: number;
  readonly logLikelihood: number;
  readonly groups: number;
  readonly method: string;
}

const GRID_STEPS = 80;
const GRID_HALF_WIDTH_SD = 8;
/** Trapezoid nodes and weights for E[g(T)], T ~ N(0,1); exponentially accurate for smooth g. */
const NORMAL_GRID = (() => {
  const nodes: number[] = [];
  const logWeights: number[] = [];
  const step = (2 * GRID_HALF_WIDTH_SD) / GRID_STEPS;
  let total = 0;
  const raw: number[] = [];
  for (let i = 0; i <= GRID_STEPS; i++) {
    const t = -GRID_HALF_WIDTH_SD + i * step;
    nodes.push(t);
    const w = Math.exp(-0.5 * t * t);
    raw.push(w);
    total += w;
  }
  for (const w of raw) logWeights.push(Math.log(w / total));
  return { nodes, logWeights };
})();

/** The normal score of a length: Φ⁻¹ of the marginal CDF at the length (precise in both tails). */
export function normalScoreOfLength(marginal: LogNormalMixture, length: number, upperTruncationTokens?: number): number {
  if (upperTruncationTokens !== undefined) {
    const p = mixtureCdf(marginal, length) / mixtureCdf(marginal, upperTruncationTokens + 0.5);
    return normalQuantile(Math.min(Math.max(p, 1e-300), 1 - 1e-16));
  }
  const cdf = mixtureCdf(marginal, length);
  if (cdf <= 0.5) return normalQuantile(Math.max(cdf, 1e-300));
  return normalQuantile(Math.max(mixtureSf(marginal, length), 1e-300), true);
}

/** ln of the likelihood of one group's scores under correlation ρ (censored scores lie above `censoredScore`). */
export function groupLogLikelihood(group: GroupScores, rho: number, censoredScore: number): number {
  const a = Math.sqrt(rho);
  const s2 = 1 - rho;
  const k = group.uncensored.length;
  let sum = 0;
  let sumSquares = 0;
  for (const z of group.uncensored) {
    sum += z;
    sumSquares += z * z;
  }
  // Joint density of the uncensored scores: equicorrelated normal, closed form.
  let logDensity = 0;
  if (k > 0) {
    const logDet = (k - 1) * Math.log(s2) + Math.log(1 + (k - 1) * rho);
    const quadratic = (sumSquares - (rho * sum * sum) / (1 + (k - 1) * rho)) / s2;
    logDensity = -0.5 * k * Math.log(2 * Math.PI) - 0.5 * logDet - 0.5 * quadratic;
  }
  if (group.censoredCount === 0) return logDensity;
  // Censored scores: average P(score > threshold | b)^c over b's posterior given the uncensored ones.
  const precision = 1 + (k * rho) / s2;
  const mean = (a / s2) * sum / precision;
  const sd = Math.sqrt(1 / precision);
  const s = Math.sqrt(s2);
  const terms = NORMAL_GRID.nodes.map((t, i) => {
    const b = mean + sd * t;
    return NORMAL_GRID.logWeights[i]! + group.censoredCount * logNormalSf((censoredScore - a * b) / s);
  });
  let max = -Infinity;
  for (const v of terms) if (v > max) max = v;
  let total = 0;
  for (const v of terms) total += Math.exp(v - max);
  return logDensity + max + Math.log(total);
}

export function groupScoresOf(
  groups: readonly GroupLengths[],
  marginal: LogNormalMixture,
  upperTruncationTokens?: number,
): GroupScores[] {
  return groups.map((g) => {
    const uncensored: number[] = [];
    let censoredCount = 0;
    g.responseTokens.forEach((length, j) => {
      if (g.truncated[j]) censoredCount += 1;
      else uncensored.push(normalScoreOfLength(marginal, Math.max(length, 1), upperTruncationTokens));
    });
    return { uncensored, censoredCount };
  });
}

/** Golden-section search for the ρ in [0, 0.98] that maximises the groups' likelihood. */
export function fitGroupCorrelation(
  groups: readonly GroupLengths[],
  marginal: LogNormalMixture,
  options: { readonly capTokens?: number; readonly upperTruncationTokens?: number } = {},
): GroupCorrelationFit | undefined {
  const multi = groups.filter((g) => g.responseTokens.length > 1);
  if (multi.length === 0) return undefined;
  const scores = groupScoresOf(multi, marginal, options.upperTruncationTokens);
  const censoredScore =
    options.capTokens === undefined ? Infinity : normalQuantile(Math.max(mixtureSf(marginal, options.capTokens - 0.5), 1e-300), true);
  const total = (rho: number): number => scores.reduce((sum, g) => sum + groupLogLikelihood(g, rho, censoredScore), 0);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let low = 0;
  let high = 0.98;
  let x1 = high - ratio * (high - low);
  let x2 = low + ratio * (high - low);
  let f1 = total(x1);
  let f2 = total(x2);
  while (high - low > 1e-6) {
    if (f1 < f2) {
      low = x1;
      x1 = x2;
      f1 = f2;
      x2 = low + ratio * (high - low);
      f2 = total(x2);
    } else {
      high = x2;
      x2 = x1;
      f2 = f1;
      x1 = high - ratio * (high - low);
      f1 = total(x1);
    }
  }
  const rho = 0.5 * (low + high);
  return {
    rho,
    logLikelihood: total(rho),
    groups: multi.length,
    method: 'Gaussian-copula ρ by maximum likelihood given the fitted marginal (IFM); capped samples censored; golden-section search on [0, 0.98]',
  };
}

/** Between/within split of ln(length) over groups (capped samples counted at the cap). */
export interface LogLengthVarianceSplit {
  /** Variance of the group means of ln(length). */
  readonly betweenGroupMeans: number;
  /** Pooled within-group variance of ln(length). */
  readonly withinGroups: number;
  /** One-way ANOVA intraclass correlation, (MSB − MSW)/(MSB + (n̄−1)·MSW). */
  readonly anovaIntraclassCorrelation: number;
}

export function logLengthVarianceSplit(groups: readonly GroupLengths[]): LogLengthVarianceSplit | undefined {
  const multi = groups.filter((g) => g.responseTokens.length > 1);
  if (multi.length < 2) return undefined;
  const logs = multi.map((g) => g.responseTokens.map((x) => Math.log(Math.max(x, 1))));
  const means = logs.map((l) => l.reduce((a, b) => a + b, 0) / l.length);
  const sizes = logs.map((l) => l.length);
  const totalN = sizes.reduce((a, b) => a + b, 0);
  const grandMean = logs.flat().reduce((a, b) => a + b, 0) / totalN;
  let ssWithin = 0;
  logs.forEach((l, i) => {
    for (const y of l) ssWithin += (y - means[i]!) ** 2;
  });
  let ssBetween = 0;
  means.forEach((m, i) => {
    ssBetween += sizes[i]! * (m - grandMean) ** 2;
  });
  const groupsN = multi.length;
  const msWithin = ssWithin / (totalN - groupsN);
  const msBetween = ssBetween / (groupsN - 1);
  // n₀ for unbalanced groups (equals the group size when balanced).
  const n0 = (totalN - sizes.reduce((a, n) => a + n * n, 0) / totalN) / (groupsN - 1);
  const meanOfMeans = means.reduce((a, b) => a + b, 0) / groupsN;
  const betweenGroupMeans = means.reduce((a, m) => a + (m - meanOfMeans) ** 2, 0) / (groupsN - 1);
  return {
    betweenGroupMeans,
    withinGroups: msWithin,
    anovaIntraclassCorrelation: (msBetween - msWithin) / (msBetween + (n0 - 1) * msWithin),
  };
}
