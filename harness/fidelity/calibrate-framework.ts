import type { Calibration } from '../cost/calibration/types.js';
import { gpuById } from '../cost/catalog/index.js';
import { gpuFamily } from '../cost/framework/gpu-family.js';
import { TRAINING_ENGINE_OF_PARAMETER, type FrameworkCalibration, type FrameworkParameterName, type GpuFamily, type StageErrorSummary, type TrainingEngine } from '../cost/framework/types.js';
import type { ServingEngine } from '../cost/engine-eras.js';
import { errorBand, insideBand } from './bands.js';
import { compareStages, summariseByStage, type FidelityRow } from './compare.js';
import { fitFramework, freeParameters, logLoss, observationsOf, stepAssumptions, type FreeParameter } from './fit-framework.js';
import type { FidelityStage } from './fidelity-step.js';
import { simulateStep, stepFramework, type PreparedStep } from './simulate-step.js';

/**
 * `calibrate --runs`: fits a framework calibration to the recorded steps whose workload was
 * measured, and scores it leave-one-run-out — each run (one log or one source table, never one
 * step) predicted by a fit on the other runs. Several candidate parameter sets are fitted; the
 * one with the lowest leave-one-run-out loss is kept (fewer parameters that generalise beat more
 * that fit). Steps whose workload had to be assumed are never fitted on.
 */
export const CANDIDATE_PARAMETER_SETS: readonly (readonly FrameworkParameterName[])[] = [
  ['fsdpKernelScale', 'megatronKernelScale', 'decodeSequenceOverheadS'],
  ['fsdpKernelScale', 'megatronKernelScale', 'decodeSequenceOverheadS', 'gpuKernelScale'],
  ['fsdpKernelScale', 'megatronKernelScale', 'fsdpPassOverheadS', 'megatronPassOverheadS', 'decodeSequenceOverheadS', 'gpuKernelScale'],
  ['fsdpKernelScale', 'megatronKernelScale', 'fsdpPassOverheadS', 'megatronPassOverheadS', 'decodeSequenceOverheadS', 'decodeTpSyncOverheadS', 'gpuKernelScale'],
];

export interface CandidateScore {
  readonly parameters: readonly FrameworkParameterName[];
  readonly inSampleLoss: number;
  readonly leaveOneRunOutLoss: number;
}

export interface FrameworkCalibrationResult {
  readonly calibration: FrameworkCalibration;
  /** Every fitted step simulated at the final values. */
  readonly inSampleRows: readonly FidelityRow[];
  /** Every fitted step predicted by the fit that left its run out. */
  readonly leaveOneRunOutRows: readonly FidelityRow[];
  readonly candidates: readonly CandidateScore[];
}

export interface CalibrateOptions {
  readonly kernelCalibration: Calibration;
  readonly seed: number;
  readonly sources: readonly string[];
  readonly command: string;
  readonly description?: string;
  readonly onProgress?: (done: number, total: number, label: string) => void;
}

/**
 * What a calibration covers: the GPU families, model sizes and GPU counts of its steps, and the
 * training and serving engines some fitted parameter acts on (an engine whose parameters were
 * left at their defaults, too few runs informing them, is not covered).
 */
function covered(steps: readonly PreparedStep[], parameters: readonly FreeParameter[]): FrameworkCalibration['covered'] {
  const families = new Set<GpuFamily>();
  const engines = new Set<TrainingEngine>();
  const serving = new Set<ServingEngine>();
  let minB = Infinity;
  let maxB = 0;
  let minG = Infinity;
  let maxG = 0;
  for (const step of steps) {
    const family = gpuFamily(gpuById(step.context.gpuId));
    if (family) families.add(family);
    if (parameters.some((p) => TRAINING_ENGINE_OF_PARAMETER[p.name] === step.context.trainingEngine)) engines.add(step.context.trainingEngine);
    if (parameters.some((p) => 'servingEngine' in p.scope && p.scope.servingEngine === step.context.servingEngine)) serving.add(step.context.servingEngine);
    minB = Math.min(minB, step.context.modelParametersB);
    maxB = Math.max(maxB, step.context.modelParametersB);
    minG = Math.min(minG, step.context.gpus);
    maxG = Math.max(maxG, step.context.gpus);
  }
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    gpuFamilies: [...families].sort(),
    trainingEngines: [...engines].sort(),
    servingEngines: [...serving].sort(),
    modelParametersB: [r(minB), r(maxB)],
    gpus: [minG, maxG],
  };
}

