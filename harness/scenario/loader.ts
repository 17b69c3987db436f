import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_COST_ASSUMPTIONS } from '../cost/assumptions.js';
import { findGpu, findModel, GPU_CATALOG, MODEL_CATALOG } from '../cost/catalog/index.js';
import { isModelPath, loadModelReferences, type LoadedModels } from '../cost/catalog/model-reference.js';
import type { ModelSpec } from '../cost/types.js';
import { parseJsonText } from '../util/json-input.js';
import { InputError, type InputProblem } from '../util/input-error.js';
import { isPackagePath, pathFixHint, resolveWrittenPath, restatePath } from '../util/written-path.js';
import { leafPaths, SCENARIO_SPEC, validateAgainstSpec } from './schema.js';
import { totalGpus, TASK_LAYOUT_NAMES, type Scenario } from './scenario.js';

interface SourceText {
  readonly file: string;
  readonly text: string;
}

type JsonObject = Record<string, unknown>;

/** Line and column of a field path in a JSON text: each key searched after its parent's. */
export function locatePath(text: string, path: readonly string[]): { line?: number; column?: number } {
  let from = 0;
  let found = -1;
  for (const key of path) {
    const pattern = new RegExp(`"${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`, 'g');
    pattern.lastIndex = from;
    const match = pattern.exec(text);
    if (!match) break;
    found = match.index;
    from = match.index + match[0].length;
  }
  if (found < 0) return {};
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < found; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: found - lineStart + 1 };
}

