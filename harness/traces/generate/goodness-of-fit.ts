import { mixtureCdf, mixtureQuantile, type LogNormalMixture } from './distributions.js';
import { quantileSorted } from '../../stats/quantile.js';
import { normalSf } from './special-functions.js';

/**
 * Goodness of fit of a length model against recorded lengths, on the scale the trace records:
 * lengths are whole tokens, a capped sample sits at the cap, and a source that dropped long
 * samples is compared with the model conditioned on the same bound.
 */
/** Data quantiles are type 7 (as `traces stats` reports them); model quantiles are the law's, rounded to whole tokens. */
export interface LengthSummary {
  readonly samples: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly truncatedFraction: number;
  /** Share of all tokens held by the longest 1% / 10% of samples. */
  readonly tailShare1pct: number;
  readonly tailShare10pct: number;
}

/** Tokens held by the longest ⌈fraction·n⌉ samples over all tokens. */
export function tailShare(sortedAscending: ArrayLike<number>, fraction: number): number {
  const n = sortedAscending.length;
  const top = Math.max(1, Math.ceil(fraction * n));
  let total = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    total += sortedAscending[i]!;
    if (i >= n - top) tail += sortedAscending[i]!;
  }
  return total > 0 ? tail / total : 0;
}

export function summariseLengths(lengths: readonly number[], truncated?: readonly boolean[]): LengthSummary {
  const sorted = Float64Array.from(lengths).sort();
  const n = sorted.length;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    samples: n,
    mean: sum / n,
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p99: quantileSorted(sorted, 0.99),
    max: sorted[n - 1]!,
    truncatedFraction: truncated ? truncated.filter(Boolean).length / n : 0,
    tailShare1pct: tailShare(sorted, 0.01),
    tailShare10pct: tailShare(sorted, 0.1),
  };
}

/** How the model's draws are recorded: capped at `capTokens`, or conditioned below `upperTruncationTokens`. */
export interface RecordingBounds {
  readonly capTokens?: number;
  readonly upperTruncationTokens?: number;
}

/** E[X; X > t] of the mixture: Σ wₖ e^{μₖ+σₖ²/2} Φ̄((ln t − μₖ − σₖ²)/σₖ). */
function partialExpectationAbove(mixture: LogNormalMixture, t: number): number {
  if (t === Infinity) return 0;
  let total = 0;
  for (const c of mixture.components) {
    const mean = Math.exp(c.mu + (c.sigma * c.sigma) / 2);
    total += t <= 0 ? c.weight * mean : c.weight * mean * normalSf((Math.log(t) - c.mu - c.sigma * c.sigma) / c.sigma);
  }
  return total;
}

/** Model CDF of the recorded (rounded, capped, bound-conditioned) length at integer L. */
export function recordedCdf(mixture: LogNormalMixture, length: number, bounds: RecordingBounds): number {
  if (bounds.capTokens !== undefined && length >= bounds.capTokens) return 1;
  const normaliser = bounds.upperTruncationTokens === undefined ? 1 : mixtureCdf(mixture, bounds.upperTruncationTokens + 0.5);
  return Math.min(1, mixtureCdf(mixture, length + 0.5) / normaliser);
}

/**
 * The model's statistics of recorded lengths, in closed form (continuous X; rounding to whole
 * tokens moves these by well under a token). `max` is the quantile at n/(n+1): where the largest
 * of n draws typically falls.
 */
