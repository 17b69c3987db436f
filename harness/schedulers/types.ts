import type { CostModel } from '../cost/types.js';
import type { Scenario } from '../scenario/scenario.js';
import type { IterationResult } from '../sim/types.js';
import type { WorkloadIteration } from '../traces/types.js';
import type { Rng } from '../util/rng.js';

/**
 * A scheduler simulates one RLHF iteration: pure and deterministic (same inputs, same result).
 * Its own parameters come from `scenario.schedulerParameters[name]`, falling back to the
 * defaults in its `assumptions` (resolved, typed, by its parameter set: parameters/).
 */
export type Scheduler = (scenario: Scenario, iteration: WorkloadIteration, costModel: CostModel, rng: Rng, history?: ReplayHistory) => IterationResult;

/**
 * What a scheduler may know of the replay so far, passed in explicitly (schedulers keep no state
 * between calls). RLHFuse tunes its migration threshold by offline simulation over the lengths of
 * the iterations before the current one; schedulers that need nothing ignore it.
 */
export interface ReplayHistory {
  /** The iterations replayed before this one, oldest first. */
  readonly previousIterations: readonly WorkloadIteration[];
  /**
   * This scheduler's own results for those iterations, same order (RLHFless pre-warms a function
   * from the shortest time it was needed at in earlier steps). Absent when the caller has none.
   */
  readonly previousResults?: readonly IterationResult[];
}

export type AssumptionValue = number | string | boolean;

/**
 * A scheduler parameter as data (a cited fact, a value fitted from a trace, or a named assumption;
 * its `why` says which), so reports list it and sensitivity sweeps vary it (by name, through
 * scenario.schedulerParameters). Declared with the typed helpers of parameters/ and exported by
 * the scheduler's parameter set (`SchedulerParameterSet.assumptions`).
 */
export interface SchedulerAssumption {
  readonly name: string;
  readonly value: AssumptionValue;
  readonly unit: string;
  readonly why: string;
  /** For numbers: the range a sensitivity sweep may use. */
  readonly range?: readonly [number, number];
  /** For strings: the values it may take. */
  readonly choices?: readonly string[];
  /** For numbers: only whole numbers are accepted (counts). */
  readonly integer?: boolean;
}

export interface SchedulerEntry {
  readonly name: string;
  readonly description: string;
  /** Papers / docs the behaviour follows. */
  readonly sources: readonly string[];
  readonly assumptions: readonly SchedulerAssumption[];
  readonly run: Scheduler;
}
