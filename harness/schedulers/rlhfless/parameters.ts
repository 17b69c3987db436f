import {
  ADMISSION_WATERMARK,
  booleanParameter,
  choiceParameter,
  numberParameter,
  parsedParameter,
  schedulerParameters,
  type ParameterSource,
  type ParameterValues,
  type SchedulerParameterSet,
} from '../parameters/index.js';

/**
 * RLHFless's parameters: the paper's defaults (tau, lambda, ewmaWindow), its five technique
 * switches, and every point the paper leaves open (papers/rlhfless.md §8) as a named assumption
 * that `scenario.schedulerParameters[<scheduler name>]` and `rlhf-replay sweep --param` can move.
 * The registry variants (rlhfless-naive, oracle, the ablations) fix some of them (registry.ts) and
 * then take neither those nor the parameters they leave unread from the scenario.
 */

export type GroupReduction = RlhflessValues['groupReduction'];
export type LocalityForm = RlhflessValues['localityForm'];
export type MigrationMode = RlhflessValues['migrationMode'];
export type MigrationDestination = RlhflessValues['migrationDestination'];
/** 'per-actor': RLHFless's rule; 'global-one': RLHFless's model of RLHFuse (everything to ONE actor at the threshold). */
export type MigrationScope = RlhflessValues['migrationScope'];
/** What a receiving actor's slots are: the responses it started the step with, or the engine's sequence limit. */
export type SlotCapacity = RlhflessValues['slotCapacity'];

export type PredictorSpec = { readonly kind: 'ewma' } | { readonly kind: 'oracle' } | { readonly kind: 'none' } | { readonly kind: 'noisy'; readonly accuracy: number };

export interface RlhflessTechniques {
  readonly deduplicatedPrefill: boolean;
  readonly lengthPrediction: boolean;
  readonly promptAssignment: boolean;
  readonly cutAndMigrate: boolean;
  readonly actorScaling: boolean;
}

export interface RlhflessSettings {
  readonly techniques: RlhflessTechniques;
  readonly tau: number;
  readonly lambda: number;
  readonly ewmaWindow: number;
  readonly ewmaAlpha: number;
  readonly predictor: PredictorSpec;
  readonly groupReduction: GroupReduction;
  readonly minActors: number;
  /** 0: as many as the cluster holds. */
  readonly maxActors: number;
  /** 0: derived from the prefill actor's KV cache and sequence limit. */
  readonly prefillBatchCapacity: number;
  readonly localityForm: LocalityForm;
  readonly migrationMode: MigrationMode;
  readonly migrationDestination: MigrationDestination;
  readonly migrationScope: MigrationScope;
  readonly slotCapacity: SlotCapacity;
  readonly cascade: boolean;
  readonly coldStartS: number;
  /** Negative: derived from the cost model's host link (weights, plus optimizer state for trainers). */
  readonly modelLoadS: number;
  readonly prewarmBufferS: number;
  readonly admissionWatermark: number;
}

const technique = (name: keyof RlhflessTechniques, why: string) => booleanParameter({ name, default: true, why });

