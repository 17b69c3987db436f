import { join } from 'node:path';
import { gpuById } from '../cost/catalog/index.js';
import type { CostAssumptions } from '../cost/assumptions.js';
import { createRooflineCostModel } from '../cost/roofline/model.js';
import type { CostModel } from '../cost/types.js';
import { scenarioCalibration, scenarioCostOptions } from '../scenario/cost-model.js';
import { loadScenario, parseScenarioObject } from '../scenario/loader.js';
import type { Scenario } from '../scenario/scenario.js';
import { withParameter } from '../sweep/point.js';
import type { SchedulerEntry } from '../schedulers/types.js';
import { projectRoot } from '../util/shared-data.js';
import type { ExperimentConfig, Json, ParameterOverrides, Perturbation } from './experiments/types.js';

/**
 * The scenario, schedulers' parameters and cost model one run uses: the configuration's scenario
 * file with its patch, then a sensitivity perturbation or fixed parameters (the threshold curve)
 * on top. Every change goes through the scenario's own validation, with a provenance entry.
 */
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** JSON Merge Patch (RFC 7386), as scenario files' `extends` applies it. */
export function mergePatch(base: JsonObject, patch: { readonly [key: string]: Json }): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value) && isObject(out[key])) out[key] = mergePatch(out[key] as JsonObject, value);
    else out[key] = value as Json;
  }
  return out;
}

/** A patch setting one dotted path (e.g. 'generation.maxConcurrentSequences'). */
export function pathPatch(path: string, value: Json): JsonObject {
  const parts = path.split('.');
  let patch: Json = value;
  for (let i = parts.length - 1; i >= 0; i--) patch = { [parts[i]!]: patch };
  return patch as JsonObject;
}

/** Applies a patch and re-validates the result (layouts must still fit, every field still explained). */
export function patchScenario(scenario: Scenario, patch: { readonly [key: string]: Json }): Scenario {
  const { file, ...content } = scenario;
  const merged = mergePatch(content as unknown as JsonObject, patch);
  const checked = parseScenarioObject(merged, file ?? '(scenario)');
  return file !== undefined ? { ...checked, file } : checked;
}

export async function configScenario(config: ExperimentConfig): Promise<Scenario> {
  const scenario = await loadScenario(join(projectRoot, config.scenario));
  return config.scenarioPatch ? patchScenario(scenario, config.scenarioPatch) : scenario;
}

/** Sets a scheduler assumption for every listed scheduler that declares it. */
export function withSchedulerParameter(scenario: Scenario, entries: readonly SchedulerEntry[], name: string, value: Json): Scenario {
  let out = scenario;
  for (const entry of entries) if (entry.assumptions.some((a) => a.name === name)) out = withParameter(out, entry.name, name, value as string | number | boolean);
  return out;
}

export function withOverrides(scenario: Scenario, overrides: ParameterOverrides): Scenario {
  let out = scenario;
  for (const scheduler of Object.keys(overrides).sort()) for (const [name, value] of Object.entries(overrides[scheduler]!)) out = withParameter(out, scheduler, name, value);
  return out;
}

export function perturbScenario(scenario: Scenario, entries: readonly SchedulerEntry[], perturbation: Perturbation | undefined): Scenario {
  if (!perturbation) return scenario;
  if (perturbation.kind === 'scheduler') return withSchedulerParameter(scenario, entries, perturbation.assumption, perturbation.value);
  if (perturbation.kind === 'scenario') {
    const path = perturbation.assumption;
    return patchScenario(scenario, mergePatch(pathPatch(path, perturbation.value), { provenance: { [path]: `assumption: sensitivity variation of ${path} to ${String(perturbation.value)}` } }));
  }
  return scenario;
}

/** The scenario's calibrated roofline cost model, with a cost assumption moved when the perturbation is one. */
export async function runCostModel(scenario: Scenario, perturbation: Perturbation | undefined): Promise<CostModel> {
  const gpu = gpuById(scenario.cluster.gpu, { file: scenario.file ?? '(scenario)', field: 'cluster.gpu' });
  const calibration = await scenarioCalibration(scenario);
  const assumptions: Partial<CostAssumptions> = perturbation?.kind === 'cost' ? { [perturbation.assumption]: perturbation.value } : {};
  return createRooflineCostModel(gpu, calibration, scenarioCostOptions(scenario, calibration, assumptions));
}