function asCalibration(steps: readonly PreparedStep[], parameters: readonly FreeParameter[], values: readonly number[]): FrameworkCalibration {
  return {
    kind: 'framework-calibration',
    description: '',
    parameters: parameters.map((p, k) => ({
      name: p.name,
      scope: p.scope,
      value: values[k]!,
      runs: [...new Set(steps.filter((s) => Object.keys(stepAssumptions(s, [p], [values[k]!])).length > 0).map((s) => s.simulation.step.runKey))].sort(),
    })),
    fit: { sources: [], runs: [], steps: 0, stages: [], method: '', command: '' },
    inSample: {},
    leaveOneRunOut: {},
    folds: [],
    bandCoverage: {},
    covered: covered(steps, parameters),
    notes: [],
  };
}

/** Simulates steps under a framework calibration (its values resolved for each step) and compares every stage. */
export async function simulateUnder(steps: readonly PreparedStep[], calibration: FrameworkCalibration | undefined, kernel: Calibration, seed: number): Promise<{ rows: FidelityRow[]; outside: string[][] }> {
  const rows: FidelityRow[] = [];
  const outside: string[][] = [];
  for (const step of steps) {
    const resolved = calibration ? stepFramework(step, calibration) : { assumptions: {}, outsideCalibration: [] };
    const simulated = await simulateStep(step, kernel, resolved.assumptions, seed);
    rows.push(...compareStages(step.simulation.step.id, step.simulation.step.measuredS, simulated.stagesS, step.workload.inferred));
    outside.push([...resolved.outsideCalibration]);
  }
  return { rows, outside };
}

function rowLoss(rows: readonly FidelityRow[], steps: readonly PreparedStep[]): number {
  const stages = new Set<FidelityStage>(['gen', 'old_log_prob', 'ref', 'values', 'update_critic', 'update_actor']);
  const runOf = new Map(steps.map((s) => [s.simulation.step.id, s.simulation.step.runKey]));
  const perRun = new Map<string, number>();
  const kept = rows.filter((r) => stages.has(r.stage));
  for (const r of kept) perRun.set(runOf.get(r.runId)!, (perRun.get(runOf.get(r.runId)!) ?? 0) + 1);
  let sum = 0;
  let weight = 0;
  for (const r of kept) {
    const w = 1 / perRun.get(runOf.get(r.runId)!)!;
    const l = Math.log(r.simulatedS / r.measuredS);
    sum += w * l * l;
    weight += w;
  }
  return weight > 0 ? sum / weight : 0;
}

interface CandidateFit {
  readonly names: readonly FrameworkParameterName[];
  readonly parameters: readonly FreeParameter[];
  readonly values: readonly number[];
  readonly inSampleLoss: number;
  readonly looRows: readonly FidelityRow[];
  readonly looLoss: number;
  readonly folds: FrameworkCalibration['folds'];
}

async function fitCandidate(steps: readonly PreparedStep[], names: readonly FrameworkParameterName[], options: CalibrateOptions, progress: () => void): Promise<CandidateFit> {
  const observations = observationsOf(steps);
  const parameters = freeParameters(steps, names);
  const global = await fitFramework(steps, observations, parameters, { kernelCalibration: options.kernelCalibration, seed: options.seed });
  progress();
  const inSampleLoss = logLoss(observations, (i) => {
    const o = observations[i]!;
    return global.linearisation.base[i]! || o.measuredS;
  });
  const runs = [...new Set(steps.map((s) => s.simulation.step.runKey))].sort();
  const looRows: FidelityRow[] = [];
  const folds: { heldOutRun: string; parameters: FrameworkCalibration['parameters'] }[] = [];
  for (const run of runs) {
    const foldSteps = steps.filter((s) => s.simulation.step.runKey !== run);
    const heldOut = steps.filter((s) => s.simulation.step.runKey === run);
    const foldParameters = freeParameters(foldSteps, names);
    const start = foldParameters.map((p) => {
      const k = parameters.findIndex((q) => q.name === p.name && JSON.stringify(q.scope) === JSON.stringify(p.scope));
      return k >= 0 ? global.values[k]! : p.initial;
    });
    const foldObservations = observationsOf(foldSteps);
    const fold = await fitFramework(foldSteps, foldObservations, foldParameters, { kernelCalibration: options.kernelCalibration, seed: options.seed, start, rounds: 2 });
    const foldCalibration = asCalibration(foldSteps, foldParameters, fold.values);
    folds.push({ heldOutRun: run, parameters: foldCalibration.parameters });
    looRows.push(...(await simulateUnder(heldOut, foldCalibration, options.kernelCalibration, options.seed)).rows);
    progress();
  }
  return { names, parameters, values: global.values, inSampleLoss, looRows, looLoss: rowLoss(looRows, steps), folds };
}