/** Every RLHFless parameter with `rlhfless`'s defaults; the variants fix some (registry.ts). */
export const rlhflessParameters = {
  deduplicatedPrefill: technique('deduplicatedPrefill', 'technique 1 (RLHFless §3.1): one prefill actor computes each shared prefix once and ships its KV to the decode actors'),
  lengthPrediction: technique('lengthPrediction', "technique 2 (§3.2): EWMA of the same prompt's earlier lengths; off: every prompt gets the batch-mean prediction (no ranking)"),
  promptAssignment: technique('promptAssignment', 'technique 3 (§3.3): sort prompts by predicted length, contiguous equal-count chunks, longest to actor 1; off: contiguous chunks in trace order'),
  cutAndMigrate: technique('cutAndMigrate', 'technique 4 (§3.4): cut an actor at tau and migrate its unfinished responses to running actors with room'),
  actorScaling: technique('actorScaling', "technique 5 (§3.5): choose N in [minActors, maxActors] by lambda·time + (1−lambda)·cost; off: the scenario's generation.instances"),
  tau: numberParameter({ name: 'tau', default: 0.7, unit: "fraction of an actor's responses", why: 'cut threshold, paper default 0.7 (swept 0.3–0.9, RLHFless §3.4)', range: [0.05, 1] }),
  lambda: numberParameter({ name: 'lambda', default: 0.7, unit: 'weight of time', why: 'time weight of the scaling score, paper default 0.7 (swept 0.3–0.9, §3.5)', range: [0, 1] }),
  ewmaWindow: numberParameter({ name: 'ewmaWindow', default: 1, unit: 'epochs', why: "EWMA window over the prompt's past occurrences, paper default 1 (tested 1–4, §3.2)", range: [1, 16], integer: true }),
  ewmaAlpha: numberParameter({ name: 'ewmaAlpha', default: 0.5, unit: 'weight of the newest occurrence', why: 'EWMA smoothing for windows > 1; the paper does not give it [X]', range: [0.01, 1] }),
  predictor: parsedParameter({
    name: 'predictor',
    default: 'ewma',
    unit: 'ewma | oracle | none | noisy:<accuracy>',
    why: "'noisy:a' models a weak predictor: each prompt's prediction is its true group length with probability a, else the true length of a uniformly drawn prompt of the same batch (uninformative); a = share of exact predictions (RLHFless* is ~44 % accurate, §3.2)",
    expected: "'ewma', 'oracle', 'none' or 'noisy:<accuracy in [0, 1]>'",
    parse: parsePredictor,
  }),
  groupReduction: choiceParameter({
    name: 'groupReduction',
    default: 'max',
    unit: 'max | mean',
    why: "how a GRPO group's lengths reduce to one per-prompt value; unspecified [X]: max, because a group holds its actor until its longest sample ends",
    choices: ['max', 'mean'],
  }),
  minActors: numberParameter({ name: 'minActors', default: 1, unit: 'decode actors', why: 'N_min is "predefined" but not given (§3.5) [X]', range: [1, 4096], integer: true }),
  maxActors: numberParameter({ name: 'maxActors', default: 0, unit: 'decode actors (0: as many as the cluster holds)', why: 'N_max is not given [X]; by default every GPU may host a decode actor', range: [0, 4096], integer: true }),
  prefillBatchCapacity: numberParameter({
    name: 'prefillBatchCapacity',
    default: 0,
    unit: 'prefixes (0: derived)',
    why: 'B_prefill is profiled, value not given [X]; derived: min(max concurrent sequences, KV capacity of the prefill actor / max prompt tokens)',
    range: [0, 1_000_000],
    integer: true,
  }),
  localityForm: choiceParameter({
    name: 'localityForm',
    default: 'sum',
    unit: 'sum | max | off',
    why: "feasibility constraint on N (§3.6): 'sum' is the paper's L_Model+L_KV+L_Decode ≤ L_Prefill+L_Decode¹; 'max' the stricter max(L_Model, L_Prefill)+L_KV+L_Decode (what the simulated timeline does); 'off' drops it",
    choices: ['sum', 'max', 'off'],
  }),
  migrationMode: choiceParameter({
    name: 'migrationMode',
    default: 'kv-transfer',
    unit: 'kv-transfer | re-prefill',
    why: 'how a cut response moves (§3.4, unspecified [X]): its KV over the link, or re-prefill of prompt + partial response at the destination',
    choices: ['kv-transfer', 're-prefill'],
  }),
  migrationDestination: choiceParameter({
    name: 'migrationDestination',
    default: 'most-free-kv',
    unit: 'most-free-kv | fewest-running',
    why: "which running actor receives each migrated group (unspecified [X]); a slot is a free sequence slot plus KV room for the group's current context",
    choices: ['most-free-kv', 'fewest-running'],
  }),
  migrationScope: choiceParameter({
    name: 'migrationScope',
    default: 'per-actor',
    unit: 'per-actor | global-one',
    why: "'global-one' is RLHFless's model of RLHFuse: when tau of ALL responses are done, every actor stops and all unfinished responses move to ONE actor (§3.3)",
    choices: ['per-actor', 'global-one'],
  }),
  slotCapacity: choiceParameter({
    name: 'slotCapacity',
    default: 'assigned',
    unit: 'assigned | engine',
    why:
      "what a slot is (§3.4, unspecified [X]): 'assigned' — an actor's slots are the responses it started the step with (capped by the engine), so only finished responses free them; this is what makes a cut wait (\"with no free slot anywhere, the cut has to wait, so very early cuts seldom happen\"; \"τ ≤ 0.5 brings no further saving\", §3.4). " +
      "'engine' — the engine's max concurrent sequences (veRL's 1024): a receiver takes responses beyond its starting batch, and a cut never waits",
    choices: ['assigned', 'engine'],
  }),
  cascade: booleanParameter({ name: 'cascade', default: true, why: 'an actor that received migrated responses can itself be cut later (unspecified [X]); its threshold counts everything it was given' }),
  coldStartS: numberParameter({ name: 'coldStartS', default: 15, unit: 's', why: 'container + runtime + engine start of a function that was not pre-warmed; not quantified by the paper [X] (Ray + Docker + vLLM init is seconds to tens of seconds)', range: [0, 600] }),
  modelLoadS: numberParameter({
    name: 'modelLoadS',
    default: -1,
    unit: 's per function (negative: derived)',
    why: "loading a function's weights (and a trainer's fp32 optimizer state, 16 B/param) onto its GPUs; not quantified [X]; derived from the cost model's host-to-GPU link by default",
    range: [-1, 600],
  }),
  prewarmBufferS: numberParameter({
    name: 'prewarmBufferS',
    default: 0,
    unit: 's',
    why: "pre-warming predicts a function's next start as the shortest time it was needed at in earlier steps plus this buffer (§2); the value is not given [X]; negative warms earlier (idle GPUs billed), positive later (risk of waiting)",
    range: [-120, 120],
  }),
  admissionWatermark: { ...ADMISSION_WATERMARK, name: 'admissionWatermark', why: `${ADMISSION_WATERMARK.why}, as for the veRL baseline (RLHFless runs vLLM 0.8.3 under veRL 0.3.1)` },
};