async function readSource(path: string, referencedFrom?: SourceText): Promise<SourceText> {
  try {
    return { file: path, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? String(error)})`;
    if (referencedFrom) {
      const written = extendsOf(referencedFrom.text) ?? path;
      throw new InputError({ file: referencedFrom.file, ...locatePath(referencedFrom.text, ['extends']), field: 'extends', value: written, message: `scenario: ${reason} (${path}): ${pathFixHint("'extends'", referencedFrom.file)}` });
    }
    throw new InputError({ file: path, message: `scenario: ${reason}` });
  }
}

/** The `extends` a scenario text writes (for messages), if it parses. */
function extendsOf(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return isObject(value) && typeof value['extends'] === 'string' ? value['extends'] : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Deep merge in JSON Merge Patch style (RFC 7386): objects merge key by key, null removes the key,
 * anything else in `over` replaces. Records which source gave each path.
 */
function mergeInto(base: JsonObject, over: JsonObject, source: SourceText, origins: Map<string, SourceText>, prefix: string[]): JsonObject {
  const out: JsonObject = { ...base };
  for (const key of Object.keys(over)) {
    const path = [...prefix, key];
    const value = over[key];
    if (value === null) delete out[key];
    else if (isObject(value) && isObject(out[key])) out[key] = mergeInto(out[key] as JsonObject, value, source, origins, path);
    else {
      out[key] = value;
      markOrigins(value, source, origins, path);
    }
  }
  return out;
}

function markOrigins(value: unknown, source: SourceText, origins: Map<string, SourceText>, path: string[]): void {
  origins.set(path.join('.'), source);
  if (isObject(value)) for (const key of Object.keys(value)) markOrigins(value[key], source, origins, [...path, key]);
}

async function loadMerged(path: string, origins: Map<string, SourceText>, chain: string[], referencedFrom?: SourceText): Promise<{ value: JsonObject; source: SourceText }> {
  const absolute = resolve(path);
  const source = await readSource(path, referencedFrom);
  if (chain.includes(absolute)) {
    throw new InputError({ file: source.file, ...locatePath(source.text, ['extends']), field: 'extends', value: path, message: `scenario: 'extends' forms a cycle (${[...chain, absolute].join(' → ')})` });
  }
  const parsed = parseJsonText(source.file, source.text, 'scenario').value;
  if (!isObject(parsed)) throw new InputError({ file: source.file, line: 1, column: 1, value: parsed, message: 'scenario: expected a JSON object' });
  let base: JsonObject = {};
  const parent = parsed['extends'];
  if (parent !== undefined) {
    if (typeof parent !== 'string' || parent.trim() === '') {
      throw new InputError({ file: source.file, ...locatePath(source.text, ['extends']), field: 'extends', value: parent, message: 'must be a path to another scenario file' });
    }
    base = (await loadMerged(resolveWrittenPath(parent, path), origins, [...chain, absolute], source)).value;
  }
  return { value: mergeInto(base, parsed, source, origins, []), source };
}

function originOf(origins: Map<string, SourceText>, path: readonly string[], fallback: SourceText): SourceText {
  for (let length = path.length; length > 0; length--) {
    const origin = origins.get(path.slice(0, length).join('.'));
    if (origin) return origin;
  }
  return fallback;
}

/**
 * Reads a scenario file (following `extends`), validates every field against the schema and the
 * catalog, checks the layouts fit the cluster, and checks every field has a provenance entry.
 * All problems are reported at once, each with its file, line, column, field and value.
 */
export async function loadScenario(path: string): Promise<Scenario> {
  const origins = new Map<string, SourceText>();
  const { value, source } = await loadMerged(path, origins, []);
  delete value['extends'];
  delete value['$schema'];
  // Models named by a config.json path are read relative to the file that names them.
  const models = (isObject(value['models']) ? value['models'] : {}) as Record<string, unknown>;
  const loaded: Record<string, ModelSpec> = {};
  const problems: InputProblem[] = [];
  for (const role of MODEL_ROLES) {
    const reference = models[role];
    if (typeof reference !== 'string' || !isModelPath(reference) || loaded[reference]) continue;
    const origin = originOf(origins, ['models', role], source);
    const site = { file: origin.file, ...locatePath(origin.text, ['models', role]), field: `models.${role}` };
    try {
      Object.assign(loaded, await loadModelReferences([reference], origin.file, () => site));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  problems.push(...(await restateCalibration(value, source, origins)));
  if (problems.length > 0) throw new InputError(problems);
  const modelSpecs = Object.keys(loaded).length > 0 ? loaded : undefined;
  return checkScenario(value, source, origins, modelSpecs);
}

/**
 * `costModel.calibration` and `costModel.framework` are written relative to the file that writes
 * them (or as `package:<path>`; the framework calibration also as 'none'). When a parent scenario
 * (`extends`) wrote one, it is restated for the loaded file — its `package:` form inside the
 * package, else relative to the loaded file — so the Scenario's path means the same file wherever
 * the scenario came from. A path naming no file is reported at the field, with the fix.
 */
async function restateCalibration(value: JsonObject, main: SourceText, origins: Map<string, SourceText>): Promise<InputProblem[]> {
  const problems: InputProblem[] = [];
  for (const key of ['calibration', 'framework'] as const) {
    const costModel = value['costModel'];
    if (!isObject(costModel) || typeof costModel[key] !== 'string' || costModel[key].trim() === '' || (key === 'framework' && costModel[key] === 'none')) continue;
    const written = costModel[key];
    const origin = originOf(origins, ['costModel', key], main);
    const target = resolveWrittenPath(written, origin.file);
    const site = { file: origin.file, ...locatePath(origin.text, ['costModel', key]), field: `costModel.${key}`, value: written };
    try {
      if (!(await stat(target)).isFile()) {
        problems.push({ ...site, message: `is a directory, not a calibration file (${target})` });
        continue;
      }
    } catch {
      problems.push({ ...site, message: `file not found (${target}): ${pathFixHint(`costModel.${key}`, origin.file)}` });
      continue;
    }
    if (origin.file !== main.file && !isPackagePath(written)) value['costModel'] = { ...costModel, [key]: restatePath(written, origin.file, main.file) };
  }
  return problems;
}

const MODEL_ROLES = ['actor', 'critic', 'ref', 'reward'] as const;

/** Which model each task layout runs. */
const LAYOUT_ROLE = { actorTrain: 'actor', criticTrain: 'critic', actorInference: 'actor', ref: 'ref', reward: 'reward', criticInference: 'critic' } as const;

/** Validates an already-parsed scenario object (used by loadScenario and by tests). */
export function parseScenarioObject(value: unknown, file = '(scenario)', text = ''): Scenario {
  const source = { file, text };
  if (!isObject(value)) throw new InputError({ file, value, message: 'scenario: expected a JSON object' });
  const copy = { ...value };
  delete copy['extends'];
  delete copy['$schema'];
  // A Scenario object carries the file it came from and the models it read; re-validating one is allowed.
  delete copy['file'];
  const modelSpecs = copy['modelSpecs'] as LoadedModels | undefined;
  delete copy['modelSpecs'];
  return checkScenario(copy, source, new Map(), modelSpecs ?? {});
}

/** `modelSpecs`: the models read from config.json paths (undefined: none named). */
function checkScenario(value: JsonObject, main: SourceText, origins: Map<string, SourceText>, modelSpecs?: LoadedModels): Scenario {
  const problems: InputProblem[] = [];
  const at = (path: readonly string[]) => {
    const origin = originOf(origins, path, main);
    return { file: origin.file, ...locatePath(origin.text, path) };
  };
  const problem = (path: readonly string[], shown: unknown, message: string) => problems.push({ ...at(path), field: path.join('.'), value: shown, message });
  // Locations come from the file that gave each field; problems carry that file.
  const located: InputProblem[] = [];
  validateAgainstSpec(value, SCENARIO_SPEC, [], main.file, (path) => at(path), located);
  for (const p of located) problems.push({ ...p, file: originOf(origins, (p.field ?? '').split('.'), main).file });
  if (problems.length > 0) throw new InputError(problems);

  const scenario = value as unknown as Scenario;
  if (!findGpu(scenario.cluster.gpu)) problem(['cluster', 'gpu'], scenario.cluster.gpu, `unknown GPU id; the catalog has ${GPU_CATALOG.map((g) => g.id).join(', ')}`);
  for (const [name, assumed] of Object.entries(scenario.costModel.assumptions ?? {})) {
    const known = (DEFAULT_COST_ASSUMPTIONS as unknown as Record<string, unknown>)[name];
    if (known === undefined) problem(['costModel', 'assumptions', name], assumed, `is not a cost assumption (known: ${Object.keys(DEFAULT_COST_ASSUMPTIONS).join(', ')})`);
    else if (name === 'servingEngine') problem(['costModel', 'assumptions', name], assumed, 'name the serving engine in costModel.engine');
    else if (typeof assumed !== typeof known) problem(['costModel', 'assumptions', name], assumed, `must be a ${typeof known}`);
  }
  const modelOf = (role: (typeof MODEL_ROLES)[number]): ModelSpec | undefined => {
    const id = scenario.models[role];
    return id === undefined ? undefined : isModelPath(id) ? modelSpecs?.[id] : findModel(id);
  };
  for (const role of MODEL_ROLES) {
    const id = scenario.models[role];
    if (id === undefined) continue;
    if (isModelPath(id)) {
      if (!modelSpecs?.[id]) problem(['models', role], id, 'a config.json path is read only when the scenario is loaded from its file (loadScenario)');
    } else if (!findModel(id)) problem(['models', role], id, `unknown model id; the catalog has ${MODEL_CATALOG.map((m) => m.id).join(', ')} (or give a path to a Hugging Face config.json)`);
  }
  const ppo = scenario.algorithm.kind === 'ppo';
  const wholeIteration = scenario.scope === 'iteration';
  if (wholeIteration && scenario.layout === undefined) problem(['layout'], undefined, "is missing: scope 'iteration' needs a parallel layout per task");
  if (ppo && wholeIteration) {
    if (scenario.models.critic === undefined) problem(['models', 'critic'], undefined, 'PPO needs a critic model');
    if (scenario.layout?.criticTrain === undefined) problem(['layout', 'criticTrain'], undefined, 'PPO needs a critic training layout');
    if (scenario.layout?.criticInference === undefined) problem(['layout', 'criticInference'], undefined, 'PPO needs a critic inference layout');
  } else if (!ppo) {
    if (scenario.models.critic !== undefined) problem(['models', 'critic'], scenario.models.critic, 'GRPO has no critic; remove it (null in a file that extends another)');
    if (scenario.layout?.criticTrain !== undefined) problem(['layout', 'criticTrain'], 'present', 'GRPO has no critic; remove it');
    if (scenario.layout?.criticInference !== undefined) problem(['layout', 'criticInference'], 'present', 'GRPO has no critic; remove it');
  }
  if (scenario.layout !== undefined && (scenario.models.reward === undefined) !== (scenario.layout.reward === undefined)) {
    problem(['layout', 'reward'], scenario.layout.reward === undefined ? undefined : 'present', 'give a reward layout exactly when models.reward names a reward model');
  }
  const gpus = totalGpus(scenario);
  for (const name of TASK_LAYOUT_NAMES) {
    const layout = scenario.layout?.[name];
    if (!layout) continue;
    const cp = layout.cp ?? 1;
    const used = layout.tp * layout.pp * cp * layout.dp;
    if (used > gpus) problem(['layout', name], cp > 1 ? `${layout.tp}×${layout.pp}×${cp}×${layout.dp}` : `${layout.tp}×${layout.pp}×${layout.dp}`, `needs ${used} GPUs (tp × pp${cp > 1 ? ' × cp' : ''} × dp) but the cluster has ${gpus}`);
    if (layout.tp > scenario.cluster.gpusPerNode) problem(['layout', name, 'tp'], layout.tp, `TP groups must fit in a node of ${scenario.cluster.gpusPerNode} GPUs`);
    if ((layout.vpp ?? 1) > 1 && layout.pp < 2) problem(['layout', name, 'vpp'], layout.vpp, 'virtual pipeline chunks need pp of at least 2');
    const ep = layout.ep ?? 1;
    if (ep > 1) {
      const model = modelOf(LAYOUT_ROLE[name]);
      if ((layout.tp * cp * layout.dp) % ep !== 0) problem(['layout', name, 'ep'], ep, `must divide the tp × cp × dp = ${layout.tp * cp * layout.dp} GPUs of a pipeline stage`);
      if (model && !model.moe) problem(['layout', name, 'ep'], ep, `expert parallelism needs an MoE model; ${model.id} is dense`);
      else if (model?.moe && model.moe.experts % ep !== 0) problem(['layout', name, 'ep'], ep, `must divide ${model.id}'s ${model.moe.experts} experts`);
    }
  }
  const generationGpus = scenario.generation.tp * scenario.generation.instances;
  if (generationGpus > gpus) problem(['generation', 'instances'], scenario.generation.instances, `${scenario.generation.instances} instances × TP ${scenario.generation.tp} need ${generationGpus} GPUs but the cluster has ${gpus}`);
  if (scenario.generation.tp > scenario.cluster.gpusPerNode) problem(['generation', 'tp'], scenario.generation.tp, `TP groups must fit in a node of ${scenario.cluster.gpusPerNode} GPUs`);
  if (scenario.batch.miniBatchPrompts > scenario.batch.prompts) problem(['batch', 'miniBatchPrompts'], scenario.batch.miniBatchPrompts, `is larger than batch.prompts (${scenario.batch.prompts})`);

  // Provenance: every entry well-formed and about a real field; every field explained.
  const leaves = leafPaths(scenario, SCENARIO_SPEC).filter((path) => path !== 'name' && path !== 'description' && !path.startsWith('provenance.'));
  const leafSet = new Set(leaves);
  const isPrefixOfLeaf = (path: string) => leafSet.has(path) || leaves.some((leaf) => leaf.startsWith(`${path}.`));
  for (const key of Object.keys(scenario.provenance).sort()) {
    const text = scenario.provenance[key]!;
    if (!/^(fact|fitted|assumption):\s*\S/s.test(text)) problem(['provenance', key], text, 'must start with "fact:", "fitted:" or "assumption:" followed by the source or the reason');
    if (!isPrefixOfLeaf(key)) problem(['provenance', key], key, 'names no field of this scenario');
  }
  for (const leaf of leaves) {
    let covered = false;
    for (let at2 = leaf; ; ) {
      if (Object.hasOwn(scenario.provenance, at2)) {
        covered = true;
        break;
      }
      const dot = at2.lastIndexOf('.');
      if (dot < 0) break;
      at2 = at2.slice(0, dot);
    }
    if (!covered) problem(leaf.split('.'), leaf, 'has no provenance: add "provenance": { "<path>": "fact: …" | "fitted: …" | "assumption: …" } for it or a parent path');
  }
  if (problems.length > 0) throw new InputError(problems);
  return { ...scenario, file: main.file, ...(modelSpecs && Object.keys(modelSpecs).length > 0 ? { modelSpecs } : {}) };
}
