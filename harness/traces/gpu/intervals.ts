/**
 * Interval arithmetic on GPU timelines. A set of busy intervals is kept as one Float64Array of
 * pairs `[start0, end0, start1, end1, …]`, sorted and non-overlapping ("merged"), so a GPU with a
 * million kernels costs 16 bytes per busy run and every query is a binary search or one sweep.
 */

/** Sorted, non-overlapping, non-touching `[start, end)` pairs. */
export type MergedIntervals = Float64Array;

/**
 * The union of intervals `[starts[i], ends[i])`: overlapping streams count once.
 *
 * Sorting starts and ends separately (two native typed-array sorts, no comparator) is enough:
 * the union is where (#starts ≤ t) − (#ends ≤ t) > 0, and because every end is ≥ its own start
 * the k-th smallest end is ≥ the k-th smallest start, so the running count never goes negative.
 * Starts are taken before equal ends, so touching intervals merge into one run.
 */
export function unionOfIntervals(starts: ArrayLike<number>, ends: ArrayLike<number>, count = starts.length): MergedIntervals {
  const sortedStarts = Float64Array.from({ length: count }, (_, i) => starts[i] as number).sort();
  const sortedEnds = Float64Array.from({ length: count }, (_, i) => ends[i] as number).sort();
  const out = new Float64Array(2 * count);
  let written = 0;
  let active = 0;
  let runStart = 0;
  let i = 0;
  let j = 0;
  while (j < count) {
    if (i < count && (sortedStarts[i] as number) <= (sortedEnds[j] as number)) {
      if (active === 0) runStart = sortedStarts[i] as number;
      active++;
      i++;
    } else {
      active--;
      if (active === 0) {
        const runEnd = sortedEnds[j] as number;
        if (runEnd > runStart) {
          out[written++] = runStart;
          out[written++] = runEnd;
        }
      }
      j++;
    }
  }
  return out.slice(0, written);
}

export function totalLength(merged: MergedIntervals): number {
  let total = 0;
  for (let k = 0; k < merged.length; k += 2) total += (merged[k + 1] as number) - (merged[k] as number);
  return total;
}

/** Index of the first run whose end is > t (runs.length/2 if none). */
function firstRunEndingAfter(merged: MergedIntervals, t: number): number {
  let lo = 0;
  let hi = merged.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((merged[2 * mid + 1] as number) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Length of the union that falls inside `[from, to)`. */
export function lengthWithin(merged: MergedIntervals, from: number, to: number): number {
  if (to <= from) return 0;
  let total = 0;
  for (let run = firstRunEndingAfter(merged, from); run < merged.length / 2; run++) {
    const start = merged[2 * run] as number;
    if (start >= to) break;
    const end = merged[2 * run + 1] as number;
    total += Math.min(end, to) - Math.max(start, from);
  }
  return total;
}

export interface Gap {
  readonly startS: number;
  readonly endS: number;
}

/** Idle gaps of at least `minLength` inside `[from, to)`: the complement of the union there. */
export function gapsWithin(merged: MergedIntervals, from: number, to: number, minLength: number): Gap[] {
  const gaps: Gap[] = [];
  let cursor = from;
  for (let run = firstRunEndingAfter(merged, from); run < merged.length / 2; run++) {
    const start = merged[2 * run] as number;
    if (start >= to) break;
    if (start - cursor >= minLength && start > cursor) gaps.push({ startS: cursor, endS: start });
    cursor = Math.max(cursor, merged[2 * run + 1] as number);
  }
  if (to - cursor >= minLength && to > cursor) gaps.push({ startS: cursor, endS: to });
  return gaps;
}

/**
 * Busy fraction per bin: bin k covers `[from + k·width, from + (k+1)·width)` (the last bin is
 * cut at `to`, and its fraction is over its own, shorter, width).
 */
export function busyFractionPerBin(merged: MergedIntervals, from: number, to: number, width: number): Float64Array {
  const bins = Math.max(1, Math.ceil((to - from) / width - 1e-9));
  const out = new Float64Array(bins);
  let run = firstRunEndingAfter(merged, from);
  for (let k = 0; k < bins; k++) {
    const binStart = from + k * width;
    const binEnd = Math.min(to, binStart + width);
    let busy = 0;
    // Runs may span several bins, so walk from the current run without consuming it.
    for (let r = run; r < merged.length / 2; r++) {
      const start = merged[2 * r] as number;
      if (start >= binEnd) break;
      const end = merged[2 * r + 1] as number;
      if (end <= binStart) {
        run = r + 1;
        continue;
      }
      busy += Math.min(end, binEnd) - Math.max(start, binStart);
    }
    out[k] = binEnd > binStart ? busy / (binEnd - binStart) : 0;
  }
  return out;
}
