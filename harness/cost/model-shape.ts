import type { ModelSpec } from './types.js';

/**
 * Figures derived from a model's shape (reference/hardware-and-models.md §4). Pure functions; the
 * catalog test checks them against the reference table and the parameter counts the veRL logs print.
 *
 * Memory follows the total parameters, compute the active ones: an MoE layer holds every expert
 * but a token runs through the router, its top-k experts and the shared experts only. The KV cache
 * follows the attention shape: per-head K and V for MHA / GQA, the compressed latent for MLA.
 */

export function isGatedMlp(model: ModelSpec): boolean {
  return model.gatedMlp ?? true;
}

/** Width of the query (and attention output) projection: heads × head dim. */
export function queryWidth(model: ModelSpec): number {
  return model.heads * model.headDim;
}

/** Attention parameters of one layer: Q, K, V, O (plus QKV bias and Qwen3's per-head q/k norms), or MLA's projections. */
export function attentionParameters(model: ModelSpec): number {
  const d = model.hidden;
  const mla = model.mla;
  if (mla) {
    // DeepSeek-V3 inference/model.py MLA: wq_a + q_norm + wq_b (or wq without a q rank), wkv_a, kv_norm, wkv_b, wo.
    const qkHead = mla.qkNopeHeadDim + mla.qkRopeHeadDim;
    const query = mla.qLoraRank > 0 ? d * mla.qLoraRank + mla.qLoraRank + mla.qLoraRank * model.heads * qkHead : d * model.heads * qkHead;
    const keyValue = d * (mla.kvLoraRank + mla.qkRopeHeadDim) + mla.kvLoraRank + mla.kvLoraRank * model.heads * (mla.qkNopeHeadDim + mla.vHeadDim);
    const output = model.heads * mla.vHeadDim * d;
    return query + keyValue + output;
  }
  const q = queryWidth(model);
  const kv = model.kvHeads * model.headDim;
  const bias = model.qkvBias ? q + 2 * kv : 0;
  const qkNorm = model.qkNorm ? 2 * model.headDim : 0;
  return d * q * 2 + d * kv * 2 + bias + qkNorm;
}

/** Parameters of a dense MLP of width `ffn` (3 matrices gated, 2 plain). */
export function denseMlpParameters(model: ModelSpec, ffn: number = model.ffn): number {
  return (isGatedMlp(model) ? 3 : 2) * model.hidden * ffn;
}

/** Parameters of one routed expert. */
export function expertParameters(model: ModelSpec): number {
  return model.moe ? denseMlpParameters(model, model.moe.expertFfn) : 0;
}

/** Router parameters of one MoE layer: hidden → experts (plus DeepSeek-V3's per-expert bias). */
export function routerParameters(model: ModelSpec): number {
  const moe = model.moe;
  return moe ? model.hidden * moe.experts + (moe.routerBias ? moe.experts : 0) : 0;
}

/** Parameters of one MoE layer's MLP: router, every routed expert, the shared experts. */
export function moeMlpParameters(model: ModelSpec): number {
  const moe = model.moe;
  if (!moe) return 0;
  return routerParameters(model) + moe.experts * expertParameters(model) + denseMlpParameters(model, moe.sharedExpertFfn);
}

/** Parameters one token runs through in an MoE layer's MLP: router, its top-k experts, the shared experts. */
export function activeMoeMlpParameters(model: ModelSpec): number {
  const moe = model.moe;
  if (!moe) return 0;
  return routerParameters(model) + moe.expertsPerToken * expertParameters(model) + denseMlpParameters(model, moe.sharedExpertFfn);
}

export function normParameters(model: ModelSpec): number {
  return (model.normsPerLayer ?? 2) * model.hidden;
}

/** Whether layer `layer` (0-based) has an MoE MLP. */
export function isMoeLayer(model: ModelSpec, layer: number): boolean {
  return model.moe !== undefined && !model.moe.denseLayers.includes(layer);
}

/** Layers with an MoE MLP. */
export function moeLayerCount(model: ModelSpec): number {
  if (!model.moe) return 0;
  let count = 0;
  for (let layer = 0; layer < model.layers; layer++) if (isMoeLayer(model, layer)) count++;
  return count;
}

/** Parameters of one dense transformer layer: attention (Q, K, V, O), MLP, norms, optional QKV bias. */
export function layerParameters(model: ModelSpec): number {
  return attentionParameters(model) + denseMlpParameters(model) + normParameters(model);
}

/** Parameters of layer `layer` (0-based): a dense layer, or attention + norms + the MoE MLP. */
export function layerParametersAt(model: ModelSpec, layer: number): number {
  return isMoeLayer(model, layer) ? attentionParameters(model) + moeMlpParameters(model) + normParameters(model) : layerParameters(model);
}

/** Embedding (and LM head unless tied) parameters. */
export function embeddingParameters(model: ModelSpec): number {
  return model.vocab * model.hidden * (model.tiedEmbeddings ? 1 : 2);
}

/** Σ parameters of every transformer layer. */
export function transformerParameters(model: ModelSpec): number {
  if (!model.moe) return model.layers * layerParameters(model);
  const moeLayers = moeLayerCount(model);
  return (model.layers - moeLayers) * layerParameters(model) + moeLayers * (attentionParameters(model) + moeMlpParameters(model) + normParameters(model));
}

/** P = V·d·(2 untied | 1 tied) + Σ layers + d (final norm): every parameter the GPUs hold (memory). */
export function parameterCount(model: ModelSpec): number {
  return embeddingParameters(model) + transformerParameters(model) + model.hidden;
}

