import { expertDataParallel, shardParameters } from '../../cost/memory.js';
import { kvBytesPerTokenPerGpu, maxStageMoeLayers } from '../../cost/model-shape.js';
import type { CostModel, ReplicaCost } from '../../cost/types.js';
import { chunk, splitBalanced, splitEvenly, sumOf } from '../partition.js';
import {
  contextParallelExchangeS,
  distributedOptimizerSyncS,
  expertAllToAllBytesPerGpu,
  expertAllToAllS,
  exposedCommunicationS,
  shardedMicroBatchCommunicationS,
} from './collectives.js';
import { interleavedOneFOneBMakespanS, oneFOneBMakespanS } from './pipeline-time.js';

/**
 * A training task's parallel layout: TP × PP (× CP) GPUs per replica, DP replicas. Added, optional
 * (1 when absent): EP, experts split over the TP × CP × DP GPUs of a stage (Megatron's MoE
 * parallel folding with expert TP 1); CP, context parallelism (each sequence split over cp GPUs,
 * ring attention); VPP, virtual pipeline chunks per stage (interleaved 1F1B).
 */
export interface TrainLayout {
  readonly tp: number;
  readonly pp: number;
  readonly dp: number;
  readonly ep?: number;
  readonly cp?: number;
  readonly vpp?: number;
}

/** What a pipeline stage needs beyond its replica when the layout uses EP, CP or Megatron's distributed optimizer. */
export interface PipelineParallelOptions {
  /** Link costs of the expert all-to-alls, the CP ring exchange and the data-parallel collectives. */
  readonly cost: CostModel;
  readonly gpusPerNode: number;
  /** Megatron's distributed optimizer: reduce-scatter gradients and all-gather parameters (default: all-reduce, as before). */
  readonly distributedOptimizer?: boolean;
  /** Passes whose EP / CP communication a micro-batch pays: forward, backward and the recomputed forward (default 3). */
  readonly communicationPasses?: number;
}

/**
 * Seconds of one micro-batch pass's EP all-to-alls and CP ring exchanges on the busiest stage, as a
 * function of the micro-batch's tokens (before the CP split): per MoE layer a dispatch and a
 * combine of the tokens of one GPU (tokens / (cp · tp): sequence parallelism under TP), per layer
 * cp − 1 K/V hops. Zero for a layout without EP and CP.
 */
