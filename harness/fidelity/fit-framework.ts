import type { CostAssumptions } from '../cost/assumptions.js';
import type { Calibration } from '../cost/calibration/types.js';
import { minimize } from '../cost/calibration/nelder-mead.js';
import { gpuById } from '../cost/catalog/index.js';
import { TRAINING_ENGINE_OF_PARAMETER, type FrameworkParameterName, type FrameworkScope } from '../cost/framework/types.js';
import type { FidelityStage } from './fidelity-step.js';
import { simulateStep, type PreparedStep } from './simulate-step.js';

/**
 * Fitting a framework calibration to recorded steps: the few parameters (fitting.ts names which)
 * minimise the squared log-ratio of simulated to measured stage seconds, every run weighing the
 * same whatever its number of steps. Each parameter acts on a time component the simulation
 * computes (kernel time, per-pass overhead, per-sequence decode time), so stage times are nearly
 * linear in it: the fit linearises every step's stages around the current values by finite
 * differences of the real simulation, minimises the linearised loss (Nelder–Mead on log-values),
 * and repeats from the new values until they settle (Gauss–Newton in spirit). Every reported
 * error comes from a full simulation at the fitted values, never from the linearisation.
 */
export interface FreeParameter {
  readonly name: FrameworkParameterName;
  readonly scope: FrameworkScope;
  readonly initial: number;
  readonly lower: number;
  readonly upper: number;
}

/** The stages a fit compares (the step and the actor+critic `train` are sums of these). */
export const FITTED_STAGES: readonly FidelityStage[] = ['gen', 'old_log_prob', 'ref', 'values', 'update_critic', 'update_actor'];

const BOUNDS: Readonly<Record<FrameworkParameterName, { initial: number; lower: number; upper: number }>> = {
  fsdpKernelScale: { initial: 1.3, lower: 0.5, upper: 6 },
  megatronKernelScale: { initial: 1.3, lower: 0.5, upper: 6 },
  fsdpPassOverheadS: { initial: 0.01, lower: 1e-5, upper: 2 },
  megatronPassOverheadS: { initial: 0.01, lower: 1e-5, upper: 2 },
  decodeSequenceOverheadS: { initial: 2e-5, lower: 1e-8, upper: 2e-3 },
  decodeTpSyncOverheadS: { initial: 1e-4, lower: 1e-8, upper: 5e-3 },
  gpuKernelScale: { initial: 1.3, lower: 0.5, upper: 6 },
};

/** Whether a parameter acts on a step: its scope is the step's, and a training-engine parameter is the step's engine's. */
function acts(p: Pick<FreeParameter, 'name' | 'scope'>, step: PreparedStep): boolean {
  const engine = TRAINING_ENGINE_OF_PARAMETER[p.name];
  if (engine !== undefined && engine !== step.context.trainingEngine) return false;
  return scopeMatches(p.scope, step);
}

function scopeMatches(scope: FrameworkScope, step: PreparedStep): boolean {
  if ('all' in scope) return true;
  if ('servingEngine' in scope) return scope.servingEngine === step.context.servingEngine;
  return scope.gpu === step.context.gpuId;
}

/** GPUs whose kernel efficiencies are borrowed from a GPU of another family (their achieved efficiency is unknown until fitted). */
export function borrowsAcrossFamilies(gpuId: string): boolean {
  return gpuById(gpuId).calibrationAliasKind === 'other-family';
}

/**
 * A parameter is fitted only where at least this many recorded runs inform it: with one run it
 * cannot be scored leave-one-run-out, and one run's stage times cannot tell a kernel scale from a
 * per-pass overhead (they trade off along a ridge; the one veRL Megatron run put its kernel scale
 * on the lower bound). Where fewer runs inform it, the parameter keeps its default and the
 * calibration's `covered` leaves that configuration out, so its predictions carry a widened band.
 */
export const MIN_RUNS_PER_PARAMETER = 2;

