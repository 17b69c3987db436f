import { bootstrapIndependent, bootstrapSettings } from './bootstrap.js';
import { percentileInterval, type BootstrapOptions, type ConfidenceInterval } from './confidence-interval.js';
import { mean } from './mean.js';

/** Percentile-bootstrap confidence interval for the mean of one sample (e.g. iteration times over seeds). */
export function bootstrapMeanCi(values: ArrayLike<number>, options: BootstrapOptions = {}): ConfidenceInterval {
  const settings = bootstrapSettings(options);
  const replicates = bootstrapIndependent([values], ([sample]) => mean(sample!), settings);
  return percentileInterval(replicates, mean(values), settings.confidence);
}
