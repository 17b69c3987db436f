import type { CostModel, ReplicaCost } from '../../cost/types.js';
import { chunk, splitBalanced, splitEvenly, sumOf } from '../partition.js';
import { exposedCommunicationS, shardedMicroBatchCommunicationS } from './collectives.js';
import { oneFOneBMakespanS } from './pipeline-time.js';

/** A training task's parallel layout: TP × PP GPUs per replica, DP replicas. */
export interface TrainLayout {
  readonly tp: number;
  readonly pp: number;
  readonly dp: number;
}

export interface MiniBatchTiming {
  readonly epoch: number;
  readonly index: number;
  readonly sampleIds: readonly number[];
  /** Micro-batches per DP group (the largest group's count). */
  readonly microBatches: number;
  /** Slowest DP group's forward/backward time (pipeline makespan, or sequential micro-batches for sharded DP). */
  readonly computeS: number;
  readonly gradientSyncS: number;
  readonly optimizerS: number;
  readonly durationS: number;
  /** Mean per-GPU idle seconds inside the mini-batch (pipeline bubbles, waiting for the slowest DP group). */
  readonly idleS: number;
}

export interface TrainStageResult {
  readonly durationS: number;
  readonly miniBatches: readonly MiniBatchTiming[];
}

export interface TrainStageInput {
  /** Samples in the order mini-batches take them (the caller shuffles). */
  readonly sampleIds: readonly number[];
  /** Per-sample sequence tokens (prompt + response), indexed by sample id. */
  readonly sequenceTokens: ArrayLike<number>;
  readonly samplesPerMiniBatch: number;
  /** Sequences per micro-batch. */
  readonly microBatchSamples: number;
  /** Balance DP groups by tokens (RLHFuse, veRL balance_batch) instead of contiguous equal-count chunks. */
  readonly balanceDataParallel: boolean;
  readonly epochs: number;
  /**
   * Added (sharded training): the samples each data-parallel rank holds, when ranks form their
   * mini-batches locally (veRL: the batch is partitioned over the ranks once, each rank then takes
   * its mini-batches in order from its own part). Without it, each mini-batch is taken from
   * `sampleIds` and split over the ranks.
   */
  readonly rankSamples?: readonly (readonly number[])[];
}

function miniBatchesOf(input: TrainStageInput): { epoch: number; index: number; ids: number[] }[] {
  const out: { epoch: number; index: number; ids: number[] }[] = [];
  const perMiniBatch = Math.max(1, input.samplesPerMiniBatch);
  for (let epoch = 0; epoch < input.epochs; epoch++) {
    chunk([...input.sampleIds], perMiniBatch).forEach((ids, index) => out.push({ epoch, index, ids }));
  }
  return out;
}

function dataParallelGroups(ids: number[], input: TrainStageInput, dp: number): number[][] {
  return input.balanceDataParallel ? splitBalanced(ids, input.sequenceTokens, dp) : splitEvenly(ids, dp);
}

/** Σ length² over ids: what causal attention's FLOPs grow with (one sequence at a time, FlashAttention varlen). */
export function sumOfSquares(ids: readonly number[], weight: ArrayLike<number>): number {
  let total = 0;
  for (const id of ids) total += weight[id]! * weight[id]!;
  return total;
}

/**
 * Training with TP × PP × DP (Megatron-style, as ReaLHF and RLHFuse run it). Per mini-batch:
 * samples split over DP groups, each group's share cut into micro-batches that run a 1F1B
 * pipeline over the PP stages (per-stage F and B from the cost model at the group's mean
 * micro-batch size); then gradient sync across DP and the optimizer step. Mini-batches run one
 * after another, `epochs` times.
 */
export function pipelineTrainStage(replica: ReplicaCost, layout: TrainLayout, crossNodeSync: boolean, input: TrainStageInput): TrainStageResult {
  const miniBatches: MiniBatchTiming[] = [];
  let total = 0;
  for (const { epoch, index, ids } of miniBatchesOf(input)) {
    const groups = dataParallelGroups(ids, input, layout.dp);
    // Per micro-batch count, the group with the most tokens is the slowest (F and B grow with
    // tokens), so only those pipelines need the evaluator; every group counts for the work sum.
    const slowest = new Map<number, { meanTokens: number; meanSequences: number; meanSquares: number }>();
    let workSum = 0;
    let maxMicroBatches = 0;
    for (const group of groups) {
      if (group.length === 0) continue;
      const microBatches = Math.ceil(group.length / input.microBatchSamples);
      const meanTokens = sumOf(group, input.sequenceTokens) / microBatches;
      const meanSequences = group.length / microBatches;
      const meanSquares = sumOfSquares(group, input.sequenceTokens) / microBatches;
      workSum += microBatches * (replica.trainStageForwardS(meanTokens, meanSequences, meanSquares) + replica.trainStageBackwardS(meanTokens, meanSequences, meanSquares));
      const current = slowest.get(microBatches);
      if (!current || meanTokens > current.meanTokens) slowest.set(microBatches, { meanTokens, meanSequences, meanSquares });
      maxMicroBatches = Math.max(maxMicroBatches, microBatches);
    }
    let computeS = 0;
    for (const [microBatches, { meanTokens, meanSequences, meanSquares }] of [...slowest].sort((a, b) => a[0] - b[0])) {
      computeS = Math.max(
        computeS,
        oneFOneBMakespanS({
          stages: layout.pp,
          microBatches,
          forwardS: replica.trainStageForwardS(meanTokens, meanSequences, meanSquares),
          backwardS: replica.trainStageBackwardS(meanTokens, meanSequences, meanSquares),
          sendS: layout.pp > 1 ? replica.pipelineSendS(meanTokens) : 0,
        }),
      );
    }
    const gradientSyncS = replica.gradientSyncS(layout.dp, crossNodeSync);
    const optimizerS = replica.optimizerStepS(layout.dp);
    const durationS = computeS + gradientSyncS + optimizerS;
    const idleS = computeS - workSum / layout.dp;
    miniBatches.push({ epoch, index, sampleIds: ids, microBatches: maxMicroBatches, computeS, gradientSyncS, optimizerS, durationS, idleS });
    total += durationS;
  }
  return { durationS: total, miniBatches };
}

