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
 * between calls). The runner folds every replayed iteration (and the scheduler's own result for
 * it) into the states of the folds the scheduler declares (`SchedulerEntry.history`), so each
 * call sees a summary of everything before it in constant time and memory per iteration: RLHFuse
 * re-tunes its migration threshold on an earlier iteration's lengths, RLHFless predicts lengths
 * from each prompt's earlier lengths and pre-warms from its own earlier execution times.
 */
export interface ReplayHistory {
  /** How many iterations were replayed before this one. */
  readonly replayed: number;
  /** The state of one of the scheduler's declared folds over those iterations. */
  state<S>(fold: HistoryFold<S>): S;
}

/**
 * One thing a scheduler carries from an iteration to the next, as a fold over the replay:
 * `initial()` before the first iteration, `add` after each. A 'replay' fold reads only the
 * iterations (it is given no result), so schedulers that declare the same fold object share one
 * state; a 'scheduler' fold also reads the scheduler's own result and is kept per scheduler.
 */
export interface HistoryFold<S> {
  readonly name: string;
  readonly scope: 'replay' | 'scheduler';
  initial(): S;
  /** The state after `iteration` was replayed (with this scheduler's `result` for it, when a 'scheduler' fold and the caller has it); may update `state` in place and return it. */
  add(state: S, iteration: WorkloadIteration, result: IterationResult | undefined, scenario: Scenario): S;
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
  /** What it carries between iterations (absent: nothing; each iteration stands alone). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each fold has its own state type
  readonly history?: readonly HistoryFold<any>[];
}
