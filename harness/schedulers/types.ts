import type { CostModel } from '../cost/types.js';
import type { Scenario } from '../experiments/scenario.js';
import type { IterationResult } from '../sim/types.js';
import type { WorkloadIteration } from '../traces/types.js';
import type { Rng } from '../util/rng.js';

/**
 * A scheduler simulates one RLHF iteration: pure and deterministic (same inputs, same result).
 * Its own parameters come from `scenario.schedulerParameters[name]`, falling back to the
 * defaults in its `assumptions`.
 */
export type Scheduler = (scenario: Scenario, iteration: WorkloadIteration, costModel: CostModel, rng: Rng) => IterationResult;

export type AssumptionValue = number | string | boolean;

/**
 * A parameter that is neither a cited fact nor fitted from a trace, exported as data so reports
 * list it and sensitivity sweeps vary it (by name, through scenario.schedulerParameters).
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
}

export interface SchedulerEntry {
  readonly name: string;
  readonly description: string;
  /** Papers / docs the behaviour follows. */
  readonly sources: readonly string[];
  readonly assumptions: readonly SchedulerAssumption[];
  readonly run: Scheduler;
}
