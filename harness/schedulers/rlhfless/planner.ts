import type { Placement } from '../../cost/types.js';
import { chooseActorCount, type ScalingCandidate, type ScalingChoice } from './actor-scaling.js';
import { contextSteps, type DecodeProfile } from './decode-profile.js';
import type { LocalityForm } from './parameters.js';
import type { PrefixUnion } from './prefix-dedup.js';

/**
 * The per-step planner (RLHFless §1 steps 2–4): for every candidate actor count, split the
 * prompts into contiguous equal-count chunks of the (sorted) order, estimate each actor's end
 * from the decode profile and the transfers its placement implies, check the locality constraint,
 * and choose N by the normalised time/cost score. Pure; its cost per step is what the
 * `rlhfless-planner` benchmark measures.
 */
export interface PlannerGroups {
  /** Samples (responses) per group. */
  readonly samples: Int32Array;
  /** Predicted response tokens of each of the group's samples. */
  readonly predictedTokens: Float64Array;
  /** The group's prompt tokens (after the scenario cap): what every sample's decode attends over. */
  readonly promptTokens: Int32Array;
  /** Prompt tokens the decode actor prefills itself for this group (all samples together). */
  readonly ownPrefillTokens: Float64Array;
  /** Prompt KV tokens the group holds on its decode actor (once when its samples share the prompt). */
  readonly promptKvTokens: Float64Array;
  /** Deduplicated prefix tokens shipped from the prefill actor (0: none). */
  readonly prefixTokens: Int32Array;
}

export interface PlannerTiming {
  /** L_Prefill: the prefill actor's time for the deduplicated prefixes (0: nothing to prefill). */
  readonly prefillActorS: number;
  /** L_Model by placement relative to the learner's home GPUs (all 0 in a generation-only scope). */
  readonly weightSyncS: Readonly<Record<Placement, number>>;
  readonly kvTransferS: (tokens: number, placement: Placement) => number;
  /** The decode actor's own prefill, seconds per prompt token. */
  readonly prefillSPerToken: number;
  /** KV tokens an actor can hold (after the admission watermark) and its sequence limit. */
  readonly kvUsableTokens: number;
  readonly maxSequences: number;
}

export interface PlannerInput {
  readonly groups: PlannerGroups;
  /** 'predicted': sort by predicted length, longest first (technique 3); 'trace': keep the trace order. */
  readonly order: 'predicted' | 'trace';
  readonly actorGpus: number;
  readonly gpusPerNode: number;
  readonly minActors: number;
  readonly maxActors: number;
  readonly lambda: number;
  readonly localityForm: LocalityForm;
  readonly timing: PlannerTiming;
  readonly profile: DecodeProfile;
  /** Radix KV accounting when prompts share nodes across groups; absent: each group's prefix counts for itself. */
  readonly prefixUnion?: PrefixUnion;
}

export interface ActorEstimate {
  /** Group indices of the actor's chunk, in chunk order. */
  readonly groups: Int32Array;
  readonly firstGpu: number;
  /** Where it sits relative to the learner's home GPUs (actor 1: 'same-gpu'). */
  readonly placement: Placement;
  readonly samples: number;
  readonly kvTokens: number;
  readonly weightSyncS: number;
  readonly kvTransferS: number;
  /** Estimated decode start and the actor's own prefill + decode time. */
  readonly startS: number;
  readonly decodeS: number;
}

export interface StepPlan {
  readonly actors: readonly ActorEstimate[];
  readonly candidates: readonly ScalingCandidate[];
  readonly choice: ScalingChoice;
  /** The group order chunks were cut from. */
  readonly order: Int32Array;
}

/** Group indices sorted by predicted length, longest first (ties: trace order), or the trace order. */
export function groupOrder(predictedTokens: Float64Array, order: 'predicted' | 'trace'): Int32Array {
  const indices = Int32Array.from({ length: predictedTokens.length }, (_, i) => i);
  if (order === 'trace') return indices;
  return indices.sort((a, b) => predictedTokens[b]! - predictedTokens[a]! || a - b);
}

/** Chunk boundaries for `parts` equal-count chunks of `count` groups; the later (shorter) chunks take the remainder. */
export function chunkBounds(count: number, parts: number): Int32Array {
  const bounds = new Int32Array(parts + 1);
  const base = Math.floor(count / parts);
  const extra = count % parts;
  for (let k = 0; k < parts; k++) bounds[k + 1] = bounds[k]! + base + (k >= parts - extra ? 1 : 0);
  return bounds;
}

