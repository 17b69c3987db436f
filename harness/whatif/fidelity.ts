import { summarizeStageComparison, type StageComparisonRow, type StageComparisonSummary } from '../schedulers/stage-timing-comparison.js';
import type { IterationResult } from '../sim/types.js';
import type { RecordedRun } from './recorded-run.js';
import { STEP_STAGE, stageOrder, type StageMap } from './stage-map.js';
import type { StepPair } from './step-pairing.js';

/**
 * The fidelity of a replay: the baseline simulation of the recorded workload against the
 * recorded stage and step times. Error is (simulated − recorded) / recorded × 100, as in
 * `schedulers/stage-timing-comparison.ts`, whose row and summary shapes this reuses.
 */
export interface FidelityRow extends StageComparisonRow {
  /** The recorded step (`ProfilerStep#N`); `iteration` is the lengths-trace iteration it was paired with. */
  readonly step: number;
}

export interface FidelityStage extends StageComparisonSummary {
  /** Simulator tasks the stage adds up (null for the step). */
  readonly tasks: readonly string[] | null;
  /** Mean of the signed errors: the model's bias on this stage. */
  readonly meanErrorPct: number | undefined;
}

export interface Fidelity {
  readonly baseline: string;
  readonly rows: readonly FidelityRow[];
  readonly stages: readonly FidelityStage[];
  /** Simulated tasks no recorded annotation covers, with their mean simulated seconds. */
  readonly unrecordedTasks: readonly { readonly task: string; readonly simulatedMeanS: number }[];
  readonly notes: readonly string[];
}

/** Simulated seconds of a stage: the sum of its tasks' wall times; undefined when none of them ran. */
export function simulatedStageSeconds(result: IterationResult, tasks: readonly string[]): number | undefined {
  let found = false;
  let total = 0;
  for (const task of tasks) {
    const seconds = result.tasksS[task];
    if (seconds === undefined) continue;
    found = true;
    total += seconds;
  }
  return found ? total : undefined;
}

/**
 * A step time off by more than this factor is not a modelling error but a mismatch of inputs
 * (another job's trace, another scenario): said so in a note. A judgement, not a fitted value.
 */
export const IMPLAUSIBLE_STEP_RATIO = 3;

const errorPct = (simulatedS: number | undefined, recordedS: number) => (simulatedS === undefined || recordedS === 0 ? undefined : ((simulatedS - recordedS) / recordedS) * 100);
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * @param baselineResults the baseline's result for each pair, in pair order
 */
export function replayFidelity(baseline: string, pairs: readonly StepPair[], baselineResults: readonly IterationResult[], recorded: RecordedRun, map: StageMap): Fidelity {
  const tasksOf = new Map(map.stages.map((s) => [s.stage, s.tasks] as const));
  const order = stageOrder(map);
  const rows: FidelityRow[] = [];
  pairs.forEach((pair, i) => {
    const result = baselineResults[i];
    if (!result) return;
    const stages = Object.keys(pair.step.stagesS).sort((a, b) => order.indexOf(a) - order.indexOf(b));
    for (const stage of stages) {
      const recordedS = pair.step.stagesS[stage]!;
      const simulatedS = simulatedStageSeconds(result, tasksOf.get(stage) ?? []);
      rows.push({ step: pair.step.step, iteration: pair.iteration, stage, recordedS, simulatedS, errorPct: errorPct(simulatedS, recordedS) });
    }
    if (pair.step.durationS !== undefined) {
      rows.push({ step: pair.step.step, iteration: pair.iteration, stage: STEP_STAGE, recordedS: pair.step.durationS, simulatedS: result.iterationTimeS, errorPct: errorPct(result.iterationTimeS, pair.step.durationS) });
    }
  });

  const stages: FidelityStage[] = summarizeStageComparison(rows)
    .sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage))
    .map((summary) => {
      const errors = rows.filter((r) => r.stage === summary.stage && r.errorPct !== undefined).map((r) => r.errorPct!);
      return { ...summary, tasks: summary.stage === STEP_STAGE ? null : (tasksOf.get(summary.stage) ?? null), meanErrorPct: errors.length > 0 ? mean(errors) : undefined };
    });

  const notes: string[] = [];
  for (const stage of stages) {
    if (stage.simulatedMeanS === undefined) {
      notes.push(`stage '${stage.stage}' was recorded but ${baseline} runs none of its tasks (${(stage.tasks ?? []).join(', ')}): it has no simulated time`);
    }
  }
  const step = stages.find((s) => s.stage === STEP_STAGE);
  if (step?.simulatedMeanS !== undefined && step.recordedMeanS > 0) {
    const ratio = step.simulatedMeanS / step.recordedMeanS;
    if (ratio > IMPLAUSIBLE_STEP_RATIO || ratio < 1 / IMPLAUSIBLE_STEP_RATIO) {
      notes.push(
        `the simulated iterations take ${ratio.toFixed(ratio >= 10 ? 0 : 2)}× the recorded step time: the GPU trace, the lengths trace and the scenario probably do not describe the same run`,
      );
    }
  }
  const covered = new Set(stages.flatMap((s) => s.tasks ?? []));
  const taskNames = [...new Set(baselineResults.flatMap((r) => Object.keys(r.tasksS)))].sort();
  const unrecordedTasks = recorded.matchedStages.length === 0
    ? []
    : taskNames
        .filter((task) => !covered.has(task))
        .map((task) => ({ task, simulatedMeanS: mean(baselineResults.map((r) => r.tasksS[task] ?? 0)) }))
        .filter((t) => t.simulatedMeanS > 0);
  if (unrecordedTasks.length > 0) {
    notes.push(`no recorded stage covers the simulated ${unrecordedTasks.map((t) => `${t.task} (${t.simulatedMeanS.toFixed(2)} s)`).join(', ')}: they count only in the step time`);
  }
  return { baseline, rows, stages, unrecordedTasks, notes };
}
