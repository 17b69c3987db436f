import type { CostAssumptions } from '../assumptions.js';
import type { ServingEngine } from '../engine-eras.js';
import type { GpuSpec } from '../types.js';
import { gpuFamily } from './gpu-family.js';
import { FRAMEWORK_PARAMETERS, TRAINING_ENGINE_OF_PARAMETER, type FrameworkCalibration, type FrameworkParameterName, type FrameworkScope, type TrainingEngine } from './types.js';

/** What a simulation runs on, for picking a framework calibration's values. */
export interface FrameworkContext {
  /** The training engines the simulation's schedulers train on (for saying which the calibration did not cover). */
  readonly trainingEngines: readonly TrainingEngine[];
  readonly servingEngine: ServingEngine;
  readonly gpu: Pick<GpuSpec, 'id' | 'calibrationAlias' | 'calibrationAliasKind'>;
  /** Total parameters of the largest model, billions. */
  readonly modelParametersB: number;
  readonly gpus: number;
}

export interface ResolvedFramework {
  /** Cost-model assumptions the calibration sets for this context. */
  readonly assumptions: Partial<CostAssumptions>;
  /** Why this context is outside what the calibration was fitted on (each reason widens the error band). */
  readonly outsideCalibration: readonly string[];
}

/** fsdpKernelScale and megatronKernelScale are the same quantity for two engines (likewise the pass overheads). */
function sameQuantity(a: FrameworkParameterName, b: FrameworkParameterName): boolean {
  const quantity = (name: FrameworkParameterName) => name.replace(/^(fsdp|megatron)/, '');
  return TRAINING_ENGINE_OF_PARAMETER[a] !== undefined && TRAINING_ENGINE_OF_PARAMETER[b] !== undefined && quantity(a) === quantity(b);
}

export function scopeKey(scope: FrameworkScope): string {
  if ('all' in scope) return 'all';
  const dimension = Object.keys(scope)[0]!;
  return `${dimension}=${(scope as Record<string, string>)[dimension]}`;
}

/** Scales combine geometrically, overheads arithmetically, when a value is borrowed from the fitted scopes. */
function pooled(name: FrameworkParameterName, values: readonly number[]): number {
  if (name.endsWith('Scale')) return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * The cost-model assumptions a framework calibration gives a context: each training engine's
 * values (an engine the fit never saw borrows the fitted engines' pooled value), the serving
 * engine's (or the fitted engines' pooled value), and the GPU's kernel scale where the GPU itself
 * was fitted (1 elsewhere). Every borrowed value, and a GPU family, model size or GPU count the
 * recorded runs did not cover, is listed: each widens the error band.
 */
export function resolveFramework(calibration: FrameworkCalibration, context: FrameworkContext): ResolvedFramework {
  const assumptions: Partial<Record<FrameworkParameterName, number>> = {};
  const outside: string[] = [];
  const servingUnfitted: { name: string; fittedFor: string[] }[] = [];
  const family = gpuFamily(context.gpu);
  const wanted: Readonly<Record<string, string | undefined>> = {
    servingEngine: context.servingEngine,
    gpu: context.gpu.id,
  };
  for (const name of FRAMEWORK_PARAMETERS) {
    const values = calibration.parameters.filter((p) => p.name === name);
    const engine = TRAINING_ENGINE_OF_PARAMETER[name];
    if (values.length === 0 && engine !== undefined) {
      // An engine the fit never saw borrows what the fitted engines reached for the same quantity.
      const siblings = calibration.parameters.filter((p) => p.name !== name && sameQuantity(p.name, name));
      if (siblings.length > 0) {
        assumptions[name] = pooled(name, siblings.map((p) => p.value));
        if (context.trainingEngines.includes(engine)) outside.push(`${name}: no recorded run trained on ${engine}; borrowed from ${siblings.map((p) => p.name).join(', ')}`);
      }
      continue;
    }
    if (values.length === 0) continue;
    const dimension = Object.keys(values[0]!.scope)[0]!;
    const match = values.find((p) => 'all' in p.scope || scopeKey(p.scope) === `${dimension}=${wanted[dimension]}`);
    if (match) {
      assumptions[name] = match.value;
      continue;
    }
    if (name === 'gpuKernelScale') {
      // Only GPUs that borrow another family's kernel efficiencies are fitted; a GPU with its own (or same-silicon) calibration runs at them.
      if (context.gpu.calibrationAliasKind === 'other-family') outside.push(`${context.gpu.id} borrows the kernel efficiencies of ${context.gpu.calibrationAlias} (another family) and no recorded run on it was fitted`);
      continue;
    }
    if (dimension === 'servingEngine') {
      // Host overheads belong to an engine build: an era the fit never saw keeps its own terms (one gap, however many of its terms).
      servingUnfitted.push({ name, fittedFor: values.map((v) => scopeKey(v.scope)) });
      continue;
    }
    assumptions[name] = pooled(name, values.map((v) => v.value));
    outside.push(`${name} was fitted for ${values.map((v) => scopeKey(v.scope)).join(', ')}, not ${dimension}=${wanted[dimension] ?? 'unknown'}: their pooled value is used`);
  }

  if (servingUnfitted.length > 0) {
    const fittedFor = [...new Set(servingUnfitted.flatMap((u) => u.fittedFor))].join(', ');
    outside.push(`${servingUnfitted.map((u) => u.name).join(' and ')} ${servingUnfitted.length > 1 ? 'were' : 'was'} fitted for ${fittedFor} only: serving engine ${wanted['servingEngine'] ?? 'unknown'} keeps its era’s own terms`);
  }
  const covered = calibration.covered;
  const borrowedNamed = outside.some((reason) => reason.startsWith(`${context.gpu.id} borrows`));
  if (family === undefined) outside.push(`GPU '${context.gpu.id}' belongs to no known family`);
  else if (!covered.gpuFamilies.includes(family) && !borrowedNamed) outside.push(`no recorded run on a ${family} GPU`);
  if (context.modelParametersB < covered.modelParametersB[0] || context.modelParametersB > covered.modelParametersB[1]) {
    outside.push(`model of ${round(context.modelParametersB)} B parameters, outside the calibrated ${covered.modelParametersB[0]}–${covered.modelParametersB[1]} B`);
  }
  if (context.gpus < covered.gpus[0] || context.gpus > covered.gpus[1]) outside.push(`${context.gpus} GPUs, outside the calibrated ${covered.gpus[0]}–${covered.gpus[1]}`);
  return { assumptions: assumptions as Partial<CostAssumptions>, outsideCalibration: outside };
}

const round = (x: number) => Math.round(x * 10) / 10;
