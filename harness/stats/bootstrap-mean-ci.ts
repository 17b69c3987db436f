import { bootstrapIndependent, bootstrapSettings } from './bootstrap.js';
import { bootstrapInterval, type BootstrapInterval, type BootstrapOptions } from './confidence-interval.js';
import { mean } from './mean.js';

/** Percentile-bootstrap confidence interval for the mean of one sample (e.g. iteration times over seeds). */
export function bootstrapMeanCi(values: ArrayLike<number>, options: BootstrapOptions = {}): BootstrapInterval {
  const settings = bootstrapSettings(options);
  const replicates = bootstrapIndependent([values], ([sample]) => mean(sample!), settings);
  return bootstrapInterval(replicates, mean(values), settings.confidence);
}
