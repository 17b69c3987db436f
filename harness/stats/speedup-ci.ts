import type { BootstrapInterval } from './confidence-interval.js';
import { ratioOfMeansCi, type RatioOptions } from './ratio-of-means-ci.js';

/**
 * Speedup of a candidate over a baseline from their times (iteration or step times, seconds):
 * mean(baseline) / mean(candidate), > 1 when the candidate is faster, with a percentile-bootstrap
 * interval. `paired: true` when both ran the same seeds in the same order.
 */
export function speedupCi(baselineTimesS: ArrayLike<number>, candidateTimesS: ArrayLike<number>, options: RatioOptions = {}): BootstrapInterval {
  return ratioOfMeansCi(baselineTimesS, candidateTimesS, options);
}
