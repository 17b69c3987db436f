import { bootstrapPaired, bootstrapSettings } from '../../stats/bootstrap.js';
import { DEFAULT_CONFIDENCE } from '../../stats/confidence-interval.js';
import { mean } from '../../stats/mean.js';
import { quantileSorted } from '../../stats/quantile.js';

/**
 * Point estimates with 95 % percentile-bootstrap intervals for the figures: ratios of means over
 * paired units (a speedup is mean time of the baseline over mean time of the candidate on the
 * same seeds and iterations; a cost reduction is 1 − the cost ratio), and the aggregations across
 * configurations a paper's figure implies (its range, its best case, its average). Replicates
 * are kept so an average over configurations gets an interval too (the b-th replicate of the
 * average is the average of the configurations' b-th replicates: independent resamples).
 */
export interface StatOptions {
  /** Compute intervals (false for sensitivity runs, which need only the estimate). */
  readonly ci: boolean;
  readonly resamples: number;
  /** Seed of every resampling stream (each stream forks it by a label). */
  readonly seed: string;
}

export interface Estimate {
  readonly mean: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Paired units (seed × iteration) behind it. */
  readonly n: number;
  readonly replicates?: Float64Array;
}

function percentile(replicates: Float64Array): { ciLow: number; ciHigh: number } {
  const sorted = Float64Array.from(replicates).sort();
  const alpha = 1 - DEFAULT_CONFIDENCE;
  // A degenerate sample (n = 1, or identical units) gives the estimate itself at both ends.
  return { ciLow: quantileSorted(sorted, alpha / 2), ciHigh: quantileSorted(sorted, 1 - alpha / 2) };
}

/** mean(numerator) / mean(denominator) over paired units, times `scale`, plus `offset` (1 − r for reductions: scale −1, offset 1). */
export function pairedRatio(numerator: readonly number[], denominator: readonly number[], options: StatOptions, label: string, transform: (ratio: number) => number = (r) => r): Estimate {
  if (numerator.length === 0 || numerator.length !== denominator.length) return { mean: Number.NaN, ciLow: Number.NaN, ciHigh: Number.NaN, n: 0 };
  const estimate = transform(mean(numerator) / mean(denominator));
  if (!options.ci) return { mean: estimate, ciLow: estimate, ciHigh: estimate, n: numerator.length };
  const settings = bootstrapSettings({ seed: `${options.seed}/${label}`, resamples: options.resamples });
  const replicates = bootstrapPaired([numerator, denominator], ([top, bottom]) => transform(mean(top!) / mean(bottom!)), settings);
  return { mean: estimate, ...percentile(replicates), n: numerator.length, replicates };
}

/** Speedup of `candidate` over `baseline` from their times: mean(baseline) / mean(candidate). */
export function speedup(baselineTimes: readonly number[], candidateTimes: readonly number[], options: StatOptions, label: string): Estimate {
  return pairedRatio(baselineTimes, candidateTimes, options, label);
}

/** Reduction in percent: 100 × (1 − mean(candidate) / mean(baseline)). */
export function reductionPct(baseline: readonly number[], candidate: readonly number[], options: StatOptions, label: string): Estimate {
  return pairedRatio(candidate, baseline, options, label, (ratio) => 100 * (1 - ratio));
}

/** Mean of one series with a bootstrap interval. */
export function meanEstimate(values: readonly number[], options: StatOptions, label: string): Estimate {
  if (values.length === 0) return { mean: Number.NaN, ciLow: Number.NaN, ciHigh: Number.NaN, n: 0 };
  const estimate = mean(values);
  if (!options.ci) return { mean: estimate, ciLow: estimate, ciHigh: estimate, n: values.length };
  const settings = bootstrapSettings({ seed: `${options.seed}/${label}`, resamples: options.resamples });
  const replicates = bootstrapPaired([values], ([sample]) => mean(sample!), settings);
  return { mean: estimate, ...percentile(replicates), n: values.length, replicates };
}

export function exact(value: number): Estimate {
  return { mean: value, ciLow: value, ciHigh: value, n: 1 };
}

export interface ConfigEstimate extends Estimate {
  readonly config: string;
  readonly label: string;
}

/** A published range over configurations: the mean of the estimates, the envelope of their intervals. */
export function rangeOver(estimates: readonly ConfigEstimate[]): Estimate {
  const finite = estimates.filter((e) => Number.isFinite(e.mean));
  if (finite.length === 0) return { mean: Number.NaN, ciLow: Number.NaN, ciHigh: Number.NaN, n: 0 };
  return {
    mean: mean(finite.map((e) => e.mean)),
    ciLow: Math.min(...finite.map((e) => e.ciLow)),
    ciHigh: Math.max(...finite.map((e) => e.ciHigh)),
    n: finite.reduce((sum, e) => sum + e.n, 0),
  };
}

/** A published best case ("up to"): the configuration with the highest estimate, with its interval. */
export function bestOf(estimates: readonly ConfigEstimate[]): ConfigEstimate | undefined {
  let best: ConfigEstimate | undefined;
  for (const e of estimates) if (Number.isFinite(e.mean) && (!best || e.mean > best.mean)) best = e;
  return best;
}

/** A published average over settings: the mean of the estimates; its interval from the averaged replicates. */
export function averageOver(estimates: readonly ConfigEstimate[], options: StatOptions): Estimate {
  const finite = estimates.filter((e) => Number.isFinite(e.mean));
  if (finite.length === 0) return { mean: Number.NaN, ciLow: Number.NaN, ciHigh: Number.NaN, n: 0 };
  const estimate = mean(finite.map((e) => e.mean));
  const n = finite.reduce((sum, e) => sum + e.n, 0);
  if (!options.ci || finite.some((e) => !e.replicates)) return { mean: estimate, ciLow: estimate, ciHigh: estimate, n };
  const count = finite[0]!.replicates!.length;
  const averaged = new Float64Array(count);
  for (let b = 0; b < count; b++) averaged[b] = mean(finite.map((e) => e.replicates![b]!));
  return { mean: estimate, ...percentile(averaged), n };
}

/** Drops replicate arrays (they are large and not reported). */
export function withoutReplicates<T extends Estimate>(estimate: T): Omit<T, 'replicates'> {
  const { replicates: _replicates, ...rest } = estimate;
  return rest;
}