export function stageParallelCommunication(replica: ReplicaCost, layout: TrainLayout, parallel: PipelineParallelOptions | undefined): (tokens: number) => number {
  const ep = layout.ep ?? 1;
  const cp = layout.cp ?? 1;
  if (ep <= 1 && cp <= 1) return () => 0;
  if (!parallel) throw new Error(`pipeline training with ep ${ep}, cp ${cp} needs the cost model's links (PipelineParallelOptions)`);
  const model = replica.model;
  const moeLayers = ep > 1 ? maxStageMoeLayers(model, layout.pp) : 0;
  const expertsPerToken = model.moe?.expertsPerToken ?? 0;
  const stageLayers = Math.ceil(model.layers / layout.pp);
  const kvPerTokenPerLayer = kvBytesPerTokenPerGpu(model, layout.tp, 1, model.bytesPerParameter) / model.layers;
  const cpCrossNode = layout.tp * cp > parallel.gpusPerNode;
  return (tokens) => {
    const perGpu = tokens / (cp * layout.tp);
    const allToAll = moeLayers > 0 ? 2 * moeLayers * expertAllToAllS(parallel.cost, expertAllToAllBytesPerGpu(perGpu, expertsPerToken, model.hidden, model.bytesPerParameter, ep), ep, parallel.gpusPerNode) : 0;
    const ring = cp > 1 ? stageLayers * contextParallelExchangeS(parallel.cost, tokens / cp, kvPerTokenPerLayer, cp, cpCrossNode) : 0;
    return allToAll + ring;
  };
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
 *
 * Added: with CP each GPU computes 1/cp of a micro-batch's tokens and causal attention and pays the
 * ring exchange; with EP every MoE layer adds a dispatch and a combine all-to-all per pass; with
 * VPP the pipeline runs interleaved 1F1B; with EP, CP or the distributed optimizer the dense
 * gradients are synchronised over DP × CP and the expert gradients over the expert-data-parallel
 * ranks. A layout without these takes the plain path unchanged.
 */
export function pipelineTrainStage(replica: ReplicaCost, layout: TrainLayout, crossNodeSync: boolean, input: TrainStageInput, parallel?: PipelineParallelOptions): TrainStageResult {
  const miniBatches: MiniBatchTiming[] = [];
  let total = 0;
  const cp = layout.cp ?? 1;
  const vpp = layout.vpp ?? 1;
  const communicationPerPass = stageParallelCommunication(replica, layout, parallel);
  const passes = parallel?.communicationPasses ?? 3;
  const forwardS = (tokens: number, sequences: number, squares: number): number => {
    const comm = communicationPerPass(tokens);
    const kernels = cp > 1 ? replica.trainStageForwardS(tokens / cp, sequences, squares / cp) : replica.trainStageForwardS(tokens, sequences, squares);
    return comm > 0 ? kernels + comm : kernels;
  };
  const backwardS = (tokens: number, sequences: number, squares: number): number => {
    const comm = (passes - 1) * communicationPerPass(tokens);
    const kernels = cp > 1 ? replica.trainStageBackwardS(tokens / cp, sequences, squares / cp) : replica.trainStageBackwardS(tokens, sequences, squares);
    return comm > 0 ? kernels + comm : kernels;
  };
  const sync = dataParallelSync(replica, layout, crossNodeSync, parallel);
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
      workSum += microBatches * (forwardS(meanTokens, meanSequences, meanSquares) + backwardS(meanTokens, meanSequences, meanSquares));
      const current = slowest.get(microBatches);
      if (!current || meanTokens > current.meanTokens) slowest.set(microBatches, { meanTokens, meanSequences, meanSquares });
      maxMicroBatches = Math.max(maxMicroBatches, microBatches);
    }
    let computeS = 0;
    for (const [microBatches, { meanTokens, meanSequences, meanSquares }] of [...slowest].sort((a, b) => a[0] - b[0])) {
      const pipeline = {
        stages: layout.pp,
        microBatches,
        forwardS: forwardS(meanTokens, meanSequences, meanSquares),
        backwardS: backwardS(meanTokens, meanSequences, meanSquares),
        sendS: layout.pp > 1 ? replica.pipelineSendS(cp > 1 ? meanTokens / cp : meanTokens) : 0,
      };
      computeS = Math.max(computeS, vpp > 1 ? interleavedOneFOneBMakespanS({ ...pipeline, chunks: vpp }) : oneFOneBMakespanS(pipeline));
    }
    const { gradientSyncS, optimizerS } = sync;
    const durationS = computeS + gradientSyncS + optimizerS;
    const idleS = computeS - workSum / layout.dp;
    miniBatches.push({ epoch, index, sampleIds: ids, microBatches: maxMicroBatches, computeS, gradientSyncS, optimizerS, durationS, idleS });
    total += durationS;
  }
  return { durationS: total, miniBatches };
}

/**
 * Gradient synchronisation and optimizer step of one mini-batch on the busiest stage. Plain layouts
 * keep the replica's all-reduce over DP and its optimizer sharded over DP. With EP, CP or the
 * distributed optimizer: dense parameters over the DP × CP ranks, expert parameters over the
 * expert-data-parallel ranks (TP × CP × DP / (EP × ETP)), each all-reduced, or reduce-scattered and
 * all-gathered by the distributed optimizer; the optimizer steps each group's shard.
 */