/** Share of each run's left-out rows inside the 80 % band built from the other runs' left-out errors. */
export function bandCoverage(looRows: readonly FidelityRow[], runOf: (runId: string) => string): Record<string, { n: number; inside: number }> {
  const out: Record<string, { n: number; inside: number }> = {};
  for (const row of looRows) {
    const others = looRows.filter((r) => r.stage === row.stage && runOf(r.runId) !== runOf(row.runId));
    if (others.length < 3) continue;
    const summary = summariseByStage(others)[row.stage]!;
    const entry = (out[row.stage] ??= { n: 0, inside: 0 });
    entry.n++;
    if (insideBand(errorBand(row.simulatedS, summary), row.measuredS)) entry.inside++;
  }
  return out;
}

export async function calibrateFramework(steps: readonly PreparedStep[], options: CalibrateOptions): Promise<FrameworkCalibrationResult> {
  const eligible = steps.filter((s) => !s.workload.inferred);
  if (eligible.length === 0) throw new RangeError('no recorded step with a measured workload to calibrate on');
  const runs = [...new Set(eligible.map((s) => s.simulation.step.runKey))].sort();
  const total = CANDIDATE_PARAMETER_SETS.length * (runs.length + 1);
  let done = 0;
  const candidates: CandidateFit[] = [];
  for (const names of CANDIDATE_PARAMETER_SETS) candidates.push(await fitCandidate(eligible, names, options, () => options.onProgress?.(++done, total, `${names.join('+')}`)));
  const best = candidates.reduce((a, b) => (b.looLoss < a.looLoss - 1e-12 ? b : a));
  const runOf = new Map(eligible.map((s) => [s.simulation.step.id, s.simulation.step.runKey]));
  const base = asCalibration(eligible, best.parameters, best.values);
  const inSample = (await simulateUnder(eligible, base, options.kernelCalibration, options.seed)).rows;
  const stagesFitted = ['gen', 'old_log_prob', 'ref', 'values', 'update_critic', 'update_actor'];
  const calibration: FrameworkCalibration = {
    ...base,
    description: options.description ?? `veRL framework calibration fitted on ${runs.length} recorded runs (${eligible.length} steps)`,
    fit: {
      sources: options.sources,
      runs,
      steps: eligible.length,
      stages: stagesFitted,
      method: `per-stage squared log-ratio of simulated to measured seconds, each run weighing 1; Gauss–Newton-style re-linearisation of full simulations with Nelder–Mead on log-values; parameter set chosen by leave-one-run-out loss among ${CANDIDATE_PARAMETER_SETS.length} candidates`,
      command: options.command,
    },
    inSample: summariseByStage(inSample) as Record<string, StageErrorSummary>,
    leaveOneRunOut: summariseByStage(best.looRows) as Record<string, StageErrorSummary>,
    folds: best.folds,
    bandCoverage: bandCoverage(best.looRows, (id) => runOf.get(id)!),
    notes: [
      `candidate parameter sets (leave-one-run-out loss, mean squared log-ratio): ${candidates.map((c) => `${c.names.join(' + ')} ${c.looLoss.toFixed(4)}`).join('; ')}; kept ${best.names.join(' + ')}`,
      `steps with an assumed workload are not fitted on: ${steps.filter((s) => s.workload.inferred).map((s) => s.simulation.step.id).join(', ') || 'none'}`,
    ],
  };
  return {
    calibration,
    inSampleRows: inSample,
    leaveOneRunOutRows: best.looRows,
    candidates: candidates.map((c) => ({ parameters: c.names, inSampleLoss: c.inSampleLoss, leaveOneRunOutLoss: c.looLoss })),
  };
}
