import type { ModelSpec } from './types.js';

/**
 * Figures derived from a model's shape (reference/hardware-and-models.md §4). Pure functions; the
 * catalog test checks them against the reference table.
 */

export function isGatedMlp(model: ModelSpec): boolean {
  return model.gatedMlp ?? true;
}

/** Width of the query (and attention output) projection: heads × head dim. */
export function queryWidth(model: ModelSpec): number {
  return model.heads * model.headDim;
}

/** Parameters of one transformer layer: attention (Q, K, V, O), MLP, two norms, optional QKV bias. */
export function layerParameters(model: ModelSpec): number {
  const d = model.hidden;
  const q = queryWidth(model);
  const kv = model.kvHeads * model.headDim;
  const attention = d * q * 2 + d * kv * 2;
  const mlp = (isGatedMlp(model) ? 3 : 2) * d * model.ffn;
  const norms = 2 * d;
  const bias = model.qkvBias ? q + 2 * kv : 0;
  return attention + mlp + norms + bias;
}

/** Embedding (and LM head unless tied) parameters. */
export function embeddingParameters(model: ModelSpec): number {
  return model.vocab * model.hidden * (model.tiedEmbeddings ? 1 : 2);
}

/** P = V·d·(2 untied | 1 tied) + L·(layer) + d (final norm). */
export function parameterCount(model: ModelSpec): number {
  return embeddingParameters(model) + model.layers * layerParameters(model) + model.hidden;
}

export function weightBytes(model: ModelSpec): number {
  return parameterCount(model) * model.bytesPerParameter;
}

/** KV heads each GPU holds under TP t: kvHeads / t, but at least one (heads are replicated when t > kvHeads). */
export function kvHeadsPerGpu(model: ModelSpec, tp: number): number {
  return Math.max(1, model.kvHeads / tp);
}

/** KV bytes per token of the whole model: 2 (K and V) · L · n_kv · h · bytes per element. */
export function kvBytesPerToken(model: ModelSpec, kvBytesPerElement: number): number {
  return 2 * model.layers * model.kvHeads * model.headDim * kvBytesPerElement;
}

/** KV bytes per token held by each GPU of a TP × PP replica (the GPU with the most layers). */
export function kvBytesPerTokenPerGpu(model: ModelSpec, tp: number, pp: number, kvBytesPerElement: number): number {
  return 2 * layersPerStage(model, pp) * kvHeadsPerGpu(model, tp) * model.headDim * kvBytesPerElement;
}

/** Layers on the busiest pipeline stage. */
export function layersPerStage(model: ModelSpec, pp: number): number {
  return Math.ceil(model.layers / pp);
}

/**
 * Weight bytes on the busiest GPU of a TP × PP replica: its stage's layers plus, on a one-stage
 * replica, the embedding and head; with PP the first stage holds the embedding and the last the
 * head (tied weights are stored on both), so the busiest stage is charged the larger of the two.
 */
export function weightBytesPerGpu(model: ModelSpec, tp: number, pp: number): number {
  const layerBytes = layersPerStage(model, pp) * layerParameters(model) * model.bytesPerParameter;
  const embedding = model.vocab * model.hidden * model.bytesPerParameter;
  const ends = pp === 1 ? embeddingParameters(model) * model.bytesPerParameter + model.hidden * model.bytesPerParameter : embedding;
  return (layerBytes + ends) / tp;
}
