import { fileURLToPath } from 'node:url';
import { loadCalibration } from './calibration/load.js';
import type { Calibration } from './calibration/types.js';

/**
 * The cost layer's public entry points. Schedulers and the engine program against the contract
 * in types.ts; scenarios build a CostModel with one of the factories below.
 */

export type * from './types.js';
export { GPU_CATALOG, MODEL_CATALOG, gpuById, modelById, findGpu, findModel } from './catalog/index.js';
export { loadCustomGpu, loadCustomModel } from './catalog/custom.js';
export { createRooflineCostModel, type CalibratedCostModel, type CalibratedReplicaCost, type CostModelOptions } from './roofline/model.js';
export { createProfileCostModel, type ProfileCostModel } from './profile/model.js';
export { loadCalibration } from './calibration/load.js';
export { fitCalibration } from './calibration/fit.js';
export { measureFidelity, type FidelityReport, type FidelityRow, type FidelitySummary } from './calibration/fidelity.js';
export { classifyProfiles } from './calibration/profile-rows.js';
export { describeOrigins, type ResolvedParameters } from './calibration/resolve.js';
export type { Calibration } from './calibration/types.js';
export { DEFAULT_COST_ASSUMPTIONS, listAssumptions, withAssumption, type CostAssumptions, type NamedAssumption, type AssumptionName } from './assumptions.js';
export { createRangeCounter, describeRangeCounter, outOfRangeShare } from './range-counter.js';
export { parameterCount, weightBytes, kvBytesPerToken, kvBytesPerTokenPerGpu, weightBytesPerGpu, layersPerStage } from './model-shape.js';

/** The calibration the project ships, fitted from the public Vidur and SplitwiseSim profiles (see its provenance). */
export const DEFAULT_CALIBRATION_PATH = fileURLToPath(new URL('./calibrations/public-profiles.json', import.meta.url));

export function loadDefaultCalibration(): Promise<Calibration> {
  return loadCalibration(DEFAULT_CALIBRATION_PATH);
}
