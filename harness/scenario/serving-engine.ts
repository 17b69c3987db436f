import { DEFAULT_COST_ASSUMPTIONS } from '../cost/assumptions.js';
import { servingEngineProfile, type ServingEngine, type ServingEngineEra } from '../cost/engine-eras.js';
import type { Scenario } from './scenario.js';

/**
 * The serving engine a scenario's generation runs on, and what follows from it for generation:
 * the profile (engine-eras.ts) and whether a group's samples share their prompt's prefill and KV.
 */

/** The engine the scenario names (`costModel.engine`), or the cost model's default (the calibration's engine). */
export function scenarioServingEngine(scenario: Pick<Scenario, 'costModel'>): ServingEngine {
  return scenario.costModel.engine ?? DEFAULT_COST_ASSUMPTIONS.servingEngine;
}

export function scenarioEngineProfile(scenario: Pick<Scenario, 'costModel'>): ServingEngineEra {
  return servingEngineProfile(scenarioServingEngine(scenario));
}

/** Whether the engine caches prompt prefixes: the scenario's `generation.prefixCaching`, else the profile's default. */
export function scenarioPrefixCaching(scenario: Pick<Scenario, 'costModel' | 'generation'>): boolean {
  return scenario.generation.prefixCaching ?? scenarioEngineProfile(scenario).prefixCaching;
}

/**
 * A group's samples prefill their prompt once and hold its KV once: with n-sampling
 * (`promptSharing`), or because the engine's prefix cache finds the prompt the group's first
 * request prefilled (the n copies a framework submits are identical prompts, admitted together).
 * Prefixes shared across different prompts (a common template) are not modelled here.
 */
export function scenarioSharesPrompts(scenario: Pick<Scenario, 'costModel' | 'generation'>): boolean {
  return scenario.generation.promptSharing || scenarioPrefixCaching(scenario);
}
