import { totalGpus, type Scenario } from '../scenario/scenario.js';
import type { SchedulerNotes } from '../run/notes.js';
import { runExperiment } from '../run/experiment.js';
import { summarizeResults } from '../run/summary.js';
import type { SchedulerEntry } from '../schedulers/types.js';
import type { IterationResult } from '../sim/types.js';
import type { DeviceActivity } from '../traces/gpu/device-activity.js';
import type { GpuTraceSummary } from '../traces/gpu/summarize.js';
import type { GpuTrace } from '../traces/gpu/types.js';
import type { WorkloadIteration } from '../traces/types.js';
import { replayFidelity, type Fidelity } from './fidelity.js';
import { stepMismatch, type Mismatch } from './mismatch.js';
import type { ScenarioFramework } from '../scenario/cost-model.js';
import { measureRecordedRun, type RecordedRun } from './recorded-run.js';
import { recordedCost, schedulerOutcomes, type RecordedCost, type SchedulerOutcome } from './scheduler-outcomes.js';
import type { StageMap } from './stage-map.js';
import { pairSteps, type StepPairing } from './step-pairing.js';
import { meanUtilisation, recordedUtilisation, seriesBinWidths, simulatedUtilisation, type UtilisationOverlay, type UtilisationSeries } from './utilisation.js';

/**
 * What-if replay of a recorded run: measure it from its GPU trace, simulate the same workload
 * with the baseline that matches how it ran (the fidelity of the replay), then with other
 * schedulers (what they would change). Pure: traces, scenario and cost model in, a report out.
 */
export interface WhatIfInput {
  readonly trace: GpuTrace;
  readonly summary: GpuTraceSummary;
  readonly activities: ReadonlyMap<string, DeviceActivity>;
  /** The lengths trace's iterations under the scenario (`scenarioIterations`). */
  readonly iterations: readonly WorkloadIteration[];
  readonly scenario: Scenario;
  readonly baseline: SchedulerEntry;
  /** Schedulers to compare (the baseline is added first when missing). */
  readonly schedulers: readonly SchedulerEntry[];
  readonly stageMap: StageMap;
  /** Compare at most this many steps (or simulate this many iterations when nothing is recorded per step). */
  readonly iterationLimit?: number;
  /** Utilisation bin width of every series, seconds (default: `seriesBinWidths`). */
  readonly binS?: number;
}

/** What to simulate for a what-if: the recorded run measured, its steps paired with the trace's iterations, and the schedulers in order (baseline first). */
export interface WhatIfPlan {
  readonly recorded: RecordedRun;
  readonly pairing: StepPairing;
  /** The iterations to replay: those paired with recorded steps. */
  readonly iterations: readonly WorkloadIteration[];
  readonly schedulers: readonly SchedulerEntry[];
}

export function planWhatIf(input: WhatIfInput): WhatIfPlan {
  const recorded = measureRecordedRun(input.trace, input.summary, input.stageMap);
  const pairing = pairSteps(recorded.steps, input.iterations.map((it) => it.iteration), input.iterationLimit);
  return {
    recorded,
    pairing,
    iterations: pairing.iterationIndices.map((i) => input.iterations[i]!),
    schedulers: [input.baseline, ...input.schedulers.filter((s) => s.name !== input.baseline.name)],
  };
}

/** What the replay of a plan gave: every result of the schedulers that ran (the baseline must run; others may not apply). */
export interface WhatIfSimulation {
  readonly results: readonly IterationResult[];
  readonly notApplicable: readonly NotApplicable[];
  /** What the schedulers noted, as the run collected it. */
  readonly notes: SchedulerNotes;
  /** The cost model's description. */
  readonly costModel: string;
  /** The framework calibration the cost model ran under (the bands come from it). */
  readonly framework: ScenarioFramework;
}