export function modelLengthSummary(mixture: LogNormalMixture, bounds: RecordingBounds, samples: number): LengthSummary {
  const upper = bounds.upperTruncationTokens === undefined ? Infinity : bounds.upperTruncationTokens + 0.5;
  const normaliser = upper === Infinity ? 1 : mixtureCdf(mixture, upper);
  const cap = bounds.capTokens === undefined ? Infinity : bounds.capTokens - 0.5;
  const capValue = bounds.capTokens ?? Infinity;
  const end = Math.min(cap, upper);
  const cappedMass = cap < upper ? Math.max(0, normaliser - mixtureCdf(mixture, cap)) / normaliser : 0;
  const partialAbove = (t: number): number => {
    // E[R; R > t] with R = min(X, cap) on X < upper, divided by the normaliser.
    if (t >= end) return cappedMass * capValue;
    return (partialExpectationAbove(mixture, t) - partialExpectationAbove(mixture, end)) / normaliser + cappedMass * (cap < upper ? capValue : 0);
  };
  const mean = partialAbove(0);
  const quantile = (p: number): number => {
    const x = mixtureQuantile(mixture, p * normaliser);
    return x >= cap ? capValue : Math.max(1, Math.round(x));
  };
  const tail = (fraction: number): number => {
    const threshold = mixtureQuantile(mixture, (1 - fraction) * normaliser);
    if (threshold >= cap) return (fraction * capValue) / mean;
    return partialAbove(threshold) / mean;
  };
  return {
    samples,
    mean,
    p50: quantile(0.5),
    p90: quantile(0.9),
    p99: quantile(0.99),
    max: quantile(samples / (samples + 1)),
    truncatedFraction: cappedMass,
    tailShare1pct: tail(0.01),
    tailShare10pct: tail(0.1),
  };
}

/**
 * Kolmogorov–Smirnov distance between the recorded lengths' empirical CDF and the model's CDF of
 * recorded lengths, over every whole-token length. Both are step functions on the integers, so
 * checking each observed value and the integer just below it is exact.
 */
export function ksStatistic(lengths: readonly number[], mixture: LogNormalMixture, bounds: RecordingBounds): number {
  const sorted = Float64Array.from(lengths.map((x) => Math.max(1, x))).sort();
  const n = sorted.length;
  let distance = 0;
  let below = 0;
  for (let i = 0; i < n; ) {
    const value = sorted[i]!;
    let j = i;
    while (j < n && sorted[j] === value) j++;
    const empiricalBefore = below / n;
    const empiricalAt = j / n;
    if (value > 1) distance = Math.max(distance, Math.abs(empiricalBefore - recordedCdf(mixture, value - 1, bounds)));
    distance = Math.max(distance, Math.abs(empiricalAt - recordedCdf(mixture, value, bounds)));
    below = j;
    i = j;
  }
  return distance;
}

/** The 5% critical value of the KS distance for a fully specified law (asymptotic 1.358/√n); with fitted parameters the true one is smaller. */
export function ksCriticalValue5pct(samples: number): number {
  return 1.3581 / Math.sqrt(samples);
}

export interface LengthGoodnessOfFit {
  readonly ksStatistic: number;
  readonly ksCritical5pctFullySpecified: number;
  readonly data: LengthSummary;
  readonly model: LengthSummary;
}

export function lengthGoodnessOfFit(
  lengths: readonly number[],
  truncated: readonly boolean[] | undefined,
  mixture: LogNormalMixture,
  bounds: RecordingBounds,
): LengthGoodnessOfFit {
  return {
    ksStatistic: ksStatistic(lengths, mixture, bounds),
    ksCritical5pctFullySpecified: ksCriticalValue5pct(lengths.length),
    data: summariseLengths(lengths, truncated),
    model: modelLengthSummary(mixture, bounds, lengths.length),
  };
}

/** Spearman rank correlation (average ranks for ties). */
export function spearmanCorrelation(xs: readonly number[], ys: readonly number[]): number {
  const ranks = (values: readonly number[]): number[] => {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const result = new Array<number>(values.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j < order.length && order[j]![0] === order[i]![0]) j++;
      const average = (i + j - 1) / 2 + 1;
      for (let k = i; k < j; k++) result[order[k]![1]] = average;
      i = j;
    }
    return result;
  };
  const rx = ranks(xs);
  const ry = ranks(ys);
  const n = xs.length;
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mean) * (ry[i]! - mean);
    sxx += (rx[i]! - mean) ** 2;
    syy += (ry[i]! - mean) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

