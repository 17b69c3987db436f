/**
 * Two-sample Kolmogorov–Smirnov distance between two sets of lengths: the largest gap between
 * their empirical CDFs. RLHFuse re-tunes its migration threshold when the lengths drift
 * (papers/rlhfuse.md §2.7); this is the drift measure (named assumption `retune-drift-ks`).
 */
export function ksDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : 1;
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let distance = 0;
  while (i < x.length && j < y.length) {
    const value = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i] === value) i++;
    while (j < y.length && y[j] === value) j++;
    distance = Math.max(distance, Math.abs(i / x.length - j / y.length));
  }
  return distance;
}
