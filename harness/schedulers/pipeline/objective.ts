import type { ScheduleScore } from './types.js';

/** Relative tolerance under which two figures count as equal (float sums of activations, cost-model seconds). */
const RELATIVE_TOLERANCE = 1e-9;

/** -1, 0 or 1 as a is below, equal to (within tolerance) or above b. */
export function compareWithTolerance(a: number, b: number): number {
  const scale = Math.max(1, Math.abs(a), Math.abs(b));
  if (Math.abs(a - b) <= RELATIVE_TOLERANCE * scale) return 0;
  return a < b ? -1 : 1;
}

/**
 * The artifact's lexicographic objective (§3.5): makespan, then peak memory, then the sum of
 * per-node peaks, then the sum of finish times. Negative when a is better.
 */
export function compareScores(a: ScheduleScore, b: ScheduleScore): number {
  return (
    compareWithTolerance(a.makespan, b.makespan) ||
    compareWithTolerance(a.peakMemory, b.peakMemory) ||
    compareWithTolerance(a.sumNodePeakMemory, b.sumNodePeakMemory) ||
    compareWithTolerance(a.sumFinishTimes, b.sumFinishTimes)
  );
}
