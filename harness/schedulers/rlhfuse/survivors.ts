import type { SequenceState } from '../generation/types.js';

/**
 * Who keeps decoding the tail after RLHFuse's migration trigger (papers/rlhfuse.md §2.3–2.4):
 * how many instances (m, from two constraints), which ones (the most remaining work, by a named
 * proxy), and where each migrated sequence goes. Pure functions over snapshots of the instances.
 */

export type WorkProxy = 'resident-kv-tokens' | 'unfinished-samples' | 'oracle-remaining-tokens';
export type KvReservation = 'current-context' | 'max-length';

/** One instance at the trigger. */
export interface InstanceSnapshot {
  readonly index: number;
  readonly states: readonly SequenceState[];
  readonly residentKvTokens: number;
  /** Tokens its unfinished sequences still have to generate (known only to an oracle). */
  readonly remainingTokens: number;
}

/** KV tokens a sequence is given room for on a survivor. */
export function reservedTokens(state: SequenceState, reservation: KvReservation, maxResponseTokens: number): number {
  const response = reservation === 'max-length' ? Math.max(maxResponseTokens, state.generatedTokens + 1) : state.generatedTokens + 1;
  return state.promptTokens + response;
}

export interface SurvivorCountInput {
  readonly unfinished: number;
  /** Constraint (a): sequences one survivor may run while its decode step stays flat. */
  readonly flatBatchLimit: number;
  /** Constraint (b): Σ reserved KV tokens of every unfinished sequence, and what one survivor holds. */
  readonly reservedKvTokens: number;
  readonly kvCapacityTokens: number;
  /** The engine's own limit on running sequences. */
  readonly maxConcurrentSequences: number;
}

export interface SurvivorCount {
  readonly m: number;
  readonly byFlatBatch: number;
  readonly byKvMemory: number;
  readonly bySequenceSlots: number;
}

/** m = max(⌈unfinished / flat limit⌉, ⌈reserved KV / capacity⌉, ⌈unfinished / max sequences⌉, 1). */
export function survivorCount(input: SurvivorCountInput): SurvivorCount {
  const byFlatBatch = Math.ceil(input.unfinished / Math.max(1, input.flatBatchLimit));
  const byKvMemory = Math.ceil(input.reservedKvTokens / Math.max(1, input.kvCapacityTokens));
  const bySequenceSlots = Math.ceil(input.unfinished / Math.max(1, input.maxConcurrentSequences));
  return { m: Math.max(1, byFlatBatch, byKvMemory, bySequenceSlots), byFlatBatch, byKvMemory, bySequenceSlots };
}

function workOf(instance: InstanceSnapshot, proxy: WorkProxy): number {
  if (proxy === 'resident-kv-tokens') return instance.residentKvTokens;
  if (proxy === 'unfinished-samples') return instance.states.length;
  return instance.remainingTokens;
}

/** The m instances with the most remaining work by `proxy` (ties: more unfinished samples, then the lower index). */
export function chooseSurvivors(instances: readonly InstanceSnapshot[], m: number, proxy: WorkProxy): number[] {
  return [...instances]
    .sort((a, b) => workOf(b, proxy) - workOf(a, proxy) || b.states.length - a.states.length || a.index - b.index)
    .slice(0, m)
    .map((instance) => instance.index);
}

/**
 * Sends each migrated sequence to a survivor, largest reservation first, each to the survivor
 * with the least reserved KV so far (its own unfinished sequences included; ties: the lower index)
 * among those with a free sequence slot — so the survivors' batches and KV stay even. Returns
 * the sequences per destination, in the order given.
 */
export function assignDestinations(
  migrated: readonly SequenceState[],
  survivors: readonly InstanceSnapshot[],
  reserve: (state: SequenceState) => number,
  maxConcurrentSequences: number,
): Map<number, SequenceState[]> {
  const load = survivors.map((s) => s.states.reduce((sum, state) => sum + reserve(state), 0));
  const count = survivors.map((s) => s.states.length);
  const out = new Map<number, SequenceState[]>(survivors.map((s) => [s.index, []]));
  const order = [...migrated].sort((a, b) => reserve(b) - reserve(a) || a.sampleId - b.sampleId);
  for (const state of order) {
    let best = -1;
    for (let k = 0; k < survivors.length; k++) {
      const roomy = count[k]! < maxConcurrentSequences;
      if (best < 0) {
        best = k;
        continue;
      }
      const bestRoomy = count[best]! < maxConcurrentSequences;
      if (roomy !== bestRoomy ? roomy : load[k]! < load[best]!) best = k;
    }
    load[best]! += reserve(state);
    count[best]!++;
    out.get(survivors[best]!.index)!.push(state);
  }
  return out;
}
