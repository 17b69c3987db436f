import { InputError } from '../util/input-error.js';
import {
  attentionParameters,
  denseMlpParameters,
  embeddingParameters,
  expertParameters,
  isMoeLayer,
  kvBytesPerTokenPerGpu,
  layerParameters,
  normParameters,
  routerParameters,
  stageLayerRange,
  weightBytesPerGpu,
} from './model-shape.js';
import type { GpuSpec, ModelSpec } from './types.js';

/**
 * Memory feasibility: the bytes one GPU needs for a training layout or a generation instance, next
 * to what it has. Pure functions of the model shape, the GPU and the layout; `assertFits` turns a
 * configuration that cannot fit into an InputError naming the numbers (GiB per GPU).
 *
 * Training state per parameter (bf16 weights, Adam):
 * - Megatron (megatron/core/distributed, Megatron-LM README "Distributed Optimizer"): bf16 params
 *   with fp32 main grads and fp32 master weights, m, v: 18 bytes/param, or 6 + 12/d with the
 *   distributed optimizer sharding the 12 bytes of optimizer state over the d data-parallel ranks
 *   (dense parameters over DP × CP, expert parameters over the expert-data-parallel ranks).
 * - ZeRO (Rajbhandari et al., arXiv 1910.02054, §5): 2 + 2 + 12 = 16 bytes/param; stage 1 shards
 *   the 12 optimizer bytes, stage 2 also the 2 gradient bytes, stage 3 also the 2 parameter bytes.
 * - FSDP / FSDP2 (full shard, mixed precision as veRL runs it): the fp32 parameter shard, its fp32
 *   gradient and Adam's m and v, 16/d bytes/param, plus the bf16 parameters of the units being
 *   gathered (assumed two decoder layers: the one computing and the one prefetched).
 * Offload moves the parameters (FSDP, with their gradients; ZeRO-3) or the optimizer state (Megatron's
 * CPU optimizer with its fp32 master copy; ZeRO-Offload, with the gradients) to host memory; what
 * stays on the GPU is what compute needs at once. Megatron's parameter and gradient offload (veRL)
 * frees them between phases, not while training, so it does not change the training peak.
 *
 * Activations per layer per token (Korthikanti et al., arXiv 2205.05198, Eq. 2 without the score
 * term FlashAttention does not store; the cost model's named assumptions activationBytesReplicated
 * 10, activationBytesSharded 24, activationBytesRecomputed 2): 'none' and 'selective' keep
 * d·(10 + 24/t) bytes (selective recomputation drops only the attention scores, which
 * FlashAttention never stores), 'full' keeps the layer input (2·d bytes) and rebuilds one layer at
 * a time in the backward. MoE layers are taken as dense ones (their routed copies are not counted:
 * an underestimate, named). The last stage also holds the micro-batch's fp32 logits
 * (tokens × vocab / t × 4 bytes). Under 1F1B the first stage holds min(m, p) micro-batches in
 * flight, × (1 + (p − 1)/(p·v)) interleaved (Korthikanti §4.2.3).
 */

export type TrainingEngine = 'megatron' | 'zero1' | 'zero2' | 'zero3' | 'fsdp';
export const TRAINING_ENGINES: readonly TrainingEngine[] = ['megatron', 'zero1', 'zero2', 'zero3', 'fsdp'];
export type RecomputeMode = 'full' | 'selective' | 'none';
export const RECOMPUTE_MODES: readonly RecomputeMode[] = ['full', 'selective', 'none'];

/** A training layout: TP × PP (× CP) GPUs per replica, DP replicas; EP folds the experts over the TP × CP × DP GPUs of a stage; VPP chunks per PP stage. */
export interface TrainingLayout {
  readonly tp: number;
  readonly pp: number;
  readonly dp: number;
  readonly ep?: number;
  readonly cp?: number;
  readonly vpp?: number;
}

export interface ActivationCoefficients {
  /** Bytes per token per hidden unit per layer TP does not shard (Korthikanti: 10). */
  readonly replicated: number;
  /** Bytes per token per hidden unit per layer TP shards (Korthikanti: 24). */
  readonly sharded: number;
  /** Bytes per token per hidden unit per layer kept under full recomputation (the bf16 layer input: 2). */
  readonly recomputed: number;
}

