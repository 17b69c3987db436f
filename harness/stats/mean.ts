/**
 * Arithmetic mean, summed with Neumaier's compensation so long runs of timings do not drift.
 * Empty input is a RangeError: a mean of nothing is a bug upstream, not a number.
 */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) throw new RangeError('mean of an empty sample');
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    const total = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - total + value : value - total + sum;
    sum = total;
  }
  return (sum + compensation) / n;
}
