import { locatePath } from '../scenario/loader.js';
import { parseJsonText } from '../util/json-input.js';
import { VERL_STAGE_TASKS } from '../schedulers/stage-timing-comparison.js';
import { InputError, type InputProblem } from '../util/input-error.js';

/**
 * How the names a recorded run annotated (torch.profiler `record_function` ranges, veRL
 * `marked_timer` names, worker method names) map onto stages the simulator can time. A stage is a
 * row of the fidelity table; its simulated seconds are the sum of the wall times of its tasks
 * (`IterationResult.tasksS`, the task names schedulers record on their spans).
 */
export interface StageDefinition {
  /** The stage's row name; veRL's `timing_s/<stage>` names where veRL has one. */
  readonly stage: string;
  /** Simulator tasks whose wall seconds add up to the stage. */
  readonly tasks: readonly string[];
  /** Annotation names that mean this stage (lower case, leading underscores removed). */
  readonly aliases: readonly string[];
  readonly why: string;
}

const fromVerl = (stage: string): readonly string[] => VERL_STAGE_TASKS[stage] ?? [stage];

/**
 * The default table, in the order an iteration runs. veRL names come from its trainer's
 * `marked_timer` blocks (`gen`, `reward`, `old_log_prob`, `ref`, `values`, `update_critic`,
 * `update_actor`) and its workers' methods (`generate_sequences`, `compute_log_prob`,
 * `compute_ref_log_prob`, `compute_values`, `compute_rm_score`); OpenRLHF names from its
 * experience maker and trainer (`generate_samples`, `_broadcast_to_vllm`, `training_step_actor`,
 * `training_step_critic`). The simulated tasks of veRL's names are the ones
 * `schedulers/stage-timing-comparison.ts` compares veRL logs with.
 */
export const DEFAULT_STAGES: readonly StageDefinition[] = [
  {
    stage: 'weight_sync',
    tasks: ['weight-sync'],
    aliases: ['weight_sync', 'weight-sync', 'sync_weights', 'update_weights', 'sync_rollout_weights', 'update_rollout_weights', 'broadcast_to_vllm'],
    why: "loading the trained actor's weights into the generation engine (OpenRLHF _broadcast_to_vllm, veRL's rollout sharding manager)",
  },
  {
    stage: 'gen',
    tasks: fromVerl('gen'),
    aliases: ['gen'],
    why: "veRL's `gen` timer wraps the rollout sharding manager: weight load into vLLM, then generation",
  },
  {
    stage: 'generate_sequences',
    tasks: fromVerl('generate_sequences'),
    aliases: ['generate_sequences', 'generate', 'generate_samples'],
    why: 'generation only (veRL rollout.generate_sequences, OpenRLHF generate_samples); map it to `gen` with --stage-map if your range also holds the weight load',
  },
  {
    stage: 'reward',
    tasks: fromVerl('reward'),
    aliases: ['reward', 'compute_rm_score', 'compute_reward', 'reward_fn', 'compute_score'],
    why: 'reward model forward or rule-based reward',
  },
  {
    stage: 'old_log_prob',
    tasks: fromVerl('old_log_prob'),
    aliases: ['old_log_prob', 'compute_log_prob', 'compute_old_log_prob'],
    why: "the actor's log-probs of the generated tokens, recomputed before the update",
  },
  {
    stage: 'ref',
    tasks: fromVerl('ref'),
    aliases: ['ref', 'compute_ref_log_prob', 'ref_log_prob', 'compute_ref'],
    why: 'reference-policy log-probs (KL term)',
  },
  {
    stage: 'values',
    tasks: fromVerl('values'),
    aliases: ['values', 'compute_values', 'compute_value'],
    why: 'critic forward (PPO)',
  },
  {
    stage: 'update_critic',
    tasks: fromVerl('update_critic'),
    aliases: ['update_critic', 'training_step_critic', 'critic_train'],
    why: 'critic training (PPO)',
  },
  {
    stage: 'update_actor',
    tasks: fromVerl('update_actor'),
    aliases: ['update_actor', 'training_step_actor', 'actor_train'],
    why: 'actor training',
  },
];

/** The row name of a whole iteration (ProfilerStep#N against IterationResult.iterationTimeS). */
export const STEP_STAGE = 'step';

export interface StageMap {
  readonly stages: readonly StageDefinition[];
  /** Annotation names (normalised) given in a --stage-map file: a stage name, or null (never matched). */
  readonly overrides: ReadonlyMap<string, string | null>;
  /** 'default', or the --stage-map file. */
  readonly source: string;
}

export interface StageMatch {
  readonly stage: string;
  readonly tasks: readonly string[];
  readonly via: 'default' | 'stage-map';
}

export const DEFAULT_STAGE_MAP: StageMap = { stages: DEFAULT_STAGES, overrides: new Map(), source: 'default' };

