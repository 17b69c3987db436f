import { quantile } from './quantile.js';

/** The median: the middle value, or the mean of the two middle values (quantile type 7 at 0.5). */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}
