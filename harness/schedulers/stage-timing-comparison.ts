import type { IterationResult } from '../sim/types.js';
import type { StageTimingIteration } from '../traces/types.js';

/**
 * Which simulated tasks make up each stage veRL logs as `timing_s/<stage>`. veRL's `gen` timer
 * wraps the rollout sharding manager, so it includes loading the new weights into vLLM.
 */
export const VERL_STAGE_TASKS: Readonly<Record<string, readonly string[]>> = {
  gen: ['weight-sync', 'generate'],
  generate_sequences: ['generate'],
  reward: ['reward'],
  old_log_prob: ['old_log_prob'],
  ref: ['ref'],
  values: ['values'],
  update_critic: ['update_critic'],
  update_actor: ['update_actor'],
};

export interface StageComparisonRow {
  readonly iteration: number;
  /** The logged stage name ('step' for the whole iteration). */
  readonly stage: string;
  readonly recordedS: number;
  /** Undefined when the simulation has no counterpart (e.g. veRL's `adv`, computed on the driver). */
  readonly simulatedS: number | undefined;
  /** (simulated − recorded) / recorded × 100. */
  readonly errorPct: number | undefined;
}

export interface StageComparisonSummary {
  readonly stage: string;
  readonly iterations: number;
  readonly recordedMeanS: number;
  readonly simulatedMeanS: number | undefined;
  /** Mean of |errorPct| over the iterations. */
  readonly meanAbsErrorPct: number | undefined;
}

/** Simulated seconds of a logged stage: the sum of its tasks' wall times. */
export function simulatedStageS(result: IterationResult, stage: string): number | undefined {
  if (stage === 'step') return result.iterationTimeS;
  const tasks = VERL_STAGE_TASKS[stage];
  if (!tasks) return undefined;
  let total = 0;
  for (const task of tasks) total += result.tasksS[task] ?? 0;
  return total;
}

/** Pairs recorded step i with simulated iteration i and compares every logged stage. */
export function compareStageTimings(recorded: readonly StageTimingIteration[], simulated: readonly IterationResult[]): StageComparisonRow[] {
  const rows: StageComparisonRow[] = [];
  const count = Math.min(recorded.length, simulated.length);
  for (let i = 0; i < count; i++) {
    const record = recorded[i]!;
    const result = simulated[i]!;
    const stages = Object.keys(record.stagesS).sort();
    const entries: [string, number][] = stages.map((stage) => [stage, record.stagesS[stage]!]);
    if (record.stepS !== undefined) entries.push(['step', record.stepS]);
    for (const [stage, recordedS] of entries) {
      const simulatedS = simulatedStageS(result, stage);
      rows.push({
        iteration: record.iteration,
        stage,
        recordedS,
        simulatedS,
        errorPct: simulatedS === undefined || recordedS === 0 ? undefined : ((simulatedS - recordedS) / recordedS) * 100,
      });
    }
  }
  return rows;
}

export function summarizeStageComparison(rows: readonly StageComparisonRow[]): StageComparisonSummary[] {
  const stages = [...new Set(rows.map((row) => row.stage))].sort((a, b) => (a === 'step' ? 1 : b === 'step' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return stages.map((stage) => {
    const list = rows.filter((row) => row.stage === stage);
    const simulated = list.filter((row) => row.simulatedS !== undefined);
    const errors = list.filter((row) => row.errorPct !== undefined).map((row) => Math.abs(row.errorPct!));
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    return {
      stage,
      iterations: list.length,
      recordedMeanS: mean(list.map((row) => row.recordedS)),
      simulatedMeanS: simulated.length > 0 ? mean(simulated.map((row) => row.simulatedS!)) : undefined,
      meanAbsErrorPct: errors.length > 0 ? mean(errors) : undefined,
    };
  });
}
