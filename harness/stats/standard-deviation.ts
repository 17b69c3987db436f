import { mean } from './mean.js';

/**
 * Sample standard deviation with Bessel's correction (divides by n − 1), the estimate of the
 * spread of the population the sample came from. NaN for a single value (no spread can be
 * estimated from one); RangeError for none.
 */
export function standardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  const centre = mean(values);
  if (n === 1) return Number.NaN;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) sumSquares += (values[i]! - centre) ** 2;
  return Math.sqrt(sumSquares / (n - 1));
}
