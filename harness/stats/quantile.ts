/**
 * Sample quantile, type 7 of Hyndman & Fan (1996) — the default of R, NumPy and arquero:
 * with the values sorted x[0] ≤ … ≤ x[n−1] and h = (n − 1)·p,
 *   Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 * So Q(0) is the minimum, Q(1) the maximum, Q(0.5) the usual median.
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  return quantileSorted(Float64Array.from(values).sort(), p);
}

/** `quantile` on values already sorted ascending (no copy; for repeated quantiles of one sample). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
  const h = (n - 1) * p;
  const lower = Math.floor(h);
  const below = sorted[lower]!;
  if (lower + 1 >= n) return below;
  const above = sorted[lower + 1]!;
  const fraction = h - lower;
  // Written so that equal neighbours give exactly that value (no rounding from the product).
  return fraction === 0 || below === above ? below : below + fraction * (above - below);
}
