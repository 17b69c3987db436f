import { bootstrapMeanCi } from './bootstrap-mean-ci.js';
import { bootstrapPaired, bootstrapSettings } from './bootstrap.js';
import { bootstrapInterval, DEFAULT_CONFIDENCE, type BootstrapInterval } from './confidence-interval.js';
import { costReductionCi } from './cost-reduction-ci.js';
import { mean } from './mean.js';
import { ratioOfMeansCi } from './ratio-of-means-ci.js';
import { speedupCi } from './speedup-ci.js';

/**
 * Point estimates with 95 % percentile-bootstrap intervals, in the shape reports use: ratios of
 * means over paired units (a speedup is mean time of the baseline over mean time of the candidate
 * on the same seeds and iterations; a cost reduction is 1 − the cost ratio), means, and the
 * aggregations across configurations a published figure implies (its range, its best case, its
 * average). Replicates are kept so an average over configurations gets an interval too (the b-th
 * replicate of the average is the average of the configurations' b-th replicates: independent
 * resamples). Each estimate's resampling stream is seeded by `seed/label`.
 */
export interface EstimateOptions {
  /** Compute intervals (false for sensitivity runs, which need only the estimate). */
  readonly ci: boolean;
  readonly resamples: number;
  /** Seed of every resampling stream (each estimate forks it by its label). */
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

const NONE: Estimate = { mean: Number.NaN, ciLow: Number.NaN, ciHigh: Number.NaN, n: 0 };

/** An estimate from a bootstrap interval; a statistic undefined on some resample (0/0) gives a NaN interval around the estimate. */
function fromInterval(point: number, n: number, options: EstimateOptions, interval: () => BootstrapInterval): Estimate {
  if (!options.ci) return { mean: point, ciLow: point, ciHigh: point, n };
  try {
    const ci = interval();
    return { mean: point, ciLow: ci.ciLow, ciHigh: ci.ciHigh, n, replicates: ci.replicates };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { mean: point, ciLow: Number.NaN, ciHigh: Number.NaN, n };
  }
}

const settings = (options: EstimateOptions, label: string) => ({ seed: `${options.seed}/${label}`, resamples: options.resamples, paired: true });

/** Speedup of `candidate` over `baseline` from their times over paired units: mean(baseline) / mean(candidate). */
export function speedupEstimate(baselineTimes: readonly number[], candidateTimes: readonly number[], options: EstimateOptions, label: string): Estimate {
  if (baselineTimes.length === 0 || baselineTimes.length !== candidateTimes.length) return NONE;
  return fromInterval(mean(baselineTimes) / mean(candidateTimes), baselineTimes.length, options, () => speedupCi(baselineTimes, candidateTimes, settings(options, label)));
}

/** Reduction in percent over paired units: 100 × (1 − mean(candidate) / mean(baseline)). */
export function reductionPctEstimate(baseline: readonly number[], candidate: readonly number[], options: EstimateOptions, label: string): Estimate {
  if (baseline.length === 0 || baseline.length !== candidate.length) return NONE;
  return fromInterval(100 * (1 - mean(candidate) / mean(baseline)), baseline.length, options, () => costReductionCi(baseline, candidate, { ...settings(options, label), percent: true }));
}

/** A ratio in percent over paired units: 100 × mean(numerator) / mean(denominator). */
export function ratioPctEstimate(numerator: readonly number[], denominator: readonly number[], options: EstimateOptions, label: string): Estimate {
  if (numerator.length === 0 || numerator.length !== denominator.length) return NONE;
  return fromInterval((100 * mean(numerator)) / mean(denominator), numerator.length, options, () => {
    const ratio = ratioOfMeansCi(numerator, denominator, settings(options, label));
    return { ...ratio, estimate: 100 * ratio.estimate, ciLow: 100 * ratio.ciLow, ciHigh: 100 * ratio.ciHigh, replicates: ratio.replicates.map((r) => 100 * r) };
  });
}

/** Mean of one series with a bootstrap interval. */
export function meanEstimate(values: readonly number[], options: EstimateOptions, label: string): Estimate {
  if (values.length === 0) return NONE;
  return fromInterval(mean(values), values.length, options, () => bootstrapMeanCi(values, settings(options, label)));
}

/** How a candidate is compared with its baseline: a speedup (a time) or a reduction in percent (a cost). */
export type ComparisonKind = 'speedup' | 'reductionPct';

/** One comparison of candidate against baseline from their means: mean(b)/mean(c), or 100 × (1 − mean(c)/mean(b)). */
export function compareMeans(kind: ComparisonKind, baselineMean: number, candidateMean: number): number {
  return kind === 'speedup' ? baselineMean / candidateMean : 100 * (1 - candidateMean / baselineMean);
}

export interface WeightedSeries {
  readonly values: readonly number[];
  readonly weight: number;
}

/**
 * offset + Σ weightᵢ · compare(baseline, candidateᵢ) over paired units, with a paired bootstrap
 * interval (whole units resampled together across the baseline and every candidate): the parts
 * of a figure's decomposition, e.g. what one technique adds = compare(baseline, full system) −
 * compare(baseline, system without it). Every series must cover the same units in the same order.
 */
export function comparisonCombinationEstimate(kind: ComparisonKind, baseline: readonly number[], terms: readonly WeightedSeries[], offset: number, options: EstimateOptions, label: string): Estimate {
  if (baseline.length === 0 || terms.some((term) => term.values.length !== baseline.length)) return NONE;
  const statistic = (base: ArrayLike<number>, candidates: readonly ArrayLike<number>[]) => {
    const b = mean(base);
    return terms.reduce((sum, term, i) => sum + term.weight * compareMeans(kind, b, mean(candidates[i]!)), offset);
  };
  const point = statistic(baseline, terms.map((term) => term.values));
  return fromInterval(point, baseline.length, options, () => {
    const s = bootstrapSettings({ seed: `${options.seed}/${label}`, resamples: options.resamples });
    const replicates = bootstrapPaired([baseline, ...terms.map((term) => term.values)], ([base, ...candidates]) => statistic(base!, candidates), s);
    return bootstrapInterval(replicates, point, s.confidence);
  });
}

/** A statistic of any shape: `replicates()` draws its bootstrap replicates from the stream seeded by `seed/label`. */
export function customEstimate(point: number, n: number, options: EstimateOptions, label: string, replicates: (settings: ReturnType<typeof bootstrapSettings>) => Float64Array): Estimate {
  return fromInterval(point, n, options, () => {
    const s = bootstrapSettings({ seed: `${options.seed}/${label}`, resamples: options.resamples });
    return bootstrapInterval(replicates(s), point, s.confidence);
  });
}

export function exactEstimate(value: number): Estimate {
  return { mean: value, ciLow: value, ciHigh: value, n: 1 };
}

export interface ConfigEstimate extends Estimate {
  readonly config: string;
  readonly label: string;
}

/** A published range over configurations: the mean of the estimates, the envelope of their intervals. */
export function rangeOver(estimates: readonly ConfigEstimate[]): Estimate {
  const finite = estimates.filter((e) => Number.isFinite(e.mean));
  if (finite.length === 0) return NONE;
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
export function averageOver(estimates: readonly ConfigEstimate[], options: EstimateOptions): Estimate {
  const finite = estimates.filter((e) => Number.isFinite(e.mean));
  if (finite.length === 0) return NONE;
  const estimate = mean(finite.map((e) => e.mean));
  const n = finite.reduce((sum, e) => sum + e.n, 0);
  if (!options.ci || finite.some((e) => !e.replicates)) return { mean: estimate, ciLow: estimate, ciHigh: estimate, n };
  const count = finite[0]!.replicates!.length;
  const averaged = new Float64Array(count);
  for (let b = 0; b < count; b++) averaged[b] = mean(finite.map((e) => e.replicates![b]!));
  try {
    const ci = bootstrapInterval(averaged, estimate, DEFAULT_CONFIDENCE);
    return { mean: estimate, ciLow: ci.ciLow, ciHigh: ci.ciHigh, n };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { mean: estimate, ciLow: Number.NaN, ciHigh: Number.NaN, n };
  }
}

/** Drops replicate arrays (they are large and not reported). */
export function withoutReplicates<T extends Estimate>(estimate: T): Omit<T, 'replicates'> {
  const { replicates: _replicates, ...rest } = estimate;
  return rest;
}
