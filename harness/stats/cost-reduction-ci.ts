import type { BootstrapInterval } from './confidence-interval.js';
import { ratioOfMeansCi, type RatioOptions } from './ratio-of-means-ci.js';

export interface ReductionOptions extends RatioOptions {
  /** In percent (100 × (1 − r)) instead of a fraction. */
  readonly percent?: boolean;
}

/**
 * Cost reduction of a candidate against a baseline: 1 − mean(candidate) / mean(baseline), e.g.
 * 0.3 for 30% cheaper, negative when dearer (or in percent), with a percentile-bootstrap interval
 * (the same resamples as the cost ratio, mapped through 1 − r, so the bounds swap).
 */
export function costReductionCi(baselineCosts: ArrayLike<number>, candidateCosts: ArrayLike<number>, options: ReductionOptions = {}): BootstrapInterval {
  const ratio = ratioOfMeansCi(candidateCosts, baselineCosts, options);
  const scale = options.percent ? 100 : 1;
  const reduce = (r: number) => scale * (1 - r);
  return { ...ratio, estimate: reduce(ratio.estimate), ciLow: reduce(ratio.ciHigh), ciHigh: reduce(ratio.ciLow), replicates: ratio.replicates.map(reduce) };
}