export const KORTHIKANTI_ACTIVATIONS: ActivationCoefficients = { replicated: 10, sharded: 24, recomputed: 2 };

export interface TrainingMemoryOptions {
  readonly engine: TrainingEngine;
  /** Megatron only: shard the optimizer state over the data-parallel ranks. */
  readonly distributedOptimizer?: boolean;
  readonly recompute: RecomputeMode;
  /** Parameters (and, for sharded engines, their fp32 shards) in host memory. */
  readonly paramOffload?: boolean;
  /** Optimizer state (and Megatron's fp32 master copy) in host memory. */
  readonly optimizerOffload?: boolean;
  /** Tokens of the largest micro-batch of one data-parallel rank (split over CP ranks). */
  readonly microBatchTokens: number;
  /** Micro-batches per mini-batch of one pipeline (in flight under 1F1B: at most pp); default pp. */
  readonly microBatches?: number;
  /** FSDP / ZeRO: GPUs a parameter is sharded over (HSDP shard group); default dp. */
  readonly shardGroup?: number;
  /** CUDA context, NCCL and allocator workspace per GPU (the cost model's runtimeOverheadBytesPerGpu). */
  readonly runtimeOverheadBytes: number;
  readonly activations?: ActivationCoefficients;
  /** Share of GPU memory the training engine may use (default 1). */
  readonly memoryUtilization?: number;
}

export interface MemoryBreakdown {
  readonly weightBytes: number;
  readonly gradientBytes: number;
  readonly optimizerBytes: number;
  readonly activationBytes: number;
  /** Generation: the KV cache. */
  readonly kvCacheBytes: number;
  readonly runtimeBytes: number;
  readonly neededBytes: number;
  readonly availableBytes: number;
  readonly fits: boolean;
}

/** Parameters one GPU of the heaviest pipeline stage holds: the dense ones (TP-split) and its experts (split over EP, and over TP when EP is 1). */
export interface ShardParameters {
  readonly denseParameters: number;
  readonly expertParameters: number;
}

/** Expert tensor parallelism: experts are split over TP when there is no EP, whole on each EP rank otherwise (ETP 1, as the recorded Megatron MoE runs set it). */
export function expertTensorParallel(layout: Pick<TrainingLayout, 'tp' | 'ep'>): number {
  return (layout.ep ?? 1) > 1 ? 1 : layout.tp;
}

/** GPUs an expert parameter's gradients are reduced over: the expert-data-parallel ranks, TP × CP × DP / (EP × ETP). */
export function expertDataParallel(layout: TrainingLayout): number {
  return (layout.tp * (layout.cp ?? 1) * layout.dp) / ((layout.ep ?? 1) * expertTensorParallel(layout));
}

export function shardParameters(model: ModelSpec, layout: Pick<TrainingLayout, 'tp' | 'pp' | 'ep'>): ShardParameters {
  const { tp, pp } = layout;
  const ep = layout.ep ?? 1;
  if (!model.moe) {
    // Dense: exactly the replica's weightBytesPerGpu (the busiest stage plus one end).
    return { denseParameters: weightBytesPerGpu(model, tp, pp) / model.bytesPerParameter, expertParameters: 0 };
  }
  const etp = expertTensorParallel(layout);
  const expertsPerGpu = model.moe.experts / (ep * etp);
  const moeNonExpert = attentionParameters(model) + routerParameters(model) + denseMlpParameters(model, model.moe.sharedExpertFfn) + normParameters(model);
  const ends = pp === 1 ? embeddingParameters(model) + model.hidden : model.vocab * model.hidden;
  let best: ShardParameters = { denseParameters: 0, expertParameters: 0 };
  for (let stage = 0; stage < pp; stage++) {
    const { first, end } = stageLayerRange(model, pp, stage);
    let dense = stage === 0 || stage === pp - 1 ? ends : 0;
    let experts = 0;
    for (let layer = first; layer < end; layer++) {
      if (isMoeLayer(model, layer)) {
        dense += moeNonExpert;
        experts += expertsPerGpu * expertParameters(model);
      } else dense += layerParameters(model);
    }
    const candidate = { denseParameters: dense / tp, expertParameters: experts };
    if (candidate.denseParameters + candidate.expertParameters > best.denseParameters + best.expertParameters) best = candidate;
  }
  return best;
}

