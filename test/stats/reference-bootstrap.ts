import { createRng } from '../../harness/util/rng.js';

/**
 * A deliberately plain reimplementation of the percentile bootstrap (arrays, naive sums, a
 * textbook type-7 quantile), drawing indices in the documented order, to check the library's
 * numbers against independently written code.
 */
export function referenceBootstrapInterval(
  samples: number[][],
  statistic: (resampled: number[][]) => number,
  options: { seed: number | string; resamples: number; confidence: number; paired?: boolean },
): { low: number; high: number; replicates: number[] } {
  const rng = createRng(options.seed);
  const replicates: number[] = [];
  for (let b = 0; b < options.resamples; b++) {
    let resampled: number[][];
    if (options.paired) {
      const n = samples[0]!.length;
      const picks: number[] = [];
      for (let i = 0; i < n; i++) picks.push(rng.int(n));
      resampled = samples.map((sample) => picks.map((pick) => sample[pick]!));
    } else {
      resampled = samples.map((sample) => sample.map(() => sample[rng.int(sample.length)]!));
    }
    replicates.push(statistic(resampled));
  }
  const sorted = [...replicates].sort((a, b) => a - b);
  const quantile = (p: number): number => {
    const h = (sorted.length - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
  };
  const alpha = 1 - options.confidence;
  return { low: quantile(alpha / 2), high: quantile(1 - alpha / 2), replicates };
}

export const plainMean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

export const plainMedian = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
