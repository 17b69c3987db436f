import { join } from 'node:path';
import type { CostAssumptions } from '../cost/assumptions.js';
import { loadScenario } from '../scenario/loader.js';
import { patchScenario, withScenarioValue, withSchedulerParameter } from '../scenario/patch.js';
import type { Scenario } from '../scenario/scenario.js';
import type { SchedulerEntry } from '../schedulers/types.js';
import { projectRoot } from '../util/shared-data.js';
import type { ExperimentConfig, Perturbation } from './experiments/types.js';

/**
 * The scenario and cost assumptions one reproduction run uses: the configuration's scenario file
 * with its patch, then a sensitivity perturbation on top. Every change goes through the
 * scenario's own validation, with a provenance entry (harness/scenario/patch.ts).
 */
export async function configScenario(config: ExperimentConfig): Promise<Scenario> {
  const scenario = await loadScenario(join(projectRoot, config.scenario));
  return config.scenarioPatch ? patchScenario(scenario, config.scenarioPatch) : scenario;
}

/** The scenario under a perturbation of a scheduler or scenario assumption (others leave it as it is). */
export function perturbScenario(scenario: Scenario, entries: readonly SchedulerEntry[], perturbation: Perturbation | undefined): Scenario {
  if (perturbation?.kind === 'scheduler') return withSchedulerParameter(scenario, entries, perturbation.assumption, perturbation.value);
  if (perturbation?.kind === 'scenario') return withScenarioValue(scenario, perturbation.assumption, perturbation.value);
  return scenario;
}

/** The cost assumptions a perturbation of a cost assumption moves (none for the other kinds). */
export function perturbedCostAssumptions(perturbation: Perturbation | undefined): Partial<CostAssumptions> {
  return perturbation?.kind === 'cost' ? ({ [perturbation.assumption]: perturbation.value } as Partial<CostAssumptions>) : {};
}