function checkLayout(model: ModelSpec, layout: TrainingLayout): void {
  const ep = layout.ep ?? 1;
  for (const [name, value] of Object.entries({ tp: layout.tp, pp: layout.pp, dp: layout.dp, ep, cp: layout.cp ?? 1, vpp: layout.vpp ?? 1 })) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`training layout: ${name} must be a positive integer, got ${value}`);
  }
  if (ep > 1 && !model.moe) throw new RangeError(`training layout: ep ${ep} needs an MoE model; ${model.id} is dense`);
  if (ep > 1 && model.moe!.experts % ep !== 0) throw new RangeError(`training layout: ep ${ep} does not divide ${model.id}'s ${model.moe!.experts} experts`);
  if ((layout.tp * (layout.cp ?? 1) * layout.dp) % ep !== 0) throw new RangeError(`training layout: ep ${ep} does not divide the tp × cp × dp = ${layout.tp * (layout.cp ?? 1) * layout.dp} GPUs of a stage`);
}

/** Bytes per GPU of a training layout of `model` on `gpu`, next to what the GPU has. */
export function trainingMemoryPerGpu(model: ModelSpec, gpu: GpuSpec, layout: TrainingLayout, options: TrainingMemoryOptions): MemoryBreakdown {
  checkLayout(model, layout);
  const { tp, pp, dp } = layout;
  const cp = layout.cp ?? 1;
  const vpp = layout.vpp ?? 1;
  const shard = shardParameters(model, layout);
  const parameters = shard.denseParameters + shard.expertParameters;
  const weightBytesPerParameter = model.bytesPerParameter;
  let weightBytes: number;
  let gradientBytes: number;
  let optimizerBytes: number;
  const engine = options.engine;
  if (engine === 'megatron') {
    // bf16 weights (2) + fp32 main grads (4) + fp32 master, m, v (12), the 12 sharded by the distributed optimizer.
    const denseGroup = dp * cp;
    const expertGroup = expertDataParallel(layout);
    const optimizerShard = options.distributedOptimizer ? shard.denseParameters / denseGroup + shard.expertParameters / expertGroup : parameters;
    weightBytes = parameters * weightBytesPerParameter;
    gradientBytes = parameters * 4;
    optimizerBytes = options.optimizerOffload ? 0 : optimizerShard * 12;
  } else {
    const group = Math.max(1, options.shardGroup ?? dp);
    const stage = engine === 'zero1' ? 1 : engine === 'zero2' ? 2 : 3;
    if (engine === 'fsdp') {
      // fp32 parameter shard + fp32 gradient shard + Adam m, v (4 + 4 + 8 = 16/d); bf16 copies of two gathered layers.
      const gathered = 2 * maxLayerParameters(model) * weightBytesPerParameter;
      weightBytes = (options.paramOffload ? 0 : (parameters / group) * 4) + gathered;
      // FSDP's CPUOffload(offload_params=True) keeps the gradient shards on the host too.
      gradientBytes = options.paramOffload ? 0 : (parameters / group) * 4;
      optimizerBytes = options.optimizerOffload ? 0 : (parameters / group) * 8;
    } else {
      const gathered = stage === 3 ? 2 * maxLayerParameters(model) * weightBytesPerParameter : 0;
      weightBytes = (stage === 3 ? (options.paramOffload ? 0 : (parameters / group) * 2) : parameters * 2) + gathered;
      // ZeRO-Offload: offloading the optimizer moves the (partitioned) gradients to the host with it.
      gradientBytes = options.optimizerOffload && stage >= 2 ? 0 : stage >= 2 ? (parameters / group) * 2 : parameters * 2;
      optimizerBytes = options.optimizerOffload ? 0 : (parameters / group) * 12;
    }
  }

  const activations = options.activations ?? KORTHIKANTI_ACTIVATIONS;
  const tokens = options.microBatchTokens / cp;
  const stageLayers = Math.ceil(model.layers / pp);
  const d = model.hidden;
  // Sharded engines run the whole model on every GPU (tp = 1 for activations); Megatron splits by TP.
  const activationTp = engine === 'megatron' ? tp : 1;
  const fullLayer = tokens * d * (activations.replicated + activations.sharded / activationTp);
  const perLayer = options.recompute === 'full' ? tokens * d * activations.recomputed : fullLayer;
  const recomputeWorkspace = options.recompute === 'full' ? fullLayer : 0;
  const microBatches = options.microBatches ?? pp;
  const inFlight = engine === 'megatron' ? Math.max(1, Math.min(microBatches, pp)) * (vpp > 1 && pp > 1 ? 1 + (pp - 1) / (pp * vpp) : 1) : 1;
  const logits = tokens * (model.vocab / activationTp) * 4;
  const firstStage = inFlight * stageLayers * perLayer + recomputeWorkspace + (pp === 1 ? logits : 0);
  const lastStage = stageLayers * perLayer + recomputeWorkspace + logits;
  const activationBytes = Math.max(firstStage, lastStage);

  return breakdown(gpu, options.memoryUtilization ?? 1, { weightBytes, gradientBytes, optimizerBytes, activationBytes, kvCacheBytes: 0, runtimeBytes: options.runtimeOverheadBytes });
}