function placementOf(actorIndex: number, actorGpus: number, gpusPerNode: number): Placement {
  if (actorIndex === 0) return 'same-gpu';
  const first = actorIndex * actorGpus;
  const last = first + actorGpus - 1;
  return Math.floor(last / gpusPerNode) === 0 && Math.floor(first / gpusPerNode) === 0 ? 'same-node' : 'other-node';
}

interface Prefix {
  readonly samples: Float64Array;
  readonly sequenceSteps: Float64Array;
  readonly contextSteps: Float64Array;
  readonly ownPrefill: Float64Array;
  readonly kvNeed: Float64Array;
  readonly prefix: Float64Array;
}

function prefixSums(groups: PlannerGroups, order: Int32Array): Prefix {
  const n = order.length;
  const samples = new Float64Array(n + 1);
  const sequenceSteps = new Float64Array(n + 1);
  const context = new Float64Array(n + 1);
  const ownPrefill = new Float64Array(n + 1);
  const kvNeed = new Float64Array(n + 1);
  const prefix = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    const g = order[k]!;
    const m = groups.samples[g]!;
    const l = groups.predictedTokens[g]!;
    samples[k + 1] = samples[k]! + m;
    sequenceSteps[k + 1] = sequenceSteps[k]! + m * l;
    context[k + 1] = context[k]! + m * contextSteps(groups.promptTokens[g]!, l);
    ownPrefill[k + 1] = ownPrefill[k]! + groups.ownPrefillTokens[g]!;
    kvNeed[k + 1] = kvNeed[k]! + groups.promptKvTokens[g]! + m * l;
    prefix[k + 1] = prefix[k]! + groups.prefixTokens[g]!;
  }
  return { samples, sequenceSteps, contextSteps: context, ownPrefill, kvNeed, prefix };
}

/** Scratch arrays reused across candidates (the planner's hot loop allocates nothing per actor). */
class Scratch {
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly samples: Float64Array;
  readonly decodeS: Float64Array;
  readonly kvTokens: Float64Array;
  readonly rank: Int32Array;

  constructor(maxActors: number) {
    this.from = new Int32Array(maxActors);
    this.to = new Int32Array(maxActors);
    this.samples = new Float64Array(maxActors);
    this.decodeS = new Float64Array(maxActors);
    this.kvTokens = new Float64Array(maxActors);
    this.rank = new Int32Array(maxActors);
  }
}

/**
 * Evaluates N actors into `scratch` (chunk k's bounds, samples, decode estimate and KV; `rank`
 * lists chunks heaviest first — placement order) and returns the candidate's totals.
 */
