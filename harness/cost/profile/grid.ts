import { sumLinearOver } from '../piecewise-sum.js';

/**
 * A measured grid: time against one key (tokens, batch, bytes, context), piecewise-linear between
 * measured points and undefined (NaN) outside them. Repeats of a point are merged by their
 * median; the values are then made non-decreasing (weighted isotonic regression), because a
 * scheduler must never find that a larger batch is faster than a smaller one by measurement noise.
 */
export class Grid1D {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly lo: number;
  readonly hi: number;

  private constructor(xs: Float64Array, ys: Float64Array) {
    this.xs = xs;
    this.ys = ys;
    this.lo = xs[0]!;
    this.hi = xs[xs.length - 1]!;
  }

  /** Builds from (x, y) points in any order; repeats of an x are merged by their median. */
  static fromPoints(points: readonly (readonly [number, number])[]): Grid1D {
    if (points.length === 0) throw new RangeError('a grid needs at least one point');
    const byX = new Map<number, number[]>();
    for (const [x, y] of points) {
      const list = byX.get(x);
      if (list) list.push(y);
      else byX.set(x, [y]);
    }
    const xs = [...byX.keys()].sort((a, b) => a - b);
    const medians = xs.map((x) => median(byX.get(x)!));
    const weights = xs.map((x) => byX.get(x)!.length);
    return new Grid1D(Float64Array.from(xs), Float64Array.from(isotonicNonDecreasing(medians, weights)));
  }

  covers(x: number): boolean {
    return x >= this.lo && x <= this.hi;
  }

  /** The interpolated value, or NaN outside the measured range. */
  at(x: number): number {
    const xs = this.xs;
    if (!(x >= this.lo && x <= this.hi)) return Number.NaN;
    let lo = 0;
    let hi = xs.length - 1;
    if (hi === 0) return this.ys[0]!;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! <= x) lo = mid;
      else hi = mid;
    }
    const x0 = xs[lo]!;
    const x1 = xs[hi]!;
    const y0 = this.ys[lo]!;
    return y0 + ((this.ys[hi]! - y0) * (x - x0)) / (x1 - x0);
  }

  /**
   * Σ_{k=0}^{n−1} at(x0 + k·dx) in closed form per segment (dx > 0); NaN if any point is outside
   * the grid. Costs one step per grid segment crossed, never one per term.
   */
  sumOverSteps(x0: number, dx: number, n: number): number {
    if (n <= 0) return 0;
    const last = x0 + dx * (n - 1);
    if (!(x0 >= this.lo && last <= this.hi)) return Number.NaN;
    const xs = this.xs;
    const ys = this.ys;
    if (xs.length === 1) return n * ys[0]!;
    let total = 0;
    let k = 0;
    for (let segment = 0; segment < xs.length - 1 && k < n; segment++) {
      const right = xs[segment + 1]!;
      // Terms with x in [left, right) use this segment's line; the last segment also takes x = right.
      // The interpolant is continuous, so a term rounded to the neighbouring segment changes nothing.
      const isLast = segment === xs.length - 2;
      const lastK = isLast ? n - 1 : Math.min(n - 1, Math.ceil((right - x0) / dx) - 1);
      if (lastK < k) continue;
      const left = xs[segment]!;
      const slope = (ys[segment + 1]! - ys[segment]!) / (right - left);
      total += sumLinearOver(ys[segment]! - slope * left, slope, x0, dx, k, lastK);
      k = lastK + 1;
    }
    return total;
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Pool-adjacent-violators: the weighted least-squares non-decreasing fit. */
export function isotonicNonDecreasing(values: readonly number[], weights: readonly number[]): number[] {
  const blockValue: number[] = [];
  const blockWeight: number[] = [];
  const blockSize: number[] = [];
  for (let i = 0; i < values.length; i++) {
    blockValue.push(values[i]!);
    blockWeight.push(weights[i]!);
    blockSize.push(1);
    while (blockValue.length > 1 && blockValue[blockValue.length - 2]! > blockValue[blockValue.length - 1]!) {
      const w2 = blockWeight.pop()!;
      const v2 = blockValue.pop()!;
      const s2 = blockSize.pop()!;
      const w1 = blockWeight[blockWeight.length - 1]!;
      const v1 = blockValue[blockValue.length - 1]!;
      blockValue[blockValue.length - 1] = (v1 * w1 + v2 * w2) / (w1 + w2);
      blockWeight[blockWeight.length - 1] = w1 + w2;
      blockSize[blockSize.length - 1]! += s2;
    }
  }
  const out: number[] = [];
  for (let b = 0; b < blockValue.length; b++) for (let i = 0; i < blockSize[b]!; i++) out.push(blockValue[b]!);
  return out;
}

/**
 * Two keys measured as a cross (one axis at a reference value of the other), as Splitwise
 * measured batch at one prompt size and prompt size at batch 1. Combined separably:
 * t(a, b) = tA(a) · tB(b) / t(a₀, b₀). In range only where both axes are.
 */
export class CrossGrid {
  constructor(
    readonly first: Grid1D,
    readonly second: Grid1D,
    readonly reference: number,
  ) {}

  covers(a: number, b: number): boolean {
    return this.first.covers(a) && this.second.covers(b);
  }

  at(a: number, b: number): number {
    return (this.first.at(a) * this.second.at(b)) / this.reference;
  }

  /** Σ over n steps with the second key growing by `db` a step, the first fixed. */
  sumOverSecond(a: number, b0: number, db: number, n: number): number {
    return (this.first.at(a) * this.second.sumOverSteps(b0, db, n)) / this.reference;
  }
}