export type RlhflessValues = ParameterValues<typeof rlhflessParameters>;
type RlhflessKey = keyof typeof rlhflessParameters;

/**
 * The parameters a variant never reads once `fixed` pins some: a technique switched off leaves its
 * own parameters unread; a fixed predictor other than EWMA leaves the EWMA's; RLHFuse's global cut
 * picks no destination and never cascades. (Switching prediction off keeps the EWMA: the batch
 * mean it predicts for every prompt is the mean of the EWMA predictions.)
 */
function unreadUnder(fixed: Partial<RlhflessValues>): RlhflessKey[] {
  const unread: RlhflessKey[] = [];
  if (fixed.lengthPrediction === false) unread.push('predictor');
  else if (fixed.predictor && fixed.predictor.kind !== 'ewma' && fixed.predictor.kind !== 'none') unread.push('ewmaWindow', 'ewmaAlpha');
  if (fixed.deduplicatedPrefill === false) unread.push('prefillBatchCapacity');
  if (fixed.cutAndMigrate === false) unread.push('tau', 'migrationMode', 'migrationDestination', 'migrationScope', 'slotCapacity', 'cascade');
  else if (fixed.migrationScope === 'global-one') unread.push('migrationDestination', 'slotCapacity', 'cascade');
  if (fixed.actorScaling === false) unread.push('lambda', 'minActors', 'maxActors');
  return unread;
}

/**
 * The parameter set of one RLHFless registry variant: `fixed` pins what defines the variant (a
 * technique off, a predictor, RLHFuse's global cut); those and the parameters they leave unread
 * are neither listed nor accepted (a scenario setting `tau` on rlhfless-no-cut gets an InputError).
 */
export function rlhflessVariantParameters(name: string, fixed: Partial<RlhflessValues> = {}): SchedulerParameterSet<typeof rlhflessParameters> {
  return schedulerParameters(name, rlhflessParameters, {
    fixed,
    unread: unreadUnder(fixed).filter((key) => !Object.hasOwn(fixed, key)),
    check: (v) => (v.maxActors !== 0 && v.maxActors < v.minActors ? { parameter: 'maxActors', message: `must be 0 or at least minActors (${v.minActors})` } : undefined),
  });
}

/** RLHFless's predictor setting: 'ewma' | 'oracle' | 'none' | 'noisy:<accuracy in [0, 1]>' (undefined for anything else). */
export function parsePredictor(text: string): PredictorSpec | undefined {
  if (text === 'ewma' || text === 'oracle' || text === 'none') return { kind: text };
  const match = /^noisy:(\d*\.?\d+)$/.exec(text);
  if (!match) return undefined;
  const accuracy = Number(match[1]);
  return accuracy >= 0 && accuracy <= 1 ? { kind: 'noisy', accuracy } : undefined;
}

/** A variant's settings for this scenario (its parameters resolved, the techniques grouped). */
export function resolveSettings(parameters: SchedulerParameterSet<typeof rlhflessParameters>, scenario: ParameterSource): RlhflessSettings {
  const { deduplicatedPrefill, lengthPrediction, promptAssignment, cutAndMigrate, actorScaling, predictor, ...rest } = parameters.resolve(scenario);
  return {
    techniques: { deduplicatedPrefill, lengthPrediction, promptAssignment, cutAndMigrate, actorScaling },
    predictor: lengthPrediction ? predictor : { kind: 'none' },
    ...rest,
  };
}
