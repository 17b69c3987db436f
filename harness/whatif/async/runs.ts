import { resolve } from 'node:path';
import type { CaseContext, CaseKind } from '../../jobs/cases.js';
import { bandFactors, bandNote, type BandFactors } from '../../fidelity/metric-bands.js';
import { runExperiment } from '../../run/experiment.js';
import { scenarioIterations } from '../../scenario/batches.js';
import { loadScenario } from '../../scenario/loader.js';
import { withOverrides } from '../../scenario/patch.js';
import { findScheduler } from '../../schedulers/index.js';
import type { RunSpec } from '../../run/spec.js';
import type { Scenario } from '../../scenario/scenario.js';
import type { IterationResult } from '../../sim/types.js';
import type { WorkloadIteration } from '../../traces/types.js';
import { readWorkload } from '../../traces/read.js';
import { isInputError } from '../../util/input-error.js';
import { ASYNC_SCHEDULERS } from './grid.js';
import { WHATIF_ASYNC_KIND, type AsyncRunsCase, type AsyncRunSpec } from './plan.js';

/**
 * Runs one case of an asynchronous what-if: reads the scenario and the trace once, cuts the trace
 * into the scenario's batches once, then replays those iterations through the one runner
 * (`runExperiment`) once per run, each with its scheduler's parameters set over the scenario — the
 * very replay `rlhf-replay replay` does for that scheduler and scenario. A run its scheduler
 * refuses (an InputError: a layout the split cannot hold) is reported with the reason.
 */

/** The schedulers' counters a point reports (metrics/catalog.ts KNOWN_COUNTERS), mean per step. */
export const POINT_COUNTERS = [
  'policy_lag_mean_versions',
  'stale_samples_frac',
  'interrupted_sequences_frac',
  'rollouter_idle_frac',
  'trainer_idle_frac',
  'trainer_wait_s',
  'trained_tokens_per_s',
  'weight_sync_s',
] as const;
export type PointCounter = (typeof POINT_COUNTERS)[number];

/** A run's figures: means over the replayed iterations (JSON: they cross threads and shard files). */
export interface RunFigures {
  readonly iterations: number;
  /** Each iteration's step time, in replay order. */
  readonly iterationTimesS: readonly number[];
  readonly stepTimeS: number;
  /** Samples trained per step (an asynchronous window may train more than the iteration's: a local update that does not divide the batch). */
  readonly samples: number;
  readonly samplesPerS: number;
  readonly gpuSecondsAllocated: number;
  readonly costUsd: number;
  /** Counters the scheduler set (absent ones are absent: the co-located run has none). */
  readonly counters: Readonly<Partial<Record<PointCounter, number>>>;
}

export type RunResult =
  | {
      readonly id: string;
      readonly scheduler: string;
      readonly status: 'ok';
      readonly figures: RunFigures;
      /** The 80 % band of a simulated time per stage kind, as factors (fidelity/metric-bands.ts). */
      readonly bandFactors: BandFactors;
      readonly bandNote?: string;
      /** The scheduler's notes, each once. */
      readonly notes: readonly string[];
    }
  | { readonly id: string; readonly scheduler: string; readonly status: 'infeasible'; readonly reason: string };

export interface AsyncRunsResult {
  readonly costModel: string;
  /** How the trace became the iterations replayed (its notes, then the batch cut). */
  readonly inputNotes: readonly string[];
  readonly runs: readonly RunResult[];
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

export function runFigures(results: readonly IterationResult[]): RunFigures {
  const counters: Partial<Record<PointCounter, number>> = {};
  for (const name of POINT_COUNTERS) {
    const values = results.flatMap((r) => (r.counters[name] !== undefined ? [r.counters[name]!] : []));
    if (values.length > 0) counters[name] = mean(values);
  }
  return {
    iterations: results.length,
    iterationTimesS: results.map((r) => r.iterationTimeS),
    stepTimeS: mean(results.map((r) => r.iterationTimeS)),
    samples: mean(results.map((r) => r.samples)),
    samplesPerS: mean(results.map((r) => r.samplesPerS)),
    gpuSecondsAllocated: mean(results.map((r) => r.gpuSecondsAllocated)),
    costUsd: mean(results.map((r) => r.costUsd)),
    counters,
  };
}

export interface ReplayRunsInput {
  readonly scenario: Scenario;
  /** The trace's iterations under the scenario, and the notes of how they were cut. */
  readonly iterations: readonly WorkloadIteration[];
  readonly notes: readonly string[];
  readonly runs: readonly AsyncRunSpec[];
  readonly seed: number;
  /** Every scheduler of the what-if: the bands' note names those outside the calibration once for all of them. */
  readonly bandSchedulers: readonly string[];
  /** Tests only: a cost model instead of the scenario's. */
  readonly createCostModel?: RunSpec['createCostModel'];
}

/** Replays the iterations once per run, each through the one runner with its scheduler's parameters set over the scenario. */
export async function replayRuns(input: ReplayRunsInput): Promise<{ costModel: string; runs: RunResult[] }> {
  let costModel = '';
  const runs: RunResult[] = [];
  for (const run of input.runs) {
    const entry = findScheduler(run.scheduler);
    if (!entry) throw new Error(`whatif --async: unknown scheduler '${run.scheduler}'`);
    const results: IterationResult[] = [];
    try {
      const outcome = await runExperiment(
        {
          scenario: withOverrides(input.scenario, { [run.scheduler]: run.parameters }),
          workload: { kind: 'iterations', iterations: input.iterations, notes: input.notes },
          schedulers: [entry],
          seed: input.seed,
          ...(input.createCostModel ? { createCostModel: input.createCostModel } : {}),
        },
        { result: (result) => void results.push(result) },
      );
      costModel = outcome.costModel.description;
      const note = bandNote(outcome.framework, input.bandSchedulers);
      runs.push({
        id: run.id,
        scheduler: run.scheduler,
        status: 'ok',
        figures: runFigures(results),
        bandFactors: bandFactors({ framework: outcome.framework, scheduler: entry.name }),
        ...(note ? { bandNote: note } : {}),
        notes: outcome.schedulerNotes.distinct(),
      });
    } catch (error) {
      // The baseline must run (its InputError is the run's: exit 2); an asynchronous point the scheduler refuses is listed.
      if (!isInputError(error) || !(ASYNC_SCHEDULERS as readonly string[]).includes(run.scheduler)) throw error;
      runs.push({ id: run.id, scheduler: run.scheduler, status: 'infeasible', reason: error.problems.map((p) => p.message).join('; ') });
    }
  }
  return { costModel, runs };
}

export async function runAsyncCase(testCase: AsyncRunsCase, context: Pick<CaseContext, 'baseDir'>): Promise<AsyncRunsResult> {
  const scenario = await loadScenario(resolve(context.baseDir, testCase.scenario));
  const workload = await readWorkload(resolve(context.baseDir, testCase.trace));
  const batching = { ...(testCase.iterations !== undefined ? { iterations: testCase.iterations } : {}), keepTraceBatches: testCase.keepTraceBatches };
  const { iterations, notes } = scenarioIterations(workload, scenario, batching);
  const replayed = await replayRuns({ scenario, iterations, notes, runs: testCase.runs, seed: testCase.replaySeed, bandSchedulers: testCase.bandSchedulers });
  return { costModel: replayed.costModel, inputNotes: [...workload.meta.notes, ...notes], runs: replayed.runs };
}

export const asyncRunsKind: CaseKind<AsyncRunsCase, AsyncRunsResult> = { kind: WHATIF_ASYNC_KIND, run: runAsyncCase };