/**
 * Parameters one token runs through: the total minus, in every MoE layer, the experts it is not
 * routed to. What compute follows (2 FLOPs per active parameter per token forward); equals
 * parameterCount for a dense model.
 */
export function activeParameterCount(model: ModelSpec): number {
  const moe = model.moe;
  if (!moe) return parameterCount(model);
  return parameterCount(model) - moeLayerCount(model) * (moe.experts - moe.expertsPerToken) * expertParameters(model);
}

/** Forward FLOPs per token of the weight GEMMs: 2 × active parameters (reference §4, without the context-dependent attention term). */
export function forwardFlopsPerToken(model: ModelSpec): number {
  return 2 * activeParameterCount(model);
}

/** Weight bytes of the whole model: every parameter, experts included. */
export function weightBytes(model: ModelSpec): number {
  return parameterCount(model) * model.bytesPerParameter;
}

/** KV heads each GPU holds under TP t: kvHeads / t, but at least one (heads are replicated when t > kvHeads). */
export function kvHeadsPerGpu(model: ModelSpec, tp: number): number {
  return Math.max(1, model.kvHeads / tp);
}

/** KV-cache elements per token per layer: MLA's latent + rotary key, or K and V of every KV head. */
export function kvElementsPerTokenPerLayer(model: ModelSpec): number {
  return model.mla ? model.mla.kvLoraRank + model.mla.qkRopeHeadDim : 2 * model.kvHeads * model.headDim;
}

/** KV bytes per token of the whole model: 2 (K and V) · L · n_kv · h · bytes per element, or L · (kv_lora_rank + qk_rope_head_dim) · bytes with MLA. */
export function kvBytesPerToken(model: ModelSpec, kvBytesPerElement: number): number {
  if (model.mla) return model.layers * kvElementsPerTokenPerLayer(model) * kvBytesPerElement;
  return 2 * model.layers * model.kvHeads * model.headDim * kvBytesPerElement;
}

/**
 * KV bytes per token held by each GPU of a TP × PP replica (the GPU with the most layers). MLA's
 * latent is shared by every head, so TP cannot split it: each TP rank holds the whole latent
 * (DeepSeek-V3 inference/model.py keeps kv_cache[batch, seq, kv_lora_rank] on every rank).
 */
export function kvBytesPerTokenPerGpu(model: ModelSpec, tp: number, pp: number, kvBytesPerElement: number): number {
  if (model.mla) return layersPerStage(model, pp) * kvElementsPerTokenPerLayer(model) * kvBytesPerElement;
  return 2 * layersPerStage(model, pp) * kvHeadsPerGpu(model, tp) * model.headDim * kvBytesPerElement;
}

/** Layers on the busiest pipeline stage. */
export function layersPerStage(model: ModelSpec, pp: number): number {
  return Math.ceil(model.layers / pp);
}

/** The layers (0-based, contiguous) of pipeline stage `stage` of `pp`: ⌈L/pp⌉ each, the last stage takes the rest. */
export function stageLayerRange(model: ModelSpec, pp: number, stage: number): { readonly first: number; readonly end: number } {
  const per = layersPerStage(model, pp);
  return { first: Math.min(model.layers, stage * per), end: Math.min(model.layers, (stage + 1) * per) };
}

/** MoE layers on pipeline stage `stage` of `pp`. */
export function stageMoeLayers(model: ModelSpec, pp: number, stage: number): number {
  const { first, end } = stageLayerRange(model, pp, stage);
  let count = 0;
  for (let layer = first; layer < end; layer++) if (isMoeLayer(model, layer)) count++;
  return count;
}

/** The most MoE layers any pipeline stage holds (the stage whose expert compute and all-to-alls are longest). */
export function maxStageMoeLayers(model: ModelSpec, pp: number): number {
  let most = 0;
  for (let stage = 0; stage < pp; stage++) most = Math.max(most, stageMoeLayers(model, pp, stage));
  return most;
}

/** Transformer-layer parameters of the stage holding the most: ⌈L/pp⌉ dense layers, or the heaviest stage of an MoE model. */
export function maxStageLayerParameters(model: ModelSpec, pp: number): number {
  if (!model.moe) return layersPerStage(model, pp) * layerParameters(model);
  let most = 0;
  for (let stage = 0; stage < pp; stage++) {
    const { first, end } = stageLayerRange(model, pp, stage);
    let sum = 0;
    for (let layer = first; layer < end; layer++) sum += layerParametersAt(model, layer);
    most = Math.max(most, sum);
  }
  return most;
}

/**
 * Weight bytes on the busiest GPU of a TP × PP replica: its stage's layers plus, on a one-stage
 * replica, the embedding and head; with PP the first stage holds the embedding and the last the
 * head (tied weights are stored on both), so the busiest stage is charged the larger of the two.
 */
export function weightBytesPerGpu(model: ModelSpec, tp: number, pp: number): number {
  const layerBytes = maxStageLayerParameters(model, pp) * model.bytesPerParameter;
  const embedding = model.vocab * model.hidden * model.bytesPerParameter;
  const ends = pp === 1 ? embeddingParameters(model) * model.bytesPerParameter + model.hidden * model.bytesPerParameter : embedding;
  return (layerBytes + ends) / tp;
}

/**
 * Expected distinct experts a batch of `tokens` tokens touches when each token picks k of E experts
 * uniformly at random: E · (1 − (1 − k/E)^tokens). A named assumption (uniform routing): real
 * routers are skewed, which touches fewer experts; it is what decode reads from HBM per MoE layer.
 */
export function expectedExpertsTouched(experts: number, expertsPerToken: number, tokens: number): number {
  if (tokens <= 0 || experts <= 0) return 0;
  return experts * (1 - Math.pow(1 - expertsPerToken / experts, tokens));
}
