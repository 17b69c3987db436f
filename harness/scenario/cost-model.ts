import { gpuById } from '../cost/catalog/index.js';
import { loadCalibration } from '../cost/calibration/load.js';
import type { Calibration } from '../cost/calibration/types.js';
import type { CostAssumptions } from '../cost/assumptions.js';
import { createRooflineCostModel, type CostModelOptions } from '../cost/roofline/model.js';
import type { CostModel, GpuSpec } from '../cost/types.js';
import { resolveWrittenPath } from '../util/written-path.js';
import { DEFAULT_COST_ASSUMPTIONS } from '../cost/assumptions.js';
import { modelById } from '../cost/catalog/index.js';
import { parameterCount } from '../cost/model-shape.js';
import { loadFrameworkCalibration } from '../cost/framework/load.js';
import { resolveFramework } from '../cost/framework/resolve.js';
import type { FrameworkCalibration, TrainingEngine } from '../cost/framework/types.js';
import { isModelPath } from '../cost/catalog/model-reference.js';
import { totalGpus, TASK_LAYOUT_NAMES, type Scenario } from './scenario.js';

/** The framework calibration a scenario gets when it names none: the one the project ships, fitted on the recorded RL runs. */
export const DEFAULT_FRAMEWORK_CALIBRATION = 'package:harness/cost/calibrations/rl-step-logs.json';

/**
 * The framework calibration a scenario runs under, resolved for it: the values its training
 * engines, serving engine and GPU get, and why it lies outside what the calibration covered
 * (each reason widens the error bands printed beside simulated times).
 */
export interface ScenarioFramework {
  readonly calibration?: FrameworkCalibration;
  /** How reports name it: its written path, or 'none'. */
  readonly label: string;
  readonly assumptions: Partial<CostAssumptions>;
  readonly outsideCalibration: readonly string[];
}

/** The training engines a scenario's layouts train on: Megatron for any TP / PP / EP split, FSDP otherwise. */
function layoutEngines(scenario: Scenario): TrainingEngine[] {
  const engines = new Set<TrainingEngine>();
  for (const name of TASK_LAYOUT_NAMES) {
    const layout = scenario.layout?.[name];
    if (layout) engines.add(layout.tp > 1 || layout.pp > 1 || (layout.ep ?? 1) > 1 ? 'megatron' : 'fsdp');
  }
  return [...engines].sort();
}

function largestModelB(scenario: Scenario): number {
  let largest = 0;
  for (const id of Object.values(scenario.models)) {
    if (id === undefined) continue;
    const spec = isModelPath(id) ? scenario.modelSpecs?.[id] : modelById(id);
    if (spec) largest = Math.max(largest, parameterCount(spec) / 1e9);
  }
  return largest;
}

/** Reads a scenario's framework calibration (`costModel.framework`, default the shipped one; 'none' for none) and resolves it for the scenario; `override` replaces the file. */
export async function scenarioFramework(scenario: Scenario, override?: FrameworkCalibration | 'none'): Promise<ScenarioFramework> {
  const written = scenario.costModel.framework ?? DEFAULT_FRAMEWORK_CALIBRATION;
  if (override === 'none' || (override === undefined && written === 'none')) return { label: 'none', assumptions: {}, outsideCalibration: [] };
  const calibration = override ?? (await loadFrameworkCalibration(resolveWrittenPath(written, scenario.file)));
  const gpu = gpuById(scenario.cluster.gpu, { file: scenario.file ?? '(scenario)', field: 'cluster.gpu' });
  const resolved = resolveFramework(calibration, {
    trainingEngines: layoutEngines(scenario),
    servingEngine: scenario.costModel.engine ?? DEFAULT_COST_ASSUMPTIONS.servingEngine,
    gpu,
    modelParametersB: largestModelB(scenario),
    gpus: totalGpus(scenario),
  });
  return { calibration, label: override ? calibration.description : written, assumptions: resolved.assumptions, outsideCalibration: resolved.outsideCalibration };
}

/** Reads and validates the scenario's calibration file (relative to the scenario file, or `package:<path>`), if it names one. */
export async function scenarioCalibration(scenario: Scenario): Promise<Calibration | undefined> {
  const written = scenario.costModel.calibration;
  if (written === undefined) return undefined;
  return loadCalibration(resolveWrittenPath(written, scenario.file));
}

/**
 * The cost-model options a scenario implies: its calibration's label, the serving-engine era it
 * names (`costModel.engine`), the framework calibration's values, the named assumptions it fixes
 * (`costModel.assumptions`), with `assumptions` (e.g. a sensitivity variation) on top.
 */
export function scenarioCostOptions(scenario: Scenario, calibration: Calibration | undefined, assumptions: Partial<CostAssumptions> = {}, framework?: ScenarioFramework): CostModelOptions {
  return {
    ...(calibration && scenario.costModel.calibration ? { calibrationLabel: scenario.costModel.calibration } : {}),
    ...(framework?.calibration ? { frameworkLabel: framework.label } : {}),
    assumptions: {
      ...(scenario.costModel.engine ? { servingEngine: scenario.costModel.engine } : {}),
      ...(framework?.assumptions ?? {}),
      ...((scenario.costModel.assumptions ?? {}) as Partial<CostAssumptions>),
      ...assumptions,
    },
  };
}

/** What a run may change about the cost model a scenario asks for. */
export interface CostModelOverrides {
  /** A kernel calibration in memory, used instead of the scenario's calibration file. */
  readonly calibration?: Calibration;
  /** How the description names that calibration (default: its own description). */
  readonly calibrationLabel?: string;
  /** Cost assumptions on top of the scenario's (a sensitivity variation, a fitted framework calibration). */
  readonly assumptions?: Partial<CostAssumptions>;
  /** The model to build (default: the roofline model); tests inject a perturbed one. */
  readonly create?: (gpu: GpuSpec, calibration: Calibration | undefined, options: CostModelOptions) => CostModel;
  /** The framework calibration, already resolved for the scenario (default: the scenario's own, read and resolved here). */
  readonly framework?: ScenarioFramework;
}

/**
 * The cost model a scenario asks for: the roofline model of its GPU, calibrated when it names a
 * calibration (or `overrides.calibration` is given), under its serving-engine era and its
 * framework calibration, with `overrides.assumptions` on top.
 */
export async function scenarioCostModel(scenario: Scenario, overrides: CostModelOverrides = {}): Promise<CostModel> {
  const gpu = gpuById(scenario.cluster.gpu, { file: scenario.file ?? '(scenario)', field: 'cluster.gpu' });
  const create = overrides.create ?? createRooflineCostModel;
  const framework = overrides.framework ?? (await scenarioFramework(scenario));
  if (overrides.calibration) {
    const base = scenarioCostOptions(scenario, undefined, overrides.assumptions, framework);
    return create(gpu, overrides.calibration, { ...base, ...(overrides.calibrationLabel !== undefined ? { calibrationLabel: overrides.calibrationLabel } : {}) });
  }
  const calibration = await scenarioCalibration(scenario);
  return create(gpu, calibration, scenarioCostOptions(scenario, calibration, overrides.assumptions, framework));
}