/** The free parameters of the named kinds that the steps can inform: one per scope present in at least MIN_RUNS_PER_PARAMETER runs of the steps. */
export function freeParameters(steps: readonly PreparedStep[], names: readonly FrameworkParameterName[]): FreeParameter[] {
  const runsOf = new Map<string, { name: FrameworkParameterName; scope: FrameworkScope; runs: Set<string> }>();
  const add = (name: FrameworkParameterName, scope: FrameworkScope, run: string) => {
    const key = JSON.stringify([name, scope]);
    const entry = runsOf.get(key) ?? { name, scope, runs: new Set<string>() };
    entry.runs.add(run);
    runsOf.set(key, entry);
  };
  for (const step of steps) {
    const run = step.simulation.step.runKey;
    for (const name of names) {
      const engine = TRAINING_ENGINE_OF_PARAMETER[name];
      if (engine !== undefined) {
        if (engine === step.context.trainingEngine) add(name, { all: true }, run);
      } else if (name === 'decodeSequenceOverheadS' || name === 'decodeTpSyncOverheadS') add(name, { servingEngine: step.context.servingEngine }, run);
      else if (borrowsAcrossFamilies(step.context.gpuId)) add(name, { gpu: step.context.gpuId }, run);
    }
  }
  return [...runsOf.entries()]
    .filter(([, entry]) => entry.runs.size >= MIN_RUNS_PER_PARAMETER)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([, { name, scope }]) => ({ name, scope, ...BOUNDS[name] }));
}

/** The cost-model assumptions parameter values give one step (the parameters whose scope is the step's). */
export function stepAssumptions(step: PreparedStep, parameters: readonly FreeParameter[], values: readonly number[]): Partial<CostAssumptions> {
  const out: Partial<Record<FrameworkParameterName, number>> = {};
  parameters.forEach((p, k) => {
    if (acts(p, step)) out[p.name] = values[k]!;
  });
  return out as Partial<CostAssumptions>;
}

export interface Observation {
  readonly step: number;
  readonly stage: FidelityStage;
  readonly measuredS: number;
  readonly weight: number;
}

/** Every (step, stage) with a positive measurement; each run's observations weigh 1 in all. */
export function observationsOf(steps: readonly PreparedStep[], stages: readonly FidelityStage[] = FITTED_STAGES): Observation[] {
  const perRun = new Map<string, number>();
  const raw: Omit<Observation, 'weight'>[] = [];
  steps.forEach((step, index) => {
    for (const stage of stages) {
      const measured = step.simulation.step.measuredS[stage];
      if (measured === undefined || !(measured > 0)) continue;
      raw.push({ step: index, stage, measuredS: measured });
      const run = step.simulation.step.runKey;
      perRun.set(run, (perRun.get(run) ?? 0) + 1);
    }
  });
  return raw.map((o) => ({ ...o, weight: 1 / perRun.get(steps[o.step]!.simulation.step.runKey)! }));
}

interface Linearisation {
  readonly at: readonly number[];
  /** Per observation: value at `at` and its derivative per parameter. */
  readonly base: Float64Array;
  readonly slopes: readonly Float64Array[];
}

async function linearise(
  steps: readonly PreparedStep[],
  observations: readonly Observation[],
  parameters: readonly FreeParameter[],
  at: readonly number[],
  kernel: Calibration,
  seed: number,
  include: (o: Observation) => boolean,
): Promise<Linearisation> {
  const base = new Float64Array(observations.length);
  const slopes = parameters.map(() => new Float64Array(observations.length));
  const used = [...new Set(observations.filter(include).map((o) => o.step))];
  for (const index of used) {
    const step = steps[index]!;
    const here = (await simulateStep(step, kernel, stepAssumptions(step, parameters, at), seed)).stagesS;
    const mine = observations.map((o, i) => [o, i] as const).filter(([o]) => o.step === index);
    for (const [o, i] of mine) base[i] = here[o.stage] ?? 0;
    for (const [k, p] of parameters.entries()) {
      if (!acts(p, step)) continue;
      const delta = Math.max(at[k]! * 0.05, p.lower);
      const moved = at.map((v, j) => (j === k ? v + delta : v));
      const there = (await simulateStep(step, kernel, stepAssumptions(step, parameters, moved), seed)).stagesS;
      for (const [o, i] of mine) slopes[k]![i] = ((there[o.stage] ?? 0) - base[i]!) / delta;
    }
  }
  return { at, base, slopes };
}