function maxLayerParameters(model: ModelSpec): number {
  let most = 0;
  for (let layer = 0; layer < model.layers; layer++) {
    const p = isMoeLayer(model, layer) ? attentionParameters(model) + routerParameters(model) + denseMlpParameters(model, model.moe!.sharedExpertFfn) + model.moe!.experts * expertParameters(model) + normParameters(model) : layerParameters(model);
    most = Math.max(most, p);
  }
  return most;
}

export interface GenerationMemoryOptions {
  readonly tp: number;
  readonly pp?: number;
  /** KV tokens the instance must hold at once. */
  readonly kvTokens: number;
  readonly kvBytesPerElement: number;
  /** vLLM gpu_memory_utilization. */
  readonly memoryUtilization: number;
  readonly runtimeOverheadBytes: number;
}

/** Bytes per GPU of one generation instance: its weights under TP × PP and the KV cache of `kvTokens` tokens. */
export function generationMemoryPerGpu(model: ModelSpec, gpu: GpuSpec, options: GenerationMemoryOptions): MemoryBreakdown {
  const pp = options.pp ?? 1;
  return breakdown(gpu, options.memoryUtilization, {
    weightBytes: weightBytesPerGpu(model, options.tp, pp),
    gradientBytes: 0,
    optimizerBytes: 0,
    activationBytes: 0,
    kvCacheBytes: options.kvTokens * kvBytesPerTokenPerGpu(model, options.tp, pp, options.kvBytesPerElement),
    runtimeBytes: options.runtimeOverheadBytes,
  });
}

function breakdown(gpu: GpuSpec, utilization: number, parts: Omit<MemoryBreakdown, 'neededBytes' | 'availableBytes' | 'fits'>): MemoryBreakdown {
  const neededBytes = parts.weightBytes + parts.gradientBytes + parts.optimizerBytes + parts.activationBytes + parts.kvCacheBytes + parts.runtimeBytes;
  const availableBytes = gpu.memoryBytes * utilization;
  return { ...parts, neededBytes, availableBytes, fits: neededBytes <= availableBytes };
}

const GIB = 1024 ** 3;
const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;

/** One line naming the numbers: needed vs available per GPU, and what the need is made of. */
export function describeMemory(memory: MemoryBreakdown): string {
  const parts = [
    ['weights', memory.weightBytes],
    ['gradients', memory.gradientBytes],
    ['optimizer state', memory.optimizerBytes],
    ['activations', memory.activationBytes],
    ['KV cache', memory.kvCacheBytes],
    ['runtime', memory.runtimeBytes],
  ] as const;
  const made = parts.filter(([, bytes]) => bytes > 0).map(([name, bytes]) => `${name} ${gib(bytes)}`);
  return `needs ${gib(memory.neededBytes)} per GPU (${made.join(', ')}) but ${gib(memory.availableBytes)} is available per GPU`;
}

/** Throws an InputError at `site` when the configuration does not fit, naming the numbers. */
export function assertFits(memory: MemoryBreakdown, site: { readonly file: string; readonly line?: number; readonly column?: number; readonly field: string; readonly value?: unknown }, what: string): void {
  if (memory.fits) return;
  throw new InputError({ ...site, message: `${what} does not fit in GPU memory: ${describeMemory(memory)}` });
}
