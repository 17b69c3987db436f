import { stableHash32 } from '../../util/rng.js';
import { validateSchedule } from '../pipeline/validate.js';
import type { TaskRef } from '../pipeline/types.js';
import type { FusedLayout } from './fused-pipeline/layout.js';
import { searchFusedSchedule } from './fused-pipeline/search.js';

/**
 * RLHFuse finds a fused actor/critic schedule offline, once per configuration, and reuses it
 * every iteration (papers/rlhfuse.md §3.9). Here: searched once per reference problem (the
 * pipeline shape with the reference stage times, see `search-reference-sequence`) and memoised.
 *
 * The memo is a pure function's: the search is deterministic (seeded from the problem, stopped
 * by an evaluation count, never a clock), so a hit returns exactly what a fresh search would; it
 * only saves time across iterations, schedulers and sweep points of one process. Bounded, keyed
 * on the problem's full JSON.
 */
export interface CachedFusedSchedule {
  readonly orders: readonly (readonly TaskRef[])[];
  readonly makespan: number;
  readonly peakMemory: number;
  readonly greedyMakespan: number;
  readonly lowerBound: number;
  readonly withinMemoryLimit: boolean;
}

const MEMO_ENTRIES = 64;
const memo = new Map<string, CachedFusedSchedule>();

export function fusedScheduleFor(layout: FusedLayout, evaluations: number): CachedFusedSchedule {
  const key = JSON.stringify({ problem: layout.problem, evaluations });
  const hit = memo.get(key);
  if (hit) return hit;
  const result = searchFusedSchedule(layout, {
    seed: stableHash32(key),
    latencyEvaluations: evaluations,
    // Memory is a cap here, not the goal (the schedule already respects it): the memory pass gets a twentieth.
    memoryEvaluations: Math.floor(evaluations / 20),
  });
  // The independent validator must accept what the search hands the scheduler.
  const report = validateSchedule(layout.problem, result.best.orders);
  if (!report.valid && result.best.withinMemoryLimit) throw new Error(`fused schedule search returned an invalid schedule: ${report.problems.slice(0, 3).join('; ')}`);
  const entry: CachedFusedSchedule = {
    orders: result.best.orders,
    makespan: result.best.score.makespan,
    peakMemory: result.best.score.peakMemory,
    greedyMakespan: result.greedy.score.makespan,
    lowerBound: result.bounds.lowerBound,
    withinMemoryLimit: result.best.withinMemoryLimit,
  };
  if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
  memo.set(key, entry);
  return entry;
}