export interface ShardedDataParallelOptions {
  /** GPUs, each a data-parallel rank holding a shard of parameters, gradients and optimizer state. */
  readonly dp: number;
  readonly crossNode: boolean;
  /** Fraction of the parameter all-gather / gradient reduce-scatter time hidden behind compute (0 = none), never more than the compute. */
  readonly communicationOverlap: number;
  /** Added: GPUs a parameter is sharded over (hybrid sharding, FSDP's fsdp_size); default: all dp (full sharding). */
  readonly shardGroup?: number;
  /** Added: whether the shard group spans nodes (default: `crossNode` when it is all dp GPUs, else whether it exceeds a node). */
  readonly shardCrossNode?: boolean;
  /** Added: bytes per parameter of the reduced gradients (default: the model's parameter bytes, bf16). */
  readonly gradientBytesPerParameter?: number;
  /** Added: Ulysses sequence parallelism: dp / sp data ranks, each a group of sp GPUs sharing its micro-batches. */
  readonly sequenceParallel?: number;
  /** Added: sequence-parallel all-to-all seconds per micro-batch token of one pass (forward). */
  readonly sequenceParallelSPerToken?: number;
  /** Added: passes whose all-to-alls a training micro-batch pays: forward and backward, plus the recomputed forward (3). */
  readonly sequenceParallelPasses?: number;
  /**
   * Added: dynamic batch size (veRL use_dynamic_bsz): a rank's share of a mini-batch is cut into
   * ⌈tokens / (budget × sp)⌉ token-balanced micro-batches, every rank taking the largest count,
   * instead of micro-batches of `microBatchSamples` sequences.
   */
  readonly microBatchTokensPerGpu?: number;
}

/**
 * Token-balanced micro-batches of a rank's samples (veRL's rearrange_micro_batches): `count` bins
 * filled heaviest sample first into the lightest bin, heaviest bin first.
 */
export function tokenBalancedMicroBatches(ids: readonly number[], tokens: ArrayLike<number>, count: number): number[][] {
  const bins: { ids: number[]; tokens: number }[] = Array.from({ length: Math.max(1, count) }, () => ({ ids: [], tokens: 0 }));
  const order = [...ids].sort((a, b) => tokens[b]! - tokens[a]! || a - b);
  for (const id of order) {
    let lightest = bins[0]!;
    for (const bin of bins) if (bin.tokens < lightest.tokens) lightest = bin;
    lightest.ids.push(id);
    lightest.tokens += tokens[id]!;
  }
  return bins.filter((bin) => bin.ids.length > 0).sort((a, b) => b.tokens - a.tokens || a.ids[0]! - b.ids[0]!).map((bin) => bin.ids.sort((a, b) => a - b));
}

/** Each data rank's samples of every mini-batch: local chunks of its own samples (veRL), or the global mini-batches split over the ranks. */
function rankMiniBatches(input: TrainStageInput, ranks: number): { epoch: number; index: number; ids: number[]; groups: number[][] }[] {
  const out: { epoch: number; index: number; ids: number[]; groups: number[][] }[] = [];
  const perMiniBatch = Math.max(1, input.samplesPerMiniBatch);
  if (input.rankSamples === undefined) {
    for (const { epoch, index, ids } of miniBatchesOf(input)) out.push({ epoch, index, ids, groups: dataParallelGroups(ids, input, ranks) });
    return out;
  }
  if (input.rankSamples.length !== ranks) throw new Error(`sharded training: ${input.rankSamples.length} rank sample lists for ${ranks} data ranks`);
  const perRank = Math.max(1, Math.round(perMiniBatch / ranks));
  const count = Math.max(0, ...input.rankSamples.map((own) => Math.ceil(own.length / perRank)));
  for (let epoch = 0; epoch < input.epochs; epoch++) {
    for (let index = 0; index < count; index++) {
      const groups = input.rankSamples.map((own) => own.slice(index * perRank, (index + 1) * perRank));
      out.push({ epoch, index, ids: groups.flat(), groups });
    }
  }
  return out;
}

