import type { Calibration } from '../cost/calibration/types.js';
import type { CostAssumptions } from '../cost/assumptions.js';
import type { FrameworkCalibration } from '../cost/framework/types.js';
import type { CostModelOverrides, ScenarioFramework } from '../scenario/cost-model.js';
import type { ScenarioIterationOptions } from '../scenario/batches.js';
import type { Scenario } from '../scenario/scenario.js';
import type { SchedulerEntry } from '../schedulers/types.js';
import type { IterationResult } from '../sim/types.js';
import type { ReadWorkloadOptions } from '../traces/read.js';
import type { Workload, WorkloadIteration, WorkloadMeta } from '../traces/types.js';
import type { SchedulerNotes } from './notes.js';
import type { SchedulerSummary } from './summary.js';

/**
 * What one experiment run is: everything `runExperiment` needs, as values. Every app builds one
 * of these (from files through `loadRunInputs`, or in code) and nothing else assembles a run.
 */
export interface RunSpec {
  /** The scenario, loaded from a file or built in code. */
  readonly scenario: Scenario;
  readonly workload: RunWorkload;
  readonly schedulers: readonly SchedulerEntry[];
  /** Seed of every random stream: each (scheduler, iteration) forks its own from it. */
  readonly seed: number;
  /** A kernel calibration in memory: used instead of the scenario's calibration file. */
  readonly calibration?: Calibration;
  /** How the cost model's description names `calibration` (default: the calibration's own description). */
  readonly calibrationLabel?: string;
  /** Cost assumptions over the scenario's and its framework calibration's (a sensitivity variation of a cost assumption). */
  readonly costAssumptions?: Partial<CostAssumptions>;
  /** A framework calibration in memory, or 'none', used instead of the scenario's `costModel.framework`. */
  readonly framework?: FrameworkCalibration | 'none';
  /** Builds the cost model instead of the roofline model (tests inject a perturbed one). */
  readonly createCostModel?: CostModelOverrides['create'];
  /**
   * Schedulers that may be unable to run the scenario: one that throws an InputError is dropped
   * (its earlier results were delivered; `sink.dropped` says so) and the others go on. Any other
   * scheduler's InputError ends the run.
   */
  readonly mayFail?: (scheduler: string) => boolean;
}

/**
 * The iterations to replay:
 * - `trace`: a response-length trace file, streamed (one iteration in memory at a time) and cut
 *   into the scenario's batches (`planBatches`);
 * - `workload`: a workload in memory (read or built in code), cut the same way;
 * - `iterations`: exactly these iterations, in this order (already cut or shaped by the caller).
 */
export type RunWorkload =
  | { readonly kind: 'trace'; readonly path: string; readonly batching?: ScenarioIterationOptions; readonly read?: ReadWorkloadOptions; /** How an error names the trace (default: `path`). */ readonly shownAs?: string }
  | { readonly kind: 'workload'; readonly workload: Workload; readonly batching?: ScenarioIterationOptions }
  | { readonly kind: 'iterations'; readonly iterations: readonly WorkloadIteration[]; readonly notes?: readonly string[] };

export interface RunProgress {
  /** Results simulated so far, this one included. */
  readonly done: number;
  /** Results the run would simulate with no scheduler dropped. */
  readonly total: number;
  /** Position of the iteration in the replay (0: the first). */
  readonly index: number;
}

/**
 * Where results go as they are simulated. `result` is called once per (iteration, scheduler),
 * iterations in order and the spec's schedulers in order within one, with the full
 * IterationResult (spans, allocations, ledger); a run keeps nothing of it once `result` returns,
 * so a sink that keeps nothing keeps the run's memory bounded by one iteration per scheduler.
 * A returned promise is awaited (back-pressure for a sink that writes).
 */
export interface RunSink {
  result?(result: IterationResult, progress: RunProgress): void | Promise<void>;
  /** A scheduler allowed to fail (`RunSpec.mayFail`) could not run: it is left out from here on. */
  dropped?(scheduler: string, reason: string): void;
}

/** What a run tells once it is over (the per-iteration results went to the sink). */
export interface RunOutcome {
  readonly scenario: Scenario;
  /** Metadata of the trace replayed (absent for `iterations` given directly). */
  readonly traceMeta?: WorkloadMeta;
  /** The cost model's description, and its queries outside the calibrated range over the run. */
  readonly costModel: { readonly description: string; readonly queries: number; readonly outOfRange: number };
  /** The framework calibration the run's cost model ran under, resolved for its scenario. */
  readonly framework: ScenarioFramework;
  /** Iterations replayed. */
  readonly iterations: number;
  /** Responses in the first iteration replayed (0 without one). */
  readonly samplesPerIteration: number;
  /** Per scheduler that ran, in the spec's order: the mean of every metric over the run. */
  readonly summaries: readonly SchedulerSummary[];
  /** About the inputs: the trace's notes, then `batchNotes`. */
  readonly notes: readonly string[];
  /** How the trace was cut into the scenario's batches (re-cut, dropped, fewer than asked). */
  readonly batchNotes: readonly string[];
  /** What the schedulers noted, each distinct (scheduler, note) once. */
  readonly schedulerNotes: SchedulerNotes;
  readonly dropped: readonly { readonly scheduler: string; readonly reason: string }[];
}
