import type { Scenario } from '../../scenario/scenario.js';
import { InputError } from '../../util/input-error.js';
import { SchedulerParameters } from '../assumptions.js';
import type { AssumptionValue, SchedulerAssumption } from '../types.js';

/**
 * RLHFless's parameters: the paper's defaults (tau, lambda, ewmaWindow), its five technique
 * switches, and every point the paper leaves open (papers/rlhfless.md §8) as a named assumption
 * that `scenario.schedulerParameters[<scheduler name>]` and `rlhf-replay sweep --param` can move.
 * The registry variants (rlhfless-naive, oracle, the ablations) differ only in these defaults.
 */

export type GroupReduction = 'max' | 'mean';
export type LocalityForm = 'sum' | 'max' | 'off';
export type MigrationMode = 'kv-transfer' | 're-prefill';
export type MigrationDestination = 'most-free-kv' | 'fewest-running';
/** 'per-actor': RLHFless's rule; 'global-one': RLHFless's model of RLHFuse (everything to ONE actor at the threshold). */
export type MigrationScope = 'per-actor' | 'global-one';
/** What a receiving actor's slots are: the responses it started the step with, or the engine's sequence limit. */
export type SlotCapacity = 'assigned' | 'engine';

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

const technique = (name: keyof RlhflessTechniques, value: boolean, why: string): SchedulerAssumption => ({ name, value, unit: 'boolean', why });

/** The parameter list with `rlhfless`'s defaults; variants override some defaults. */
export function rlhflessAssumptions(overrides: Readonly<Record<string, AssumptionValue>> = {}): SchedulerAssumption[] {
  const list: SchedulerAssumption[] = [
    technique('deduplicatedPrefill', true, 'technique 1 (RLHFless §3.1): one prefill actor computes each shared prefix once and ships its KV to the decode actors'),
    technique('lengthPrediction', true, 'technique 2 (§3.2): EWMA of the same prompt\'s earlier lengths; off: every prompt gets the batch-mean prediction (no ranking)'),
    technique('promptAssignment', true, 'technique 3 (§3.3): sort prompts by predicted length, contiguous equal-count chunks, longest to actor 1; off: contiguous chunks in trace order'),
    technique('cutAndMigrate', true, 'technique 4 (§3.4): cut an actor at tau and migrate its unfinished responses to running actors with room'),
    technique('actorScaling', true, 'technique 5 (§3.5): choose N in [minActors, maxActors] by lambda·time + (1−lambda)·cost; off: the scenario\'s generation.instances'),
    { name: 'tau', value: 0.7, unit: 'fraction of an actor\'s responses', why: 'cut threshold, paper default 0.7 (swept 0.3–0.9, RLHFless §3.4)', range: [0.05, 1] },
    { name: 'lambda', value: 0.7, unit: 'weight of time', why: 'time weight of the scaling score, paper default 0.7 (swept 0.3–0.9, §3.5)', range: [0, 1] },
    { name: 'ewmaWindow', value: 1, unit: 'epochs', why: 'EWMA window over the prompt\'s past occurrences, paper default 1 (tested 1–4, §3.2)', range: [1, 16] },
    { name: 'ewmaAlpha', value: 0.5, unit: 'weight of the newest occurrence', why: 'EWMA smoothing for windows > 1; the paper does not give it [X]', range: [0.01, 1] },
    {
      name: 'predictor',
      value: 'ewma',
      unit: 'ewma | oracle | none | noisy:<accuracy>',
      why: "'noisy:a' models a weak predictor: each prompt's prediction is its true group length with probability a, else the true length of a uniformly drawn prompt of the same batch (uninformative); a = share of exact predictions (RLHFless* is ~44 % accurate, §3.2)",
    },
    { name: 'groupReduction', value: 'max', unit: 'max | mean', why: 'how a GRPO group\'s lengths reduce to one per-prompt value; unspecified [X]: max, because a group holds its actor until its longest sample ends', choices: ['max', 'mean'] },
    { name: 'minActors', value: 1, unit: 'decode actors', why: 'N_min is "predefined" but not given (§3.5) [X]', range: [1, 4096] },
    { name: 'maxActors', value: 0, unit: 'decode actors (0: as many as the cluster holds)', why: 'N_max is not given [X]; by default every GPU may host a decode actor', range: [0, 4096] },
    {
      name: 'prefillBatchCapacity',
      value: 0,
      unit: 'prefixes (0: derived)',
      why: 'B_prefill is profiled, value not given [X]; derived: min(max concurrent sequences, KV capacity of the prefill actor / max prompt tokens)',
      range: [0, 1_000_000],
    },
    {
      name: 'localityForm',
      value: 'sum',
      unit: 'sum | max | off',
      why: "feasibility constraint on N (§3.6): 'sum' is the paper's L_Model+L_KV+L_Decode ≤ L_Prefill+L_Decode¹; 'max' the stricter max(L_Model, L_Prefill)+L_KV+L_Decode (what the simulated timeline does); 'off' drops it",
      choices: ['sum', 'max', 'off'],
    },
    { name: 'migrationMode', value: 'kv-transfer', unit: 'kv-transfer | re-prefill', why: 'how a cut response moves (§3.4, unspecified [X]): its KV over the link, or re-prefill of prompt + partial response at the destination', choices: ['kv-transfer', 're-prefill'] },
    {
      name: 'migrationDestination',
      value: 'most-free-kv',
      unit: 'most-free-kv | fewest-running',
      why: 'which running actor receives each migrated group (unspecified [X]); a slot is a free sequence slot plus KV room for the group\'s current context',
      choices: ['most-free-kv', 'fewest-running'],
    },
    { name: 'migrationScope', value: 'per-actor', unit: 'per-actor | global-one', why: "'global-one' is RLHFless's model of RLHFuse: when tau of ALL responses are done, every actor stops and all unfinished responses move to ONE actor (§3.3)", choices: ['per-actor', 'global-one'] },
    {
      name: 'slotCapacity',
      value: 'assigned',
      unit: 'assigned | engine',
      why:
        "what a slot is (§3.4, unspecified [X]): 'assigned' — an actor's slots are the responses it started the step with (capped by the engine), so only finished responses free them; this is what makes a cut wait (\"with no free slot anywhere, the cut has to wait, so very early cuts seldom happen\"; \"τ ≤ 0.5 brings no further saving\", §3.4). " +
        "'engine' — the engine's max concurrent sequences (veRL's 1024): a receiver takes responses beyond its starting batch, and a cut never waits",
      choices: ['assigned', 'engine'],
    },
    { name: 'cascade', value: true, unit: 'boolean', why: 'an actor that received migrated responses can itself be cut later (unspecified [X]); its threshold counts everything it was given', },
    { name: 'coldStartS', value: 15, unit: 's', why: 'container + runtime + engine start of a function that was not pre-warmed; not quantified by the paper [X] (Ray + Docker + vLLM init is seconds to tens of seconds)', range: [0, 600] },
    {
      name: 'modelLoadS',
      value: -1,
      unit: 's per function (negative: derived)',
      why: 'loading a function\'s weights (and a trainer\'s fp32 optimizer state, 16 B/param) onto its GPUs; not quantified [X]; derived from the cost model\'s host-to-GPU link by default',
      range: [-1, 600],
    },
    {
      name: 'prewarmBufferS',
      value: 0,
      unit: 's',
      why: 'pre-warming predicts a function\'s next start as the shortest time it was needed at in earlier steps plus this buffer (§2); the value is not given [X]; negative warms earlier (idle GPUs billed), positive later (risk of waiting)',
      range: [-120, 120],
    },
    { name: 'admissionWatermark', value: 0.01, unit: 'fraction of KV capacity', why: "vLLM's default block watermark, as for the veRL baseline (RLHFless runs vLLM 0.8.3 under veRL 0.3.1)", range: [0, 0.2] },
  ];
  return list.map((a) => (a.name in overrides ? { ...a, value: overrides[a.name]! } : a));
}

