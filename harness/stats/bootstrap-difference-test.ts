import { bootstrapIndependent, bootstrapPaired, bootstrapSettings } from './bootstrap.js';
import { percentileInterval, type BootstrapOptions, type ConfidenceInterval } from './confidence-interval.js';
import { mean } from './mean.js';
import { median } from './median.js';

export interface DifferenceTestOptions extends BootstrapOptions {
  /** The statistic compared. Default 'median' (robust to the odd slow run in timings). */
  readonly statistic?: 'mean' | 'median';
  /** 'relative' (default): stat(candidate) / stat(baseline) − 1; 'absolute': stat(candidate) − stat(baseline). */
  readonly scale?: 'relative' | 'absolute';
  /**
   * The smallest change that matters, ≥ 0, on the difference's scale (0.05 = 5% when relative).
   * A significant change smaller than this is not reported as a change. Default 0.
   */
  readonly minEffect?: number;
  /** Element i of both samples belongs together (same seed); pairs are resampled together. */
  readonly paired?: boolean;
}

/**
 * 'increase' / 'decrease': the interval excludes 0 and the estimate is at least `minEffect`
 * that way. 'no-change': the whole interval lies within ±minEffect (shown equivalent).
 * 'inconclusive': neither (too noisy to tell, or significant but smaller than minEffect with an
 * interval that reaches past it). Direction-neutral: the caller knows whether more is worse.
 */
export type DifferenceVerdict = 'increase' | 'decrease' | 'no-change' | 'inconclusive';

export interface DifferenceTestResult extends ConfidenceInterval {
  readonly statistic: 'mean' | 'median';
  readonly scale: 'relative' | 'absolute';
  readonly minEffect: number;
  /**
   * Two-sided bootstrap p-value for "no difference": 2·min(#{d* ≤ 0} + 1, #{d* ≥ 0} + 1) / (B + 1),
   * capped at 1 (the +1 keeps it from claiming p = 0 with finitely many resamples).
   */
  readonly pValue: number;
  readonly verdict: DifferenceVerdict;
}

/**
 * A bootstrap test of the difference between a baseline and a candidate sample with a minimum
 * effect size, for noisy timings (nightly regression checks): the percentile interval of the
 * difference decides, the p-value is reported beside it.
 */
export function bootstrapDifferenceTest(
  baseline: ArrayLike<number>,
  candidate: ArrayLike<number>,
  options: DifferenceTestOptions = {},
): DifferenceTestResult {
  const settings = bootstrapSettings(options);
  const statisticName = options.statistic ?? 'median';
  const scale = options.scale ?? 'relative';
  const minEffect = options.minEffect ?? 0;
  if (!(minEffect >= 0)) throw new RangeError(`bootstrapDifferenceTest: minEffect must be ≥ 0, got ${minEffect}`);
  const statistic = statisticName === 'mean' ? mean : median;
  const difference = (base: ArrayLike<number>, next: ArrayLike<number>): number =>
    scale === 'relative' ? statistic(next) / statistic(base) - 1 : statistic(next) - statistic(base);
  const resample = options.paired ? bootstrapPaired : bootstrapIndependent;
  const replicates = resample([baseline, candidate], ([base, next]) => difference(base!, next!), settings);
  let atMostZero = 0;
  let atLeastZero = 0;
  for (const value of replicates) {
    if (value <= 0) atMostZero++;
    if (value >= 0) atLeastZero++;
  }
  const pValue = Math.min(1, (2 * (Math.min(atMostZero, atLeastZero) + 1)) / (replicates.length + 1));
  const interval = percentileInterval(replicates, difference(baseline, candidate), settings.confidence);
  const { estimate, ciLow, ciHigh } = interval;
  const verdict: DifferenceVerdict =
    ciLow > 0 && estimate >= minEffect
      ? 'increase'
      : ciHigh < 0 && estimate <= -minEffect
        ? 'decrease'
        : ciLow >= -minEffect && ciHigh <= minEffect
          ? 'no-change'
          : 'inconclusive';
  return { ...interval, statistic: statisticName, scale, minEffect, pValue, verdict };
}
