import type { CostModel, ModelSpec, Placement } from '../../cost/types.js';

/**
 * Communication of sharded data parallelism (FSDP / ZeRO-3) and of Ulysses sequence parallelism,
 * shared by the training stage and the inference forwards. Pure functions of the cost model.
 */

/**
 * What a GPU waits for when `communicationS` of collectives run beside `computeS` of compute and
 * a fraction `overlap` of the collectives is issued ahead (FSDP / ZeRO-3 prefetching): the hidden
 * part is `overlap × communicationS` but never more than the compute it hides behind.
 */
export function exposedCommunicationS(communicationS: number, computeS: number, overlap: number): number {
  if (communicationS <= 0) return 0;
  return communicationS - Math.min(overlap * communicationS, Math.max(0, computeS));
}

/**
 * All-gather of a model's parameters over a shard group of `group` GPUs (FSDP / ZeRO-3, before a
 * forward or a backward): a ring all-gather moves (g − 1)/g of the bytes into every GPU, half of
 * what a ring all-reduce of the same bytes moves.
 */
export function parameterAllGatherS(cost: CostModel, weightBytes: number, group: number, crossNode: boolean): number {
  return group > 1 ? 0.5 * cost.allReduceS(weightBytes, group, crossNode) : 0;
}

/** How sharded data-parallel training communicates (FSDP / HSDP / ZeRO-3). */
export interface ShardedCommunication {
  /** GPUs a parameter is sharded over (FSDP's shard group; = dp for full sharding). */
  readonly shardGroup: number;
  /** Data-parallel ranks holding replicas of one shard (dp / shardGroup; 1 for full sharding). */
  readonly replicas: number;
  /** Whether the shard group spans nodes. */
  readonly shardCrossNode: boolean;
  /** Whether the replica group spans nodes. */
  readonly replicaCrossNode: boolean;
  /** Bytes per parameter of the gradients reduced (bf16 2, fp32 4). */
  readonly gradientBytesPerParameter: number;
}

/**
 * One micro-batch's collectives: the parameters all-gathered for the forward and again for the
 * backward (resharded after the forward), the gradients reduce-scattered over the shard group and,
 * with hybrid sharding (HSDP), the shard's gradients all-reduced over the replicas.
 */
export function shardedMicroBatchCommunicationS(cost: CostModel, weightBytes: number, bytesPerParameter: number, c: ShardedCommunication): number {
  const gather = parameterAllGatherS(cost, weightBytes, c.shardGroup, c.shardCrossNode);
  const gradientBytes = (weightBytes / bytesPerParameter) * c.gradientBytesPerParameter;
  const reduceScatter = c.shardGroup > 1 ? 0.5 * cost.allReduceS(gradientBytes, c.shardGroup, c.shardCrossNode) : 0;
  const replicaAllReduce = c.replicas > 1 ? cost.allReduceS(gradientBytes / c.shardGroup, c.replicas, c.replicaCrossNode) : 0;
  return 2 * gather + reduceScatter + replicaAllReduce;
}

/**
 * Ulysses sequence parallelism (DeepSpeed-Ulysses, veRL's ulysses_sequence_parallel_size): each
 * of `sp` GPUs holds 1/sp of a micro-batch's tokens; around every attention, all-to-alls turn the
 * Q, K and V slices into whole sequences of 1/sp of the heads and the output back. Seconds per
 * token of the micro-batch for one forward pass: per layer, each GPU sends (sp − 1)/sp of its
 * slice of Q and O (heads × head dim) and of K and V (KV heads, repeated up to sp when fewer).
 */
export function ulyssesAllToAllSPerToken(cost: CostModel, model: ModelSpec, sp: number, placement: Placement): number {
  if (sp <= 1) return 0;
  const kvHeads = Math.max(model.kvHeads, sp);
  const bytesPerToken = (2 * model.heads + 2 * kvHeads) * model.headDim * model.bytesPerParameter;
  const perGpuPerToken = (bytesPerToken / sp) * ((sp - 1) / sp);
  // Linear in bytes: the time of a large transfer divided by its tokens (latency is amortised over a micro-batch).
  const tokens = 1 << 20;
  return (model.layers * cost.transferS(perGpuPerToken * tokens, placement)) / tokens;
}

/**
 * Bytes one GPU sends in one expert-parallel all-to-all (dispatch, or combine on the way back) of
 * one MoE layer: Megatron's alltoall token dispatcher (megatron/core/transformer/moe/
 * token_dispatcher.py @bed33f8, MoEAlltoAllTokenDispatcher) permutes every token once per chosen
 * expert (tokens × k rows of hidden) and sends each row to the EP rank holding its expert; under
 * uniform routing (named assumption) (EP − 1)/EP of the rows leave the GPU.
 */
export function expertAllToAllBytesPerGpu(tokensPerGpu: number, expertsPerToken: number, hidden: number, bytesPerElement: number, ep: number): number {
  return ep > 1 ? (tokensPerGpu * expertsPerToken * hidden * bytesPerElement * (ep - 1)) / ep : 0;
}

/**
 * Time of one expert-parallel all-to-all in which every GPU of the EP group sends `bytesPerGpu`
 * spread evenly over its ep − 1 peers. The EP ranks are consecutive GPUs (Megatron's expert rank
 * order with ETP 1): peers in the same node are reached over the node's GPU links, the others over
 * the GPU's share of the node's network, in parallel; the slower part bounds the collective.
 */
export function expertAllToAllS(cost: CostModel, bytesPerGpu: number, ep: number, gpusPerNode: number): number {
  if (ep <= 1 || bytesPerGpu <= 0) return 0;
  const peersInNode = Math.min(ep, gpusPerNode) - 1;
  const intraShare = peersInNode / (ep - 1);
  const intra = intraShare > 0 ? cost.transferS(bytesPerGpu * intraShare, 'same-node') : 0;
  const inter = intraShare < 1 ? cost.transferS(bytesPerGpu * (1 - intraShare), 'other-node') : 0;
  return Math.max(intra, inter);
}

/**
 * Ring attention of context parallelism (Megatron CP via Transformer Engine's
 * AttnFuncWithCPAndKVP2P): each of the cp ranks holds 1/cp of every sequence (load-balanced
 * chunks, so each computes 1/cp of the causal attention) and passes its K and V on around the
 * ring cp − 1 times per layer in the forward. Seconds of one layer's exchange for one pass.
 */
export function contextParallelExchangeS(cost: CostModel, tokensPerGpu: number, kvBytesPerTokenPerGpu: number, cp: number, crossNode: boolean): number {
  if (cp <= 1 || tokensPerGpu <= 0) return 0;
  return (cp - 1) * cost.transferS(tokensPerGpu * kvBytesPerTokenPerGpu, crossNode ? 'other-node' : 'same-node');
}

/**
 * Megatron's distributed optimizer (megatron/core/optimizer/distrib_optimizer.py): gradients
 * reduce-scattered over the data-parallel group (fp32 main gradients, 4 bytes: Megatron reduces in
 * fp32 with bf16 parameters), each rank steps its shard, parameters all-gathered back (bf16). A ring
 * reduce-scatter and all-gather each move half of what an all-reduce of the same bytes moves.
 */
export function distributedOptimizerSyncS(cost: CostModel, parameters: number, group: number, crossNode: boolean, parameterBytes: number, gradientBytes = 4): number {
  if (group <= 1 || parameters <= 0) return 0;
  return 0.5 * cost.allReduceS(parameters * gradientBytes, group, crossNode) + 0.5 * cost.allReduceS(parameters * parameterBytes, group, crossNode);
}
