import { gpuById } from '../cost/catalog/index.js';
import { loadCalibration } from '../cost/calibration/load.js';
import type { Calibration } from '../cost/calibration/types.js';
import type { CostAssumptions } from '../cost/assumptions.js';
import { createRooflineCostModel, type CostModelOptions } from '../cost/roofline/model.js';
import type { CostModel, GpuSpec } from '../cost/types.js';
import { resolveWrittenPath } from '../util/written-path.js';
import type { Scenario } from './scenario.js';

/** Reads and validates the scenario's calibration file (relative to the scenario file, or `package:<path>`), if it names one. */
export async function scenarioCalibration(scenario: Scenario): Promise<Calibration | undefined> {
  const written = scenario.costModel.calibration;
  if (written === undefined) return undefined;
  return loadCalibration(resolveWrittenPath(written, scenario.file));
}

/**
 * The cost-model options a scenario implies: its calibration's label and the serving-engine era it
 * names (`costModel.engine`), with `assumptions` (e.g. a sensitivity variation) on top.
 */
export function scenarioCostOptions(scenario: Scenario, calibration: Calibration | undefined, assumptions: Partial<CostAssumptions> = {}): CostModelOptions {
  return {
    ...(calibration && scenario.costModel.calibration ? { calibrationLabel: scenario.costModel.calibration } : {}),
    assumptions: { ...(scenario.costModel.engine ? { servingEngine: scenario.costModel.engine } : {}), ...assumptions },
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
}

/**
 * The cost model a scenario asks for: the roofline model of its GPU, calibrated when it names a
 * calibration (or `overrides.calibration` is given), under its serving-engine era, with
 * `overrides.assumptions` on top.
 */
export async function scenarioCostModel(scenario: Scenario, overrides: CostModelOverrides = {}): Promise<CostModel> {
  const gpu = gpuById(scenario.cluster.gpu, { file: scenario.file ?? '(scenario)', field: 'cluster.gpu' });
  const create = overrides.create ?? createRooflineCostModel;
  if (overrides.calibration) {
    const base = scenarioCostOptions(scenario, undefined, overrides.assumptions);
    return create(gpu, overrides.calibration, { ...base, ...(overrides.calibrationLabel !== undefined ? { calibrationLabel: overrides.calibrationLabel } : {}) });
  }
  const calibration = await scenarioCalibration(scenario);
  return create(gpu, calibration, scenarioCostOptions(scenario, calibration, overrides.assumptions));
}
