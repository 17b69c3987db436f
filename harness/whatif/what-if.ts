import type { CostModel } from '../cost/types.js';
import { totalGpus, type Scenario } from '../scenario/scenario.js';
import { replayIterations, summarizeReplay } from '../schedulers/replay.js';
import type { SchedulerEntry } from '../schedulers/types.js';
import type { IterationResult } from '../sim/types.js';
import type { DeviceActivity } from '../traces/gpu/device-activity.js';
import type { GpuTraceSummary } from '../traces/gpu/summarize.js';
import type { GpuTrace } from '../traces/gpu/types.js';
import type { WorkloadIteration } from '../traces/types.js';
import { isInputError } from '../util/input-error.js';
import { replayFidelity, type Fidelity } from './fidelity.js';
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
  readonly cost: CostModel;
  readonly baseline: SchedulerEntry;
  /** Schedulers to compare (the baseline is added first when missing). */
  readonly schedulers: readonly SchedulerEntry[];
  readonly stageMap: StageMap;
  readonly seed: number;
  /** Compare at most this many steps (or simulate this many iterations when nothing is recorded per step). */
  readonly iterationLimit?: number;
  /** Utilisation bin width of every series, seconds (default: `seriesBinWidths`). */
  readonly binS?: number;
  readonly onProgress?: (done: number, total: number, label: string) => void;
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

function simulationNotes(results: readonly IterationResult[], names: readonly string[]): string[] {
  const all = [...new Set(results.flatMap((r) => r.notes))];
  const shared = all.filter((note) => names.every((name) => results.some((r) => r.scheduler === name && r.notes.includes(note))));
  const own = [...new Set(results.flatMap((r) => r.notes.filter((n) => !shared.includes(n)).map((n) => `${r.scheduler}: ${n}`)))];
  return [...shared, ...own];
}

export function whatIf(input: WhatIfInput): WhatIfReport {
  const { summary, scenario, baseline } = input;
  const recorded = measureRecordedRun(input.trace, summary, input.stageMap);
  const pairing = pairSteps(recorded.steps, input.iterations.map((it) => it.iteration), input.iterationLimit);
  const iterations = pairing.iterationIndices.map((i) => input.iterations[i]!);

  const schedulers = [baseline, ...input.schedulers.filter((s) => s.name !== baseline.name)];
  const total = iterations.length * schedulers.length;
  const results: IterationResult[] = [];
  const notApplicable: NotApplicable[] = [];
  for (const scheduler of schedulers) {
    const before = results.length;
    try {
      // Each (scheduler, iteration) has its own random stream, so running them one scheduler at a time gives the same results as together.
      results.push(...replayIterations(scenario, iterations, [scheduler], input.cost, input.seed, (done, _t, label) => input.onProgress?.(before + done, total, label)));
    } catch (error) {
      // A scheduler that cannot run this scenario is reported, not fatal; the baseline must run.
      if (!isInputError(error) || scheduler === baseline) throw error;
      notApplicable.push({ scheduler: scheduler.name, reason: error.message });
    }
  }
  const ran = schedulers.filter((s) => !notApplicable.some((n) => n.scheduler === s.name)).map((s) => s.name);
  const baselineResults = results.filter((r) => r.scheduler === baseline.name);
  const fidelity = replayFidelity(baseline.name, pairing.pairs, baselineResults, recorded, input.stageMap);

  const stepTimes = pairing.pairs.map((p) => p.step.durationS);
  const perStep =
    stepTimes.length > 0 && stepTimes.every((t): t is number => t !== undefined)
      ? recordedCost(stepTimes.reduce((a, b) => a + b, 0) / stepTimes.length, recorded.runGpus, scenario.cluster.priceUsdPerGpuHour)
      : null;
  const outcomes = schedulerOutcomes(summarizeReplay(results), baseline.name, perStep);

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
    simulationNotes: simulationNotes(results, ran),
  };
}
