import { bootstrapIndependent, bootstrapPaired, bootstrapSettings } from './bootstrap.js';
import { bootstrapInterval, type BootstrapInterval, type BootstrapOptions } from './confidence-interval.js';
import { mean } from './mean.js';

export interface RatioOptions extends BootstrapOptions {
  /**
   * Paired: element i of both samples belongs together (same seed, same workload) and pairs are
   * resampled together. Independent (default): each sample is resampled on its own.
   */
  readonly paired?: boolean;
}

/**
 * mean(numerator) / mean(denominator) with a percentile-bootstrap interval. The ratio of means,
 * not the mean of ratios: it is the ratio of totals, which is what a speedup over many
 * iterations or a cost ratio over a run means.
 */
export function ratioOfMeansCi(numerator: ArrayLike<number>, denominator: ArrayLike<number>, options: RatioOptions = {}): BootstrapInterval {
  const settings = bootstrapSettings(options);
  const ratio = ([top, bottom]: readonly Float64Array[]): number => mean(top!) / mean(bottom!);
  const resample = options.paired ? bootstrapPaired : bootstrapIndependent;
  const replicates = resample([numerator, denominator], ratio, settings);
  return bootstrapInterval(replicates, mean(numerator) / mean(denominator), settings.confidence);
}
