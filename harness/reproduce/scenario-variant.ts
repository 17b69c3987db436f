import { join } from 'node:path';
import { loadScenario } from '../scenario/loader.js';
import { patchScenario } from '../scenario/patch.js';
import type { Scenario } from '../scenario/scenario.js';
import { projectRoot } from '../util/shared-data.js';
import type { ExperimentConfig } from './experiments/types.js';

/**
 * The scenario of a reproduction configuration: its scenario file with its patch, re-validated
 * (harness/scenario/patch.ts). A sensitivity perturbation goes on top as the runner's variation
 * (harness/run/variation.ts).
 */
export async function configScenario(config: ExperimentConfig): Promise<Scenario> {
  const scenario = await loadScenario(join(projectRoot, config.scenario));
  return config.scenarioPatch ? patchScenario(scenario, config.scenarioPatch) : scenario;
}