/**
 * Replays the plan's iterations through its schedulers with the one runner: the baseline must
 * run; any other scheduler that cannot run the scenario (an InputError) is reported, not fatal.
 */
export async function simulateWhatIf(plan: WhatIfPlan, scenario: Scenario, seed: number, onProgress?: (done: number, total: number, label: string) => void): Promise<WhatIfSimulation> {
  const baseline = plan.schedulers[0]!.name;
  const results: IterationResult[] = [];
  const outcome = await runExperiment(
    { scenario, workload: { kind: 'iterations', iterations: plan.iterations }, schedulers: plan.schedulers, seed, mayFail: (name) => name !== baseline },
    {
      result: (result, progress) => {
        results.push(result);
        onProgress?.(progress.done, progress.total, `${result.scheduler} iteration ${result.iteration}`);
      },
    },
  );
  const dropped = new Set(outcome.dropped.map((d) => d.scheduler));
  // Results in scheduler order, each scheduler's iterations in order (as if each had been replayed alone).
  const order = new Map(plan.schedulers.map((s, i) => [s.name, i]));
  const kept = results.filter((r) => !dropped.has(r.scheduler)).sort((a, b) => order.get(a.scheduler)! - order.get(b.scheduler)!);
  const notApplicable = outcome.dropped.map((d) => ({ scheduler: d.scheduler, reason: d.reason })).sort((a, b) => order.get(a.scheduler)! - order.get(b.scheduler)!);
  return { results: kept, notApplicable, notes: outcome.schedulerNotes, costModel: outcome.costModel.description, framework: outcome.framework };
}

export interface NotApplicable {
  readonly scheduler: string;
  readonly reason: string;
}

export interface WhatIfReport {
  readonly recorded: RecordedRun & { readonly perStep: RecordedCost | null };
  readonly pairing: StepPairing;
  readonly fidelity: Fidelity;
  readonly outcomes: readonly SchedulerOutcome[];
  readonly notApplicable: readonly NotApplicable[];
  readonly utilisation: UtilisationOverlay & { readonly meanUtilisation: Readonly<Record<string, number | null>> };
  /** Every simulated iteration, baseline first (for Chrome traces; left out of the JSON). */
  readonly results: readonly IterationResult[];
  /** About the inputs and how they were matched. */
  readonly notes: readonly string[];
  /** What schedulers noted while simulating (a note all of them made appears once). */
  readonly simulationNotes: readonly string[];
  /** The cost model's description. */
  readonly costModel: string;
  /** Set when the recorded step lies outside the band of its simulation: projections are then withheld unless forced. */
  readonly mismatch?: Mismatch;
}

function inputNotes(recorded: RecordedRun, summary: GpuTraceSummary, scenario: Scenario): string[] {
  const notes: string[] = [];
  const scenarioGpus = totalGpus(scenario);
  if (recorded.gpus > 0 && recorded.runGpus !== scenarioGpus) {
    notes.push(`the recorded run has ${recorded.runGpus} GPUs; the scenario simulates ${scenarioGpus}: check the scenario matches the run`);
  }
  const devices = [...new Set(summary.gpus.map((g) => g.catalogId).filter((id): id is string => id !== null))];
  if (devices.length > 0 && !devices.includes(scenario.cluster.gpu)) {
    notes.push(`the trace was recorded on ${devices.join(', ')}; the scenario simulates ${scenario.cluster.gpu}`);
  }
  return notes;
}

/** The whole what-if: plan, simulate, report. */
export async function whatIf(input: WhatIfInput & { readonly seed: number; readonly onProgress?: (done: number, total: number, label: string) => void }): Promise<WhatIfReport> {
  const plan = planWhatIf(input);
  return whatIfReport(input, plan, await simulateWhatIf(plan, input.scenario, input.seed, input.onProgress));
}