function predict(lin: Linearisation, values: readonly number[], i: number): number {
  let t = lin.base[i]!;
  for (let k = 0; k < values.length; k++) t += lin.slopes[k]![i]! * (values[k]! - lin.at[k]!);
  return Math.max(t, 1e-3 * lin.base[i]!);
}

/** The weighted mean squared log-ratio of predicted to measured seconds. */
export function logLoss(observations: readonly Observation[], predicted: (i: number) => number, include: (o: Observation) => boolean = () => true): number {
  let sum = 0;
  let weight = 0;
  observations.forEach((o, i) => {
    if (!include(o)) return;
    const r = Math.log(predicted(i) / o.measuredS);
    sum += o.weight * r * r;
    weight += o.weight;
  });
  return weight > 0 ? sum / weight : 0;
}

const toX = (p: FreeParameter, v: number) => Math.log(Math.min(p.upper, Math.max(p.lower, v)));
const fromX = (p: FreeParameter, x: number) => Math.min(p.upper, Math.max(p.lower, Math.exp(x)));

function minimiseLinearised(lin: Linearisation, observations: readonly Observation[], parameters: readonly FreeParameter[], include: (o: Observation) => boolean): number[] {
  const start = lin.at.map((v, k) => toX(parameters[k]!, v));
  const objective = (x: readonly number[]) => {
    const values = x.map((xi, k) => fromX(parameters[k]!, xi));
    return logLoss(observations, (i) => predict(lin, values, i), include);
  };
  const result = minimize(objective, start, { step: 0.5, tolerance: 1e-10, maxEvaluations: 6000 });
  return result.x.map((xi, k) => fromX(parameters[k]!, xi));
}

export interface FrameworkFit {
  readonly parameters: readonly FreeParameter[];
  readonly values: readonly number[];
  /** Outer rounds run. */
  readonly rounds: number;
}

export interface FitOptions {
  readonly kernelCalibration: Calibration;
  readonly seed: number;
  /** Outer (re-linearisation) rounds; default 4. */
  readonly rounds?: number;
  /** Start here instead of the parameters' initial values (and its linearisation, if given). */
  readonly start?: readonly number[];
  readonly startLinearisation?: Linearisation;
  /** Observations outside the fit (a left-out run) — they are neither linearised nor scored. */
  readonly include?: (o: Observation) => boolean;
}

export async function fitFramework(steps: readonly PreparedStep[], observations: readonly Observation[], parameters: readonly FreeParameter[], options: FitOptions): Promise<FrameworkFit & { readonly linearisation: Linearisation }> {
  const include = options.include ?? (() => true);
  let values: readonly number[] = options.start ?? parameters.map((p) => p.initial);
  const rounds = options.rounds ?? 4;
  const relinearise = () => linearise(steps, observations, parameters, values, options.kernelCalibration, options.seed, include);
  let lin = options.startLinearisation ?? (await relinearise());
  let round = 0;
  for (; round < rounds; round++) {
    const next = minimiseLinearised(lin, observations, parameters, include);
    const moved = next.some((v, k) => Math.abs(Math.log(v / values[k]!)) > 0.01);
    values = next;
    lin = await relinearise();
    if (!moved) break;
  }
  return { parameters, values, rounds: round + 1, linearisation: lin };
}
