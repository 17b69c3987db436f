import type { ReplicaCost } from '../../cost/types.js';
import { exposedCommunicationS } from '../training/collectives.js';

/** How an inference worker groups sequences into forward batches. */
export interface ForwardBatching {
  /** Most sequences in one forward batch (a micro-batch). */
  readonly maxSequences: number;
  /** Most tokens in one forward batch (dynamic batching); Infinity for none. */
  readonly maxTokens: number;
}

/**
 * Collectives every forward batch pays when each GPU holds only a shard of the parameters (FSDP /
 * ZeRO-3 all-gather before the forward): `seconds` per batch, up to a fraction `overlap` of them
 * hidden behind the batch's compute (prefetching), never more than the compute.
 */
export interface PerBatchCommunication {
  readonly seconds: number;
  readonly overlap: number;
}

/** Ulysses sequence parallelism of a forward replica: `degree` GPUs split each batch's tokens and heads. */
export interface ForwardSequenceParallel {
  readonly degree: number;
  /** All-to-all seconds per token of a batch (one forward pass). */
  readonly sPerToken: number;
}

/** Cuts ids (in order) into batches bounded by sequence count and token budget (a batch takes at least one sequence). */
export function forwardBatches(ids: readonly number[], sequenceTokens: ArrayLike<number>, batching: ForwardBatching): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let tokens = 0;
  for (const id of ids) {
    const t = sequenceTokens[id]!;
    if (current.length > 0 && (current.length >= batching.maxSequences || tokens + t > batching.maxTokens)) {
      batches.push(current);
      current = [];
      tokens = 0;
    }
    current.push(id);
    tokens += t;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * One forward batch (ref / reward / critic / old log-prob) on one replica: the cost model's
 * whole-pipeline forward. Callable per sample (a batch of one) for fusion schedulers.
 */
export function forwardBatchS(replica: Pick<ReplicaCost, 'forwardS'>, ids: readonly number[], sequenceTokens: ArrayLike<number>, sequenceParallel?: ForwardSequenceParallel): number {
  let tokens = 0;
  let squares = 0;
  for (const id of ids) {
    const t = sequenceTokens[id]!;
    tokens += t;
    squares += t * t;
  }
  // Causal attention grows with each sequence's length squared (FlashAttention varlen), not with the batch's.
  if (sequenceParallel === undefined || sequenceParallel.degree <= 1) return replica.forwardS(tokens, ids.length, squares);
  const sp = sequenceParallel.degree;
  return replica.forwardS(tokens / sp, ids.length, squares / sp) + sequenceParallel.sPerToken * tokens;
}

/**
 * One replica running forwards over its sequences in batches. With PP > 1 the batches flow
 * through the stages as a forward-only pipeline: (m + p − 1) × the mean batch's per-stage time.
 */
export function replicaForwardS(
  replica: ReplicaCost,
  ids: readonly number[],
  sequenceTokens: ArrayLike<number>,
  batching: ForwardBatching,
  perBatch: number | PerBatchCommunication = 0,
  sequenceParallel?: ForwardSequenceParallel,
): number {
  const batches = forwardBatches(ids, sequenceTokens, batching);
  if (batches.length === 0) return 0;
  const communication = typeof perBatch === 'number' ? { seconds: perBatch, overlap: 0 } : perBatch;
  let total = 0;
  for (const batch of batches) {
    const computeS = forwardBatchS(replica, batch, sequenceTokens, sequenceParallel);
    total += computeS + exposedCommunicationS(communication.seconds, computeS, communication.overlap);
  }
  const pp = replica.layout.pp;
  if (pp <= 1) return total;
  // A forward-only pipeline of m uniform batches over p stages: (m + p − 1) × the per-stage time.
  return (batches.length + pp - 1) * (total / batches.length / pp);
}

export interface ShardedForwardResult {
  /** Slowest replica's time. */
  readonly durationS: number;
  readonly replicaS: readonly number[];
  readonly shards: readonly (readonly number[])[];
}

/** Forwards on replicas that already hold their shards (one shard per replica). */
export function shardedForward(
  replica: ReplicaCost,
  shards: readonly (readonly number[])[],
  sequenceTokens: ArrayLike<number>,
  batching: ForwardBatching,
  perBatch: number | PerBatchCommunication = 0,
  sequenceParallel?: ForwardSequenceParallel,
): ShardedForwardResult {
  const replicaS = shards.map((shard) => replicaForwardS(replica, shard, sequenceTokens, batching, perBatch, sequenceParallel));
  let durationS = 0;
  for (const s of replicaS) if (s > durationS) durationS = s;
  return { durationS, replicaS, shards };
}