/** The what-if report of a plan and its simulation. Pure. */
export function whatIfReport(input: WhatIfInput, plan: WhatIfPlan, simulation: WhatIfSimulation): WhatIfReport {
  const { summary, scenario, baseline } = input;
  const { recorded, pairing, schedulers } = plan;
  const { results, notApplicable } = simulation;
  const ran = schedulers.filter((s) => !notApplicable.some((n) => n.scheduler === s.name)).map((s) => s.name);
  const baselineResults = results.filter((r) => r.scheduler === baseline.name);
  const fidelity = replayFidelity(baseline.name, pairing.pairs, baselineResults, recorded, input.stageMap);
  const mismatch = stepMismatch(fidelity, simulation.framework);

  const stepTimes = pairing.pairs.map((p) => p.step.durationS);
  const perStep =
    stepTimes.length > 0 && stepTimes.every((t): t is number => t !== undefined)
      ? recordedCost(stepTimes.reduce((a, b) => a + b, 0) / stepTimes.length, recorded.runGpus, scenario.cluster.priceUsdPerGpuHour)
      : null;
  const outcomes = schedulerOutcomes(summarizeResults(results), baseline.name, perStep);

  // One time axis: 0 is the start of the first compared step (or of the trace); the recording ends with the last compared step.
  const firstStep = pairing.pairs[0]?.step;
  const lastStep = pairing.pairs.at(-1)?.step;
  const originS = firstStep?.startS ?? 0;
  const endS = lastStep?.startS !== undefined && lastStep.durationS !== undefined ? lastStep.startS + lastStep.durationS : summary.spanS;
  const recordedHorizonS = Math.max(0, endS - originS);
  const simulatedHorizons = ran.map((name) => results.filter((r) => r.scheduler === name).reduce((sum, r) => sum + r.iterationTimeS, 0));
  const hasRecording = recorded.gpus > 0 && recordedHorizonS > 0;
  const horizons = [...(hasRecording ? [recordedHorizonS] : []), ...simulatedHorizons];
  const widths = input.binS !== undefined ? horizons.map(() => input.binS!) : seriesBinWidths(horizons);
  const series: UtilisationSeries[] = [];
  if (hasRecording) {
    const binS = widths[0]!;
    const utilization = recordedUtilisation(input.activities.values(), summary.spanStartS + originS, summary.spanStartS + endS, binS);
    series.push({ name: 'recorded', kind: 'recorded', gpus: recorded.gpus, horizonS: recordedHorizonS, binS, utilization });
  }
  ran.forEach((name, i) => {
    const binS = widths[(hasRecording ? 1 : 0) + i]!;
    const simulated = simulatedUtilisation(results.filter((r) => r.scheduler === name), totalGpus(scenario), binS);
    series.push({ name, kind: 'simulated', gpus: totalGpus(scenario), horizonS: simulated.horizonS, binS, utilization: simulated.utilization });
  });

  const notes = [...summary.notes, ...inputNotes(recorded, summary, scenario), ...recorded.notes, ...pairing.notes, ...fidelity.notes];
  const skipped = pairing.iterationIndices[0] ?? 0;
  if (skipped > 0) {
    notes.push(`the ${skipped} iteration${skipped === 1 ? '' : 's'} of the lengths trace before the first compared one ${skipped === 1 ? 'is' : 'are'} not simulated: schedulers that learn from earlier iterations start without ${skipped === 1 ? 'it' : 'them'}`);
  }
  for (const n of notApplicable) notes.push(`${n.scheduler} cannot run this scenario: ${n.reason}`);
  return {
    recorded: { ...recorded, perStep },
    pairing,
    fidelity,
    outcomes,
    notApplicable,
    utilisation: { series, meanUtilisation: Object.fromEntries(series.map((s) => [s.name, meanUtilisation(s)])) },
    results,
    notes,
    simulationNotes: simulation.notes.sharedThenOwn(ran, schedulers.map((s) => s.name)),
    costModel: simulation.costModel,
    ...(mismatch ? { mismatch } : {}),
  };
}
