import { resolve } from 'node:path';
import type { CaseContext, CaseKind } from '../jobs/cases.js';
import { bandFactors, bandNote, type BandFactors } from '../fidelity/metric-bands.js';
import { runExperiment } from '../run/experiment.js';
import { loadRunInputs } from '../run/inputs.js';
import { withParameter } from '../scenario/patch.js';
import { iterationFigures, type IterationFigures } from './metrics.js';
import { resolveScheduler, SWEEP_POINT_KIND, type SweepPointCase } from './plan.js';

/** What one sweep point produces (JSON: it crosses threads and shard files). */
export interface SweepPointResult {
  readonly value: SweepPointCase['value'];
  readonly costModel: string;
  readonly iterations: readonly IterationFigures[];
  /** Notes of the replay (re-cut batches, clipped lengths) and the scheduler's, each once. */
  readonly notes: readonly string[];
  /** The 80 % band of a simulated time per stage kind, as factors (fidelity/metric-bands.ts); empty without a framework calibration. */
  readonly bandFactors: BandFactors;
  /** What the report says once about the bands; absent without a framework calibration. */
  readonly bandNote?: string;
}

/** Runs one point: the scenario with the point's value set for the scheduler's parameter, the trace streamed through the scheduler. */
export async function runSweepPoint(testCase: SweepPointCase, context: Pick<CaseContext, 'baseDir'>): Promise<SweepPointResult> {
  const entry = resolveScheduler(testCase.scheduler);
  const inputs = await loadRunInputs({
    scenario: resolve(context.baseDir, testCase.scenario),
    trace: resolve(context.baseDir, testCase.trace),
    traceShownAs: testCase.trace,
    batching: { ...(testCase.iterations !== undefined ? { iterations: testCase.iterations } : {}), keepTraceBatches: testCase.keepTraceBatches },
  });
  const scenario = withParameter(inputs.scenario, entry.name, testCase.param, testCase.value);
  const iterations: IterationFigures[] = [];
  const outcome = await runExperiment(
    { ...inputs, scenario, schedulers: [entry], seed: testCase.replaySeed },
    { result: (result) => void iterations.push(iterationFigures(result)) },
  );
  const note = bandNote(outcome.framework, [entry.name]);
  return {
    value: testCase.value,
    costModel: outcome.costModel.description,
    iterations,
    notes: [...new Set([...outcome.notes, ...outcome.schedulerNotes.distinct()])],
    bandFactors: bandFactors({ framework: outcome.framework, scheduler: entry.name }),
    ...(note ? { bandNote: note } : {}),
  };
}

export const sweepPointKind: CaseKind<SweepPointCase, SweepPointResult> = { kind: SWEEP_POINT_KIND, run: runSweepPoint };
