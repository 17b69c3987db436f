/**
 * An exact histogram of non-negative whole numbers (token counts). Memory grows with the number
 * of distinct values, not with the number of samples — a 1.5M-sample trace capped at 16k tokens
 * needs at most 16k entries — yet every quantile and tail share is exact.
 */
export class CountHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private sumValue = 0;
  private maxValue = -Infinity;

  add(value: number, times = 1): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + times);
    this.total += times;
    this.sumValue += value * times;
    if (value > this.maxValue) this.maxValue = value;
  }

  get count(): number {
    return this.total;
  }

  get sum(): number {
    return this.sumValue;
  }

  get max(): number {
    return this.total === 0 ? Number.NaN : this.maxValue;
  }

  get mean(): number {
    return this.total === 0 ? Number.NaN : this.sumValue / this.total;
  }

  /** Distinct values ascending with their counts. */
  entries(): [value: number, count: number][] {
    return [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
  }

  /**
   * The q-quantile with linear interpolation between order statistics (numpy's default, R type 7):
   * h = (n − 1)·q, result = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) over the sorted samples x.
   */
  quantile(q: number): number {
    return this.quantiles([q])[0]!;
  }

  quantiles(qs: readonly number[]): number[] {
    if (this.total === 0) return qs.map(() => Number.NaN);
    const sorted = this.entries();
    return qs.map((q) => {
      const h = (this.total - 1) * q;
      const lower = Math.floor(h);
      const low = valueAtRank(sorted, lower);
      const high = lower + 1 < this.total ? valueAtRank(sorted, lower + 1) : low;
      return low + (h - lower) * (high - low);
    });
  }

  /**
   * The fraction of the sum held by the largest ⌈fraction·n⌉ samples (at least one): how much of
   * all response tokens the longest 1 % or 10 % of samples hold. 0 when the sum is 0.
   */
  topShare(fraction: number): number {
    if (this.total === 0 || this.sumValue === 0) return 0;
    let remaining = Math.max(1, Math.ceil(fraction * this.total));
    let held = 0;
    const sorted = this.entries();
    for (let i = sorted.length - 1; i >= 0 && remaining > 0; i--) {
      const [value, count] = sorted[i]!;
      const take = Math.min(count, remaining);
      held += value * take;
      remaining -= take;
    }
    return held / this.sumValue;
  }
}

function valueAtRank(sorted: readonly [number, number][], rank: number): number {
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (rank < seen) return value;
  }
  return sorted[sorted.length - 1]![0];
}
