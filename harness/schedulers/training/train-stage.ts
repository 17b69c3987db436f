import type { CostModel, ReplicaCost } from '../../cost/types.js';
import { chunk, splitBalanced, splitEvenly, sumOf } from '../partition.js';
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
    const slowest = new Map<number, { meanTokens: number; meanSequences: number }>();
    let workSum = 0;
    let maxMicroBatches = 0;
    for (const group of groups) {
      if (group.length === 0) continue;
      const microBatches = Math.ceil(group.length / input.microBatchSamples);
      const meanTokens = sumOf(group, input.sequenceTokens) / microBatches;
      const meanSequences = group.length / microBatches;
      workSum += microBatches * (replica.trainStageForwardS(meanTokens, meanSequences) + replica.trainStageBackwardS(meanTokens, meanSequences));
      const current = slowest.get(microBatches);
      if (!current || meanTokens > current.meanTokens) slowest.set(microBatches, { meanTokens, meanSequences });
      maxMicroBatches = Math.max(maxMicroBatches, microBatches);
    }
    let computeS = 0;
    for (const [microBatches, { meanTokens, meanSequences }] of [...slowest].sort((a, b) => a[0] - b[0])) {
      computeS = Math.max(
        computeS,
        oneFOneBMakespanS({
          stages: layout.pp,
          microBatches,
          forwardS: replica.trainStageForwardS(meanTokens, meanSequences),
          backwardS: replica.trainStageBackwardS(meanTokens, meanSequences),
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
  /** GPUs, each a data-parallel rank holding a 1/dp shard of parameters, gradients and optimizer state. */
  readonly dp: number;
  readonly crossNode: boolean;
  /** Fraction of the parameter all-gather / gradient reduce-scatter time hidden behind compute (0 = none). */
  readonly communicationOverlap: number;
}

/**
 * ZeRO-3 / FSDP training (DeepSpeed-Chat, veRL's FSDP workers): every GPU runs whole-model
 * forwards and backwards on its micro-batches; each micro-batch all-gathers the parameters for
 * the forward and again for the backward and reduce-scatters the gradients (three shard-sized
 * collectives = 1.5 all-reduces of the weights); the optimizer step runs once per mini-batch on
 * each GPU's shard.
 */
export function shardedDataParallelTrainStage(replica: ReplicaCost, cost: CostModel, options: ShardedDataParallelOptions, input: TrainStageInput): TrainStageResult {
  const weightBytes = replica.weightBytesPerGpu * replica.gpus;
  const communicationS = 1.5 * cost.allReduceS(weightBytes, options.dp, options.crossNode);
  const miniBatches: MiniBatchTiming[] = [];
  let total = 0;
  for (const { epoch, index, ids } of miniBatchesOf(input)) {
    const groups = dataParallelGroups(ids, input, options.dp).map((group) => chunk(group, input.microBatchSamples));
    const maxMicroBatches = Math.max(0, ...groups.map((micro) => micro.length));
    const exposedCommunicationS = communicationS * (1 - options.communicationOverlap);
    let computeS = 0;
    let workSum = 0;
    // The collectives of micro-batch k synchronise every rank, so each step waits for the slowest rank.
    for (let k = 0; k < maxMicroBatches; k++) {
      let slowest = 0;
      for (const micro of groups) {
        const mb = micro[k];
        if (mb === undefined) continue;
        const tokens = sumOf(mb, input.sequenceTokens);
        const work = replica.trainStageForwardS(tokens, mb.length) + replica.trainStageBackwardS(tokens, mb.length);
        slowest = Math.max(slowest, work);
        workSum += work + exposedCommunicationS;
      }
      computeS += slowest + exposedCommunicationS;
    }
    const optimizerS = replica.optimizerStepS(options.dp);
    const durationS = computeS + optimizerS;
    miniBatches.push({ epoch, index, sampleIds: ids, microBatches: maxMicroBatches, computeS, gradientSyncS: 0, optimizerS, durationS, idleS: computeS - workSum / options.dp });
    total += durationS;
  }
  return { durationS: total, miniBatches };
}
