import type { ModelSpec } from '../../cost/types.js';
import { spansNodes } from '../../sim/gpu-pools.js';
import type { IterationContext } from '../iteration-context.js';
import { fsdpShardGroup, isFsdpLayout, offloadedStateS, type VerlWorkerSettings } from '../baseline/verl-workers.js';
import { reshardS } from '../weight-sync.js';
import type { AsyncPools } from './pools.js';

/** veRL's checkpoint engine bucket: async_training.checkpoint_engine.device_buffer_size_M default 4096 MB (volcengine/verl b178a3cd). */
export const CHECKPOINT_ENGINE_BUCKET_BYTES = 4096 * 1024 * 1024;

export type AsyncWeightSync = 'nccl-per-tensor' | 'checkpoint-engine';

/**
 * Named tensors of a dense decoder's state dict (what veRL's per-tensor sync broadcasts one by
 * one): per layer q, k, v, o, gate, up, down, the norms, the QKV biases and q/k norms where the
 * model has them; the embedding, the final norm and an untied LM head. MoE experts are counted
 * as one tensor per expert matrix.
 */
export function stateDictTensors(model: ModelSpec): number {
  const attention = 4 + (model.qkvBias ? 3 : 0) + (model.qkNorm ? 2 : 0);
  const mlpMatrices = model.gatedMlp === false ? 2 : 3;
  const mlp = model.moe ? 1 + model.moe.experts * mlpMatrices : mlpMatrices;
  const perLayer = attention + mlp + (model.normsPerLayer ?? 2);
  return model.layers * perLayer + 2 + (model.tiedEmbeddings ? 0 : 1);
}

export interface AsyncWeightSyncCost {
  readonly durationS: number;
  /** The parts, seconds: for the report's detail. */
  readonly parts: { readonly loadS: number; readonly gatherS: number; readonly broadcastS: number; readonly engineLoadS: number };
}

/**
 * One weight sync from the trainer to the rollout servers (veRL one_step_off_policy and
 * fully_async_policy, volcengine/verl b178a3cd): the trainer's FSDP parameters from host memory
 * when offloaded, every tensor gathered whole on the trainer ranks (DTensor.full_tensor(): an
 * all-gather over the FSDP shard group, or the TP × PP group of a Megatron layout), broadcast from
 * trainer rank 0 to every rollout rank over the link between the pools (per tensor, or in
 * checkpoint-engine buckets), and loaded into vLLM's TP shards (load_weights: a device copy).
 * Both pools wait for it. The bytes are the model's; the links are the cost model's.
 */
export function asyncWeightSyncS(ctx: IterationContext, pools: AsyncPools, workers: VerlWorkerSettings, mechanism: AsyncWeightSync): AsyncWeightSyncCost {
  const modelBytes = ctx.weightBytes('actor');
  const train = pools.actorTrain;
  const fsdp = isFsdpLayout(train);
  const loadS = fsdp ? offloadedStateS(ctx, workers, 'actor', pools.trainer.gpus, false) : 0;
  const group = fsdp ? fsdpShardGroup(workers, pools.trainer.gpus) : train.tp * train.pp;
  const gatherPlacement = spansNodes({ firstGpu: pools.trainer.firstGpu, gpus: group }, ctx.gpusPerNode) ? 'other-node' : 'same-node';
  const gatherS = reshardS(ctx.cost, modelBytes, { train: { tp: 1, pp: 1, dp: group }, generation: { tp: 1, pp: 1 } }, 'gather-all', gatherPlacement);
  const sameNode = !spansNodes({ firstGpu: pools.rollout.firstGpu, gpus: pools.rollout.gpus + pools.trainer.gpus }, ctx.gpusPerNode);
  const link = sameNode ? 'same-node' : 'other-node';
  const pieces = mechanism === 'checkpoint-engine' ? Math.max(1, Math.ceil(modelBytes / CHECKPOINT_ENGINE_BUCKET_BYTES)) : stateDictTensors(ctx.model('actor'));
  const broadcastS = pieces * ctx.cost.transferS(modelBytes / pieces, link);
  const engineShardBytes = ctx.replica('actor', { tp: ctx.scenario.generation.tp, pp: 1 }).weightBytesPerGpu;
  const engineLoadS = ctx.cost.transferS(engineShardBytes, 'same-gpu');
  const durationS = loadS + gatherS + broadcastS + engineLoadS + loadS;
  return { durationS, parts: { loadS: 2 * loadS, gatherS, broadcastS, engineLoadS } };
}
