import type { ConfidenceInterval } from './confidence-interval.js';
import { ratioOfMeansCi, type RatioOptions } from './ratio-of-means-ci.js';

/**
 * Cost reduction of a candidate against a baseline: 1 − mean(candidate) / mean(baseline), e.g.
 * 0.3 for 30% cheaper, negative when dearer, with a percentile-bootstrap interval (the same
 * resamples as the cost ratio, mapped through 1 − r, so the bounds swap).
 */
export function costReductionCi(baselineCosts: ArrayLike<number>, candidateCosts: ArrayLike<number>, options: RatioOptions = {}): ConfidenceInterval {
  const ratio = ratioOfMeansCi(candidateCosts, baselineCosts, options);
  return { ...ratio, estimate: 1 - ratio.estimate, ciLow: 1 - ratio.ciHigh, ciHigh: 1 - ratio.ciLow };
}
