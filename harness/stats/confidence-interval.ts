import { quantileSorted } from './quantile.js';

/** Options shared by every bootstrap in this folder. */
export interface BootstrapOptions {
  /** Seed of the resampling stream (harness/util/rng.ts); default 1. Same seed and data, same interval. */
  readonly seed?: number | string;
  /** Number of bootstrap resamples; default 2000. */
  readonly resamples?: number;
  /** Confidence level in (0, 1); default 0.95. */
  readonly confidence?: number;
}

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_CONFIDENCE = 0.95;
export const DEFAULT_SEED = 1;

/** A point estimate with a confidence interval. */
export interface ConfidenceInterval {
  /** The statistic on the observed sample(s), not a bootstrap average. */
  readonly estimate: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly confidence: number;
  readonly resamples: number;
  readonly method: 'percentile-bootstrap';
}

/** An interval with the bootstrap replicates behind it, in resample order (not sorted): an average over several statistics averages their b-th replicates. */
export interface BootstrapInterval extends ConfidenceInterval {
  readonly replicates: Float64Array;
}

/** The percentile interval of replicates kept in resample order (the interval is taken on a sorted copy). */
export function bootstrapInterval(replicates: Float64Array, estimate: number, confidence: number): BootstrapInterval {
  return { ...percentileInterval(Float64Array.from(replicates), estimate, confidence), replicates };
}

/**
 * The percentile interval of a bootstrap distribution: its (1 − c)/2 and (1 + c)/2 quantiles
 * (type 7, see quantile.ts). Sorts `replicates` in place.
 */
export function percentileInterval(replicates: Float64Array, estimate: number, confidence: number): ConfidenceInterval {
  if (replicates.some((value) => Number.isNaN(value))) throw new RangeError('bootstrap: the statistic was NaN for some resample');
  replicates.sort();
  const alpha = 1 - confidence;
  return {
    estimate,
    ciLow: quantileSorted(replicates, alpha / 2),
    ciHigh: quantileSorted(replicates, 1 - alpha / 2),
    confidence,
    resamples: replicates.length,
    method: 'percentile-bootstrap',
  };
}
