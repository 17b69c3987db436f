import { parseScenarioObject } from './loader.js';
import type { Scenario } from './scenario.js';

/**
 * Changes to a scenario, each re-validated by the scenario's own loader (layouts must still fit,
 * every field still explained): a JSON merge patch, one dotted path set, a scheduler parameter
 * set. Sensitivity variations, sweep points and the reproduction's configurations are made of
 * these.
 */
/** A JSON value (scenario patches are plain data: they cross threads and shard files). */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** A scheduler parameter's value (as in `Scenario.schedulerParameters`). */
type AssumptionValue = number | string | boolean;

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

/** The scenario with `value` set for one scheduler's parameter (overriding the scenario's own). */
export function withParameter(scenario: Scenario, scheduler: string, param: string, value: AssumptionValue): Scenario {
  return {
    ...scenario,
    schedulerParameters: { ...scenario.schedulerParameters, [scheduler]: { ...(scenario.schedulerParameters[scheduler] ?? {}), [param]: value } },
  };
}

/** Sets a scheduler assumption for every listed scheduler that declares it. */
export function withSchedulerParameter(scenario: Scenario, entries: readonly { readonly name: string; readonly assumptions: readonly { readonly name: string }[] }[], name: string, value: AssumptionValue): Scenario {
  let out = scenario;
  for (const entry of entries) if (entry.assumptions.some((a) => a.name === name)) out = withParameter(out, entry.name, name, value);
  return out;
}

/** Scheduler parameters fixed for a run, by scheduler then parameter (e.g. a threshold curve's points). */
export type ParameterOverrides = Readonly<Record<string, Readonly<Record<string, AssumptionValue>>>>;

export function withOverrides(scenario: Scenario, overrides: ParameterOverrides): Scenario {
  let out = scenario;
  for (const scheduler of Object.keys(overrides).sort()) for (const [name, value] of Object.entries(overrides[scheduler]!)) out = withParameter(out, scheduler, name, value);
  return out;
}

/** Sets one scenario field (a dotted path) with a provenance entry saying it is a variation. */
export function withScenarioValue(scenario: Scenario, path: string, value: Json): Scenario {
  return patchScenario(scenario, mergePatch(pathPatch(path, value), { provenance: { [path]: `assumption: sensitivity variation of ${path} to ${String(value)}` } }));
}
