import { bootstrapIndependent, bootstrapSettings } from './bootstrap.js';
import { percentileInterval, type BootstrapOptions, type ConfidenceInterval } from './confidence-interval.js';
import { median } from './median.js';

/** Percentile-bootstrap confidence interval for the median of one sample. */
export function bootstrapMedianCi(values: ArrayLike<number>, options: BootstrapOptions = {}): ConfidenceInterval {
  const settings = bootstrapSettings(options);
  const replicates = bootstrapIndependent([values], ([sample]) => median(sample!), settings);
  return percentileInterval(replicates, median(values), settings.confidence);
}
