import { gpuById } from '../cost/catalog/index.js';
import { loadCalibration } from '../cost/calibration/load.js';
import type { Calibration } from '../cost/calibration/types.js';
import type { CostAssumptions } from '../cost/assumptions.js';
import { createRooflineCostModel, type CostModelOptions } from '../cost/roofline/model.js';
import type { CostModel } from '../cost/types.js';
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

/** The cost model a scenario asks for: the roofline model of its GPU, calibrated when it names a calibration, under its serving-engine era. */
export async function scenarioCostModel(scenario: Scenario): Promise<CostModel> {
  const gpu = gpuById(scenario.cluster.gpu, { file: scenario.file ?? '(scenario)', field: 'cluster.gpu' });
  const calibration = await scenarioCalibration(scenario);
  return createRooflineCostModel(gpu, calibration, scenarioCostOptions(scenario, calibration));
}