function evaluate(input: PlannerInput, order: Int32Array, sums: Prefix, actors: number, scratch: Scratch): ScalingCandidate {
  const { groups, timing, profile } = input;
  const bounds = chunkBounds(order.length, actors);
  for (let k = 0; k < actors; k++) {
    const from = bounds[k]!;
    const to = bounds[k + 1]!;
    let longest = 0;
    if (input.order === 'predicted') longest = from < to ? groups.predictedTokens[order[from]!]! : 0;
    else for (let i = from; i < to; i++) longest = Math.max(longest, groups.predictedTokens[order[i]!]!);
    const samples = sums.samples[to]! - sums.samples[from]!;
    const waves = Math.max(1, (sums.kvNeed[to]! - sums.kvNeed[from]!) / timing.kvUsableTokens, samples / timing.maxSequences);
    scratch.from[k] = from;
    scratch.to[k] = to;
    scratch.samples[k] = samples;
    scratch.decodeS[k] =
      (sums.ownPrefill[to]! - sums.ownPrefill[from]!) * timing.prefillSPerToken +
      profile.decodeS(longest, sums.sequenceSteps[to]! - sums.sequenceSteps[from]!, sums.contextSteps[to]! - sums.contextSteps[from]!) * waves;
    scratch.kvTokens[k] = input.prefixUnion ? input.prefixUnion.tokens(order, from, to) : sums.prefix[to]! - sums.prefix[from]!;
    scratch.rank[k] = k;
  }
  // Placement: the heaviest actor on the learner's GPUs, the others in descending workload nearest first (§3.6).
  const decode = scratch.decodeS;
  const rankOf = scratch.rank;
  // Insertion sort, heaviest first (ties: chunk order): sorted chunks arrive nearly in order.
  for (let i = 1; i < actors; i++) {
    const k = rankOf[i]!;
    let j = i - 1;
    while (j >= 0 && decode[rankOf[j]!]! < decode[k]!) {
      rankOf[j + 1] = rankOf[j]!;
      j--;
    }
    rankOf[j + 1] = k;
  }
  const prefillS = timing.prefillActorS;
  const prefillEndS = timing.weightSyncS['same-gpu'] + prefillS;
  let timeS = 0;
  let costGpuS = 0;
  let violationS = 0;
  const slack = prefillS + decode[rankOf[0]!]!;
  for (let rank = 0; rank < actors; rank++) {
    const k = rankOf[rank]!;
    const kv = scratch.kvTokens[k]!;
    const placement = placementOf(rank, input.actorGpus, input.gpusPerNode);
    const weightSyncS = timing.weightSyncS[placement];
    const kvTransferS = rank === 0 || kv === 0 ? 0 : timing.kvTransferS(kv, placement);
    // Same rule as actorTiming, inlined: this loop runs for every actor of every candidate.
    const startS = rank === 0 ? weightSyncS + prefillS : Math.max(weightSyncS, kv > 0 ? prefillEndS : 0) + kvTransferS;
    const endS = startS + decode[k]!;
    timeS = Math.max(timeS, endS);
    costGpuS += endS * input.actorGpus;
    if (rank === 0 || input.localityForm === 'off') continue;
    const lhs = input.localityForm === 'sum' ? weightSyncS + kvTransferS + decode[k]! : Math.max(weightSyncS, prefillS) + kvTransferS + decode[k]!;
    violationS = Math.max(violationS, lhs - slack);
  }
  return { actors, timeS, costGpuS, feasible: violationS <= 0, violationS: Math.max(0, violationS) };
}

/** Transfers and decode start of the actor placed `rank`-th (0: on the learner's GPUs, beside the prefill actor). */
function actorTiming(input: PlannerInput, rank: number, kvTokens: number): { placement: Placement; weightSyncS: number; kvTransferS: number; startS: number } {
  const { timing } = input;
  const placement = placementOf(rank, input.actorGpus, input.gpusPerNode);
  const weightSyncS = timing.weightSyncS[placement];
  const kvTransferS = placement === 'same-gpu' || kvTokens === 0 ? 0 : timing.kvTransferS(kvTokens, placement);
  // Actor 1 decodes after the prefill on its own GPUs; the others after their weights and KV arrive.
  const prefillEndS = timing.weightSyncS['same-gpu'] + timing.prefillActorS;
  const startS = rank === 0 ? weightSyncS + timing.prefillActorS : Math.max(weightSyncS, kvTokens > 0 ? prefillEndS : 0) + kvTransferS;
  return { placement, weightSyncS, kvTransferS, startS };
}

/** Plans the step: evaluates N = minActors..maxActors and keeps the chosen N's actors. */
export function planStep(input: PlannerInput): StepPlan {
  const count = input.groups.samples.length;
  if (count === 0) throw new Error('planStep: no prompt groups');
  const maxActors = Math.min(input.maxActors, count);
  const minActors = Math.min(Math.max(1, input.minActors), maxActors);
  const order = groupOrder(input.groups.predictedTokens, input.order);
  const sums = prefixSums(input.groups, order);
  const scratch = new Scratch(maxActors);
  const candidates: ScalingCandidate[] = [];
  for (let n = minActors; n <= maxActors; n++) candidates.push(evaluate(input, order, sums, n, scratch));
  const choice = chooseActorCount(candidates, input.lambda);
  const chosen = candidates[choice.index]!.actors;
  evaluate(input, order, sums, chosen, scratch);
  const actors: ActorEstimate[] = [];
  for (let rank = 0; rank < chosen; rank++) {
    const k = scratch.rank[rank]!;
    const timing = actorTiming(input, rank, scratch.kvTokens[k]!);
    actors.push({
      groups: order.slice(scratch.from[k]!, scratch.to[k]!),
      firstGpu: rank * input.actorGpus,
      placement: timing.placement,
      samples: scratch.samples[k]!,
      kvTokens: scratch.kvTokens[k]!,
      weightSyncS: timing.weightSyncS,
      kvTransferS: timing.kvTransferS,
      startS: timing.startS,
      decodeS: scratch.decodeS[k]!,
    });
  }
  return { actors, candidates, choice, order };
}