function dataParallelSync(replica: ReplicaCost, layout: TrainLayout, crossNodeSync: boolean, parallel: PipelineParallelOptions | undefined): { gradientSyncS: number; optimizerS: number } {
  const ep = layout.ep ?? 1;
  const cp = layout.cp ?? 1;
  if (ep <= 1 && cp <= 1 && !parallel?.distributedOptimizer) return { gradientSyncS: replica.gradientSyncS(layout.dp, crossNodeSync), optimizerS: replica.optimizerStepS(layout.dp) };
  if (!parallel) throw new Error('pipeline training: EP, CP or the distributed optimizer need PipelineParallelOptions');
  const model = replica.model;
  const bytes = model.bytesPerParameter;
  const shard = shardParameters(model, layout);
  const denseGroup = layout.dp * cp;
  const expertGroup = expertDataParallel(layout);
  const cost = parallel.cost;
  const gradientSyncS = parallel.distributedOptimizer
    ? distributedOptimizerSyncS(cost, shard.denseParameters, denseGroup, crossNodeSync, bytes) + distributedOptimizerSyncS(cost, shard.expertParameters, expertGroup, crossNodeSync, bytes)
    : (denseGroup > 1 ? cost.allReduceS(shard.denseParameters * bytes, denseGroup, crossNodeSync) : 0) + (expertGroup > 1 && shard.expertParameters > 0 ? cost.allReduceS(shard.expertParameters * bytes, expertGroup, crossNodeSync) : 0);
  // optimizerStepS(d) steps replica parameters / d: pick d so that it steps exactly this GPU's shards.
  const stepped = shard.denseParameters / denseGroup + shard.expertParameters / expertGroup;
  const optimizerS = replica.optimizerStepS(replica.weightBytesPerGpu / bytes / stepped);
  return { gradientSyncS, optimizerS };
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
  /**
   * Added: the ZeRO stage of the sharding (default 3: parameters all-gathered for every micro-batch's
   * forward and backward, as FSDP / FSDP2). 2: gradients reduce-scattered every micro-batch,
   * parameters kept whole and all-gathered once per mini-batch after the step. 1: only the optimizer
   * state sharded: gradients reduce-scattered and parameters all-gathered once per mini-batch
   * (DeepSpeed ZeRO, arXiv 1910.02054).
   */
  readonly zeroStage?: 1 | 2 | 3;
  /** Added: parameters (and with FSDP their gradients) in host memory: every micro-batch copies the GPU's parameter shard in for the forward and again for the backward, and its gradient shard out. */
  readonly paramOffload?: boolean;
  /** Added: the optimizer steps on the host (ZeRO-Offload, Megatron's CPU optimizer): every mini-batch copies the gradient shard out and the updated parameter shard in; the host's Adam compute is not priced (a lower bound). */
  readonly optimizerOffload?: boolean;
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
  const sharding = {
    shardGroup,
    replicas: options.dp / shardGroup,
    shardCrossNode: options.shardCrossNode ?? (shardGroup === options.dp ? options.crossNode : shardGroup > gpusPerNode),
    replicaCrossNode: options.crossNode,
    gradientBytesPerParameter: options.gradientBytesPerParameter ?? bytesPerParameter,
  };
  const { perMicroBatchS: communicationS, perMiniBatchS } = shardedCommunicationByStage(cost, weightBytes, bytesPerParameter, sharding, options);
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
    const durationS = perMiniBatchS > 0 ? computeS + perMiniBatchS + optimizerS : computeS + optimizerS;
    miniBatches.push({ epoch, index, sampleIds: ids, microBatches: maxMicroBatches, computeS, gradientSyncS: perMiniBatchS, optimizerS, durationS, idleS: computeS - workSum / options.dp });
    total += durationS;
  }
  return { durationS: total, miniBatches };
}

/**
 * The sharded stage's communication by ZeRO stage and offload: what every micro-batch pays (hidden
 * behind compute by the overlap) and what every mini-batch pays once (around the optimizer step).
 * Stage 3 without offload is shardedMicroBatchCommunicationS exactly.
 */
export function shardedCommunicationByStage(
  cost: CostModel,
  weightBytes: number,
  bytesPerParameter: number,
  sharding: Parameters<typeof shardedMicroBatchCommunicationS>[3],
  options: Pick<ShardedDataParallelOptions, 'zeroStage' | 'paramOffload' | 'optimizerOffload'>,
): { perMicroBatchS: number; perMiniBatchS: number } {
  const stage = options.zeroStage ?? 3;
  const group = sharding.shardGroup;
  const gradientBytes = (weightBytes / bytesPerParameter) * sharding.gradientBytesPerParameter;
  const gather = group > 1 ? 0.5 * cost.allReduceS(weightBytes, group, sharding.shardCrossNode) : 0;
  const reduceScatter = group > 1 ? 0.5 * cost.allReduceS(gradientBytes, group, sharding.shardCrossNode) : 0;
  const replicaAllReduce = sharding.replicas > 1 ? cost.allReduceS(gradientBytes / group, sharding.replicas, sharding.replicaCrossNode) : 0;
  let perMicroBatchS = stage === 3 ? shardedMicroBatchCommunicationS(cost, weightBytes, bytesPerParameter, sharding) : stage === 2 ? reduceScatter + replicaAllReduce : 0;
  let perMiniBatchS = stage === 3 ? 0 : stage === 2 ? gather : reduceScatter + replicaAllReduce + gather;
  // Host copies over each GPU's own PCIe link: its parameter shard in (twice per micro-batch with parameter offload), its gradient shard out.
  const parameterShard = weightBytes / group;
  const gradientShard = gradientBytes / group;
  if (options.paramOffload) perMicroBatchS += cost.hostToGpuS(2 * parameterShard + gradientShard, 1);
  if (options.optimizerOffload) perMiniBatchS += cost.hostToGpuS(gradientShard + parameterShard, 1);
  return { perMicroBatchS, perMiniBatchS };
}
