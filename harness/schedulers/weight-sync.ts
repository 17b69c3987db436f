import type { CostModel, Placement } from '../cost/types.js';

/** How a system moves actor weights from the training layout to the generation layout (HybridFlow Table 2, reference §5.2). */
export type ReshardSystem =
  /** Gathers the whole model on every GPU: (tpd − 1)/(tpd) · M per GPU (DeepSpeed-Chat; veRL 0.3's FSDP → vLLM sync does the same). */
  | 'gather-all'
  /** HybridFlow's 3D-HybridEngine: gathers only within micro-DP groups: (tp − t_g·p_g)/(t_g·p_g·tp) · M per GPU. */
  | 'hybrid-engine';

export interface ReshardLayouts {
  readonly train: { readonly tp: number; readonly pp: number; readonly dp: number };
  readonly generation: { readonly tp: number; readonly pp: number };
}

/** Bytes each GPU receives when resharding a model of `modelBytes` (formulas from HybridFlow, reference §5.2). */
export function reshardBytesPerGpu(modelBytes: number, layouts: ReshardLayouts, system: ReshardSystem): number {
  const { tp: t, pp: p, dp: d } = layouts.train;
  if (system === 'gather-all') return ((t * p * d - 1) / (t * p * d)) * modelBytes;
  const genShards = layouts.generation.tp * layouts.generation.pp;
  // A generation shard at least as fine as the training shard needs no gathering (slicing is local).
  return Math.max(0, (t * p - genShards) / (genShards * t * p)) * modelBytes;
}

/** Time to reshard: every GPU receives its bytes in parallel over the link the gathering group spans. */
export function reshardS(cost: CostModel, modelBytes: number, layouts: ReshardLayouts, system: ReshardSystem, placement: Placement): number {
  const bytes = reshardBytesPerGpu(modelBytes, layouts, system);
  return bytes > 0 ? cost.transferS(bytes, placement) : 0;
}

/**
 * Loading frozen weights (ref, reward) from host memory: `replicas` copies of a `modelBytes` model
 * onto `gpus` GPUs, each GPU loading its shard over its own host link in parallel.
 */
export function hostLoadS(cost: CostModel, modelBytes: number, replicas: number, gpus: number): number {
  return cost.hostToGpuS(modelBytes * replicas, gpus);
}

/** NCCL broadcast of full weights from a training pool to generation engines (OpenRLHF): pipelined, ≈ one transfer of M. */
export function broadcastWeightsS(cost: CostModel, modelBytes: number, placement: Placement): number {
  return cost.transferS(modelBytes, placement);
}
