import { benchSuites } from '../../bench/index.js';
import type { BenchSuite } from '../../bench/types.js';
import type { Calibration } from '../../cost/calibration/types.js';
import { createRooflineCostModel, type CostModelOptions } from '../../cost/roofline/model.js';
import type { CostModel, GpuSpec } from '../../cost/types.js';

/**
 * What the nightly case kinds build on that a test may swap: the cost-model factory (a test
 * injects a perturbed one to check that a change in the cost model is caught as a regression,
 * test/nightly/fixtures/perturbed-kinds.ts) and the bench suites (a test injects synthetic ones
 * instead of timing anything). Production uses the roofline model, as scenarios do, and the
 * registered bench suites.
 */
export interface NightlyDependencies {
  createCostModel(gpu: GpuSpec, calibration: Calibration | undefined, options: CostModelOptions): CostModel;
  readonly benchSuites: readonly BenchSuite[];
}

export const DEFAULT_DEPENDENCIES: NightlyDependencies = { createCostModel: createRooflineCostModel, benchSuites };
