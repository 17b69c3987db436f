import { resolve } from 'node:path';
import { replayIterations } from '../schedulers/replay.js';
import { readWorkload } from '../traces/read.js';
import { InputError } from '../util/input-error.js';
import type { CaseContext, CaseKind } from '../jobs/cases.js';
import { scenarioIterations } from '../scenario/batches.js';
import { scenarioCostModel } from '../scenario/cost-model.js';
import { loadScenario } from '../scenario/loader.js';
import type { Scenario } from '../scenario/scenario.js';
import { iterationFigures, type IterationFigures } from './metrics.js';
import { resolveScheduler, SWEEP_POINT_KIND, type SweepPointCase } from './plan.js';

/** What one sweep point produces (JSON: it crosses threads and shard files). */
export interface SweepPointResult {
  readonly value: SweepPointCase['value'];
  readonly costModel: string;
  readonly iterations: readonly IterationFigures[];
  /** Notes of the replay (re-cut batches, clipped lengths) and the scheduler's, each once. */
  readonly notes: readonly string[];
}

/** The scenario with the point's value set for the scheduler's parameter (overriding the scenario's own). */
export function withParameter(scenario: Scenario, scheduler: string, param: string, value: SweepPointCase['value']): Scenario {
  return {
    ...scenario,
    schedulerParameters: { ...scenario.schedulerParameters, [scheduler]: { ...(scenario.schedulerParameters[scheduler] ?? {}), [param]: value } },
  };
}

/** Runs one point: reads the scenario and trace, replays every iteration through the scheduler with the value set. */
export async function runSweepPoint(testCase: SweepPointCase, context: Pick<CaseContext, 'baseDir'>): Promise<SweepPointResult> {
  const entry = resolveScheduler(testCase.scheduler);
  const scenario = withParameter(await loadScenario(resolve(context.baseDir, testCase.scenario)), entry.name, testCase.param, testCase.value);
  const workload = await readWorkload(resolve(context.baseDir, testCase.trace));
  const { iterations, notes } = scenarioIterations(workload, scenario, {
    ...(testCase.iterations !== undefined ? { iterations: testCase.iterations } : {}),
    keepTraceBatches: testCase.keepTraceBatches,
  });
  if (iterations.length === 0) throw new InputError({ file: testCase.trace, message: 'has no prompt groups to replay' });
  const cost = await scenarioCostModel(scenario);
  const results = replayIterations(scenario, iterations, [entry], cost, testCase.replaySeed);
  const allNotes = [...new Set([...workload.meta.notes, ...notes, ...results.flatMap((r) => r.notes)])];
  return { value: testCase.value, costModel: cost.description, iterations: results.map(iterationFigures), notes: allNotes };
}

export const sweepPointKind: CaseKind<SweepPointCase, SweepPointResult> = { kind: SWEEP_POINT_KIND, run: runSweepPoint };