/**
 * ZeRO-3 / FSDP training (DeepSpeed-Chat, OpenRLHF, veRL's FSDP workers): every data rank runs
 * whole-model forwards and backwards on its micro-batches; each micro-batch all-gathers the
 * parameters for the forward and again for the backward and reduce-scatters the gradients (three
 * shard-sized collectives = 1.5 all-reduces of the weights), plus, with hybrid sharding, an
 * all-reduce of the shard's gradients over the replicas; the collectives synchronise the ranks, so
 * each micro-batch step waits for the slowest. The optimizer step runs once per mini-batch on each
 * GPU's shard. With Ulysses sequence parallelism a data rank is a group of sp GPUs that splits each
 * micro-batch's tokens (and attention heads) and pays all-to-alls per pass.
 */
export function shardedDataParallelTrainStage(replica: ReplicaCost, cost: CostModel, options: ShardedDataParallelOptions, input: TrainStageInput): TrainStageResult {
  const sp = Math.max(1, options.sequenceParallel ?? 1);
  if (options.dp % sp !== 0) throw new Error(`sharded training: ${options.dp} GPUs do not split into sequence-parallel groups of ${sp}`);
  const ranks = options.dp / sp;
  const shardGroup = Math.min(options.dp, Math.max(1, options.shardGroup ?? options.dp));
  if (options.dp % shardGroup !== 0) throw new Error(`sharded training: ${options.dp} GPUs do not split into shard groups of ${shardGroup}`);
  const weightBytes = replica.weightBytesPerGpu * replica.gpus;
  const bytesPerParameter = replica.model.bytesPerParameter;
  const gpusPerNode = replica.gpu.gpusPerNode;
  const communicationS = shardedMicroBatchCommunicationS(cost, weightBytes, bytesPerParameter, {
    shardGroup,
    replicas: options.dp / shardGroup,
    shardCrossNode: options.shardCrossNode ?? (shardGroup === options.dp ? options.crossNode : shardGroup > gpusPerNode),
    replicaCrossNode: options.crossNode,
    gradientBytesPerParameter: options.gradientBytesPerParameter ?? bytesPerParameter,
  });
  const allToAllSPerToken = sp > 1 ? (options.sequenceParallelSPerToken ?? 0) * (options.sequenceParallelPasses ?? 3) : 0;
  const overlap = options.communicationOverlap;
  const tokenBudget = options.microBatchTokensPerGpu !== undefined && options.microBatchTokensPerGpu > 0 ? options.microBatchTokensPerGpu * sp : undefined;
  const tokens = input.sequenceTokens;
  // One data rank's micro-batch: its sp GPUs each run 1/sp of the tokens and of the attention heads.
  const microBatchS = (mb: readonly number[]): number => {
    const t = sumOf(mb, tokens);
    const squares = sumOfSquares(mb, tokens);
    return replica.trainStageForwardS(t / sp, mb.length, squares / sp) + replica.trainStageBackwardS(t / sp, mb.length, squares / sp) + allToAllSPerToken * t;
  };
  const miniBatches: MiniBatchTiming[] = [];
  let total = 0;
  for (const { epoch, index, ids, groups } of rankMiniBatches(input, ranks)) {
    let micro: number[][][];
    if (tokenBudget === undefined) micro = groups.map((group) => chunk(group, input.microBatchSamples));
    else {
      // veRL: every rank uses the largest micro-batch count of the data-parallel group (same_micro_num_in_dp).
      const count = Math.max(1, ...groups.map((group) => Math.ceil(sumOf(group, tokens) / tokenBudget)));
      micro = groups.map((group) => (group.length > 0 ? tokenBalancedMicroBatches(group, tokens, count) : []));
    }
    const maxMicroBatches = Math.max(0, ...micro.map((m) => m.length));
    let computeS = 0;
    let workSum = 0;
    // The collectives of micro-batch k synchronise every rank, so each step waits for the slowest rank.
    for (let k = 0; k < maxMicroBatches; k++) {
      let slowest = 0;
      for (const rank of micro) {
        const mb = rank[k];
        if (mb === undefined) continue;
        const work = microBatchS(mb);
        slowest = Math.max(slowest, work);
        workSum += sp * (work + exposedCommunicationS(communicationS, work, overlap));
      }
      computeS += slowest + exposedCommunicationS(communicationS, slowest, overlap);
    }
    const optimizerS = replica.optimizerStepS(shardGroup);
    const durationS = computeS + optimizerS;
    miniBatches.push({ epoch, index, sampleIds: ids, microBatches: maxMicroBatches, computeS, gradientSyncS: 0, optimizerS, durationS, idleS: computeS - workSum / options.dp });
    total += durationS;
  }
  return { durationS: total, miniBatches };
}