export function parsePredictor(text: string, where: { file: string; field: string }): PredictorSpec {
  if (text === 'ewma' || text === 'oracle' || text === 'none') return { kind: text };
  const match = /^noisy:(\d*\.?\d+)$/.exec(text);
  if (match) {
    const accuracy = Number(match[1]);
    if (accuracy >= 0 && accuracy <= 1) return { kind: 'noisy', accuracy };
  }
  throw new InputError({ ...where, value: text, message: "must be 'ewma', 'oracle', 'none' or 'noisy:<accuracy in [0, 1]>'" });
}

/** Resolves a scheduler's settings from its assumptions and the scenario's overrides. */
export function resolveSettings(scheduler: string, assumptions: readonly SchedulerAssumption[], scenario: Scenario): RlhflessSettings {
  const p = SchedulerParameters.fromScenario(scheduler, assumptions, scenario);
  const file = scenario.file ?? '(scenario)';
  const integer = (name: string) => {
    const value = p.number(name);
    if (!Number.isInteger(value)) throw new InputError({ file, field: `schedulerParameters.${scheduler}.${name}`, value, message: 'must be a whole number' });
    return value;
  };
  const minActors = integer('minActors');
  const maxActors = integer('maxActors');
  if (maxActors !== 0 && maxActors < minActors) {
    throw new InputError({ file, field: `schedulerParameters.${scheduler}.maxActors`, value: maxActors, message: `must be 0 or at least minActors (${minActors})` });
  }
  const techniques: RlhflessTechniques = {
    deduplicatedPrefill: p.boolean('deduplicatedPrefill'),
    lengthPrediction: p.boolean('lengthPrediction'),
    promptAssignment: p.boolean('promptAssignment'),
    cutAndMigrate: p.boolean('cutAndMigrate'),
    actorScaling: p.boolean('actorScaling'),
  };
  const predictor = techniques.lengthPrediction ? parsePredictor(p.string('predictor'), { file, field: `schedulerParameters.${scheduler}.predictor` }) : ({ kind: 'none' } as const);
  return {
    techniques,
    tau: p.number('tau'),
    lambda: p.number('lambda'),
    ewmaWindow: integer('ewmaWindow'),
    ewmaAlpha: p.number('ewmaAlpha'),
    predictor,
    groupReduction: p.string('groupReduction') as GroupReduction,
    minActors,
    maxActors,
    prefillBatchCapacity: integer('prefillBatchCapacity'),
    localityForm: p.string('localityForm') as LocalityForm,
    migrationMode: p.string('migrationMode') as MigrationMode,
    migrationDestination: p.string('migrationDestination') as MigrationDestination,
    migrationScope: p.string('migrationScope') as MigrationScope,
    slotCapacity: p.string('slotCapacity') as SlotCapacity,
    cascade: p.boolean('cascade'),
    coldStartS: p.number('coldStartS'),
    modelLoadS: p.number('modelLoadS'),
    prewarmBufferS: p.number('prewarmBufferS'),
    admissionWatermark: p.number('admissionWatermark'),
  };
}