/** Lower case, trimmed, leading underscores dropped (`_broadcast_to_vllm`). */
function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/^_+/, '');
}

/**
 * The names an annotation is looked up under: the whole name, then its last segment after `/`,
 * `.` or `::` (`timing_s/gen`, `ActorRolloutRefWorker.update_actor`, `verl::compute_values`).
 */
export function annotationKeys(name: string): string[] {
  const whole = normalise(name);
  const segments = whole.split(/[/.:]+/).filter((s) => s !== '');
  const last = segments.length > 0 ? normalise(segments[segments.length - 1]!) : whole;
  return last === whole ? [whole] : [whole, last];
}

/**
 * The stage an annotation name means, or undefined. A --stage-map entry wins over the defaults
 * (and `null` there keeps a name unmatched); the whole name is tried before its last segment.
 */
export function matchAnnotation(map: StageMap, name: string): StageMatch | undefined {
  const keys = annotationKeys(name);
  const stageByName = (stage: string) => map.stages.find((s) => s.stage === stage);
  for (const key of keys) {
    if (!map.overrides.has(key)) continue;
    const target = map.overrides.get(key);
    if (target === null || target === undefined) return undefined;
    const definition = stageByName(target);
    return definition ? { stage: definition.stage, tasks: definition.tasks, via: 'stage-map' } : undefined;
  }
  for (const key of keys) {
    const definition = map.stages.find((s) => s.aliases.includes(key));
    if (definition) return { stage: definition.stage, tasks: definition.tasks, via: 'default' };
  }
  return undefined;
}

/** Stage names in table order: the map's stages as listed, then the step. */
export function stageOrder(map: StageMap): string[] {
  return [...map.stages.map((s) => s.stage), STEP_STAGE];
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses a --stage-map file:
 * `{ "stages": { "<annotation name>": "<stage>" | ["<task>", …] | null } }`.
 * A string maps the name onto a known stage (the defaults, or one this file defines); an array
 * makes the name a stage of its own whose simulated time is the sum of those tasks (an existing
 * stage's name redefines its tasks); null keeps the name unmatched. Every problem is reported
 * with its line and column.
 */
export function parseStageMap(file: string, text: string, base: StageMap = DEFAULT_STAGE_MAP): StageMap {
  const { value } = parseJsonText(file, text, 'stage map');
  const at = (path: string[]) => ({ file, ...locatePath(text, path) });
  if (!isObject(value)) throw new InputError({ file, line: 1, column: 1, value, message: 'stage map: expected a JSON object { "stages": { "<annotation>": "<stage>" | ["<task>", …] | null } }' });
  const unknownKeys = Object.keys(value).filter((key) => key !== 'stages' && key !== '$comment');
  const problems: InputProblem[] = unknownKeys.map((key) => ({ ...at([key]), field: key, value: key, message: 'unknown key; a stage map has "stages" (and an optional "$comment")' }));
  const entries = value['stages'];
  if (!isObject(entries)) {
    problems.push({ ...at(['stages']), field: 'stages', value: entries, message: 'must be an object of annotation name → stage name, list of simulator tasks, or null' });
    throw new InputError(problems);
  }
  const stages = [...base.stages];
  const overrides = new Map(base.overrides);
  // Arrays first, so a string entry may name a stage the same file defines.
  for (const [name, target] of Object.entries(entries)) {
    if (!Array.isArray(target)) continue;
    const where = { ...at(['stages', name]), field: `stages.${name}` };
    const tasks = target.filter((t): t is string => typeof t === 'string' && t.trim() !== '');
    if (target.length === 0 || tasks.length !== target.length) {
      problems.push({ ...where, value: target, message: 'a list of simulator tasks must hold at least one non-empty task name (e.g. ["ref", "values"])' });
      continue;
    }
    const key = normalise(name);
    const existing = stages.findIndex((s) => s.stage === key);
    const definition: StageDefinition = { stage: key, tasks, aliases: existing >= 0 ? stages[existing]!.aliases : [], why: `from ${file}` };
    if (existing >= 0) stages[existing] = definition;
    else stages.push(definition);
    overrides.set(key, key);
  }
  for (const [name, target] of Object.entries(entries)) {
    if (Array.isArray(target)) continue;
    const where = { ...at(['stages', name]), field: `stages.${name}` };
    if (target === null) overrides.set(normalise(name), null);
    else if (typeof target === 'string') {
      const stage = normalise(target);
      if (!stages.some((s) => s.stage === stage)) {
        problems.push({ ...where, value: target, message: `names no stage; known stages: ${stages.map((s) => s.stage).join(', ')} (or give a list of simulator tasks)` });
      } else overrides.set(normalise(name), stage);
    } else problems.push({ ...where, value: target, message: 'must be a stage name, a list of simulator tasks, or null' });
  }
  if (problems.length > 0) throw new InputError(problems);
  return { stages, overrides, source: file };
}
