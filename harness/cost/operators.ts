import { isGatedMlp, kvHeadsPerGpu } from './model-shape.js';
import type { GpuSpec, ModelSpec } from './types.js';

/**
 * The roofline of one operator: time = max(FLOPs / (peak·MFU), bytes / (HBM·MBU)) + overhead,
 * with the efficiencies of its operator class. The operators of a transformer layer are named as
 * Vidur names them (`attn_pre_proj`, `mlp_up_proj`, …), so a fitted efficiency predicts exactly
 * the rows it was fitted on, and the composites of the replica cost model are sums of the same
 * functions.
 */

export const KERNEL_CLASSES = ['gemm', 'attention_prefill', 'attention_decode', 'norm', 'rope', 'activation', 'residual_add', 'embedding'] as const;
export type KernelClass = (typeof KERNEL_CLASSES)[number];

export interface KernelEfficiency {
  /** Achieved fraction of peak bf16 FLOP/s. */
  readonly mfu: number;
  /** Achieved fraction of peak HBM bytes/s. */
  readonly mbu: number;
  /** Fixed time per kernel (launch, tail), seconds. */
  readonly overheadS: number;
}

export type KernelEfficiencies = Readonly<Record<KernelClass, KernelEfficiency>>;

/** Operators of one transformer layer (plus embedding and LM head), in Vidur's vocabulary. */
export const LAYER_OPERATORS = [
  'emb',
  'input_layernorm',
  'attn_pre_proj',
  'attn_rope',
  'attn_post_proj',
  'post_attention_layernorm',
  'mlp_up_proj',
  'mlp_act',
  'mlp_down_proj',
  'add',
] as const;
export type LayerOperator = (typeof LAYER_OPERATORS)[number] | 'lm_head';

export const OPERATOR_CLASS: Readonly<Record<LayerOperator, KernelClass>> = {
  emb: 'embedding',
  input_layernorm: 'norm',
  post_attention_layernorm: 'norm',
  attn_pre_proj: 'gemm',
  attn_post_proj: 'gemm',
  mlp_up_proj: 'gemm',
  mlp_down_proj: 'gemm',
  lm_head: 'gemm',
  attn_rope: 'rope',
  mlp_act: 'activation',
  add: 'residual_add',
};

export function isLayerOperator(op: string): op is LayerOperator {
  return Object.hasOwn(OPERATOR_CLASS, op);
}

/** Per-GPU dimensions of one layer under TP `tp`. */
export interface LayerShape {
  readonly hidden: number;
  readonly headDim: number;
  readonly headsPerGpu: number;
  readonly kvHeadsPerGpu: number;
  readonly ffnPerGpu: number;
  readonly vocabPerGpu: number;
  readonly gated: boolean;
  readonly bytesPerParameter: number;
  /** Activations are stored in the weights' precision. */
  readonly bytesPerActivation: number;
}

export function layerShape(model: ModelSpec, tp: number): LayerShape {
  return {
    hidden: model.hidden,
    headDim: model.headDim,
    headsPerGpu: model.heads / tp,
    kvHeadsPerGpu: kvHeadsPerGpu(model, tp),
    ffnPerGpu: model.ffn / tp,
    vocabPerGpu: model.vocab / tp,
    gated: isGatedMlp(model),
    bytesPerParameter: model.bytesPerParameter,
    bytesPerActivation: model.bytesPerParameter,
  };
}

/** A GEMM of `tokens` rows through a weight of in × out, per GPU. */
export interface GemmShape {
  readonly inFeatures: number;
  readonly outFeatures: number;
}

export function gemmShape(op: 'attn_pre_proj' | 'attn_post_proj' | 'mlp_up_proj' | 'mlp_down_proj' | 'lm_head', shape: LayerShape): GemmShape {
  switch (op) {
    case 'attn_pre_proj':
      return { inFeatures: shape.hidden, outFeatures: (shape.headsPerGpu + 2 * shape.kvHeadsPerGpu) * shape.headDim };
    case 'attn_post_proj':
      return { inFeatures: shape.headsPerGpu * shape.headDim, outFeatures: shape.hidden };
    case 'mlp_up_proj':
      return { inFeatures: shape.hidden, outFeatures: (shape.gated ? 2 : 1) * shape.ffnPerGpu };
    case 'mlp_down_proj':
      return { inFeatures: shape.ffnPerGpu, outFeatures: shape.hidden };
    case 'lm_head':
      return { inFeatures: shape.hidden, outFeatures: shape.vocabPerGpu };
  }
}

/**
 * Coefficients of an operator's roofline, precomputed once so the hot path is a few multiplies:
 * time(n) = max(ceilTile(n)·computeSPerToken, fixedBytesS + n·bytesSPerToken) + overheadS
 * (tile rounding applies to GEMMs only).
 */
export interface RooflineCoefficients {
  readonly computeSPerToken: number;
  readonly fixedBytesS: number;
  readonly bytesSPerToken: number;
  readonly overheadS: number;
  readonly tileTokens: number;
}

export function operatorCoefficients(op: LayerOperator, shape: LayerShape, gpu: GpuSpec, efficiency: KernelEfficiency, gemmTileTokens: number): RooflineCoefficients {
  const flopsRate = gpu.bf16FlopsPerS * efficiency.mfu;
  const bytesRate = gpu.hbmBytesPerS * efficiency.mbu;
  const a = shape.bytesPerActivation;
  const d = shape.hidden;
  const elementwise = (bytesPerToken: number): RooflineCoefficients => ({
    computeSPerToken: 0,
    fixedBytesS: 0,
    bytesSPerToken: bytesPerToken / bytesRate,
    overheadS: efficiency.overheadS,
    tileTokens: 1,
  });
  switch (op) {
    case 'attn_pre_proj':
    case 'attn_post_proj':
    case 'mlp_up_proj':
    case 'mlp_down_proj':
    case 'lm_head':
      return gemmCoefficients(gemmShape(op, shape), shape, gpu, efficiency, gemmTileTokens);
    // Norms and adds run on the full hidden state on every TP rank (not sharded).
    case 'input_layernorm':
    case 'post_attention_layernorm':
      return elementwise(2 * d * a);
    case 'add':
      return elementwise(3 * d * a);
    case 'emb':
      return elementwise(2 * d * a);
    case 'attn_rope':
      return elementwise(2 * (shape.headsPerGpu + shape.kvHeadsPerGpu) * shape.headDim * a);
    case 'mlp_act':
      return elementwise((shape.gated ? 3 : 2) * shape.ffnPerGpu * a);
  }
}

/**
 * A GEMM of `tokens` rows through an in × out weight on one GPU: 2·in·out FLOPs per row, the weight
 * read once, each row's input and output moved once.
 */
export function gemmCoefficients(gemm: GemmShape, shape: LayerShape, gpu: GpuSpec, efficiency: KernelEfficiency, gemmTileTokens: number): RooflineCoefficients {
  const flopsRate = gpu.bf16FlopsPerS * efficiency.mfu;
  const bytesRate = gpu.hbmBytesPerS * efficiency.mbu;
  const { inFeatures, outFeatures } = gemm;
  return {
    computeSPerToken: (2 * inFeatures * outFeatures) / flopsRate,
    fixedBytesS: (inFeatures * outFeatures * shape.bytesPerParameter) / bytesRate,
    bytesSPerToken: ((inFeatures + outFeatures) * shape.bytesPerActivation) / bytesRate,
    overheadS: efficiency.overheadS,
    tileTokens: gemmTileTokens,
  };
}

/** A memory-bound element-wise kernel moving `bytesPerToken` per token. */
export function elementwiseCoefficients(bytesPerToken: number, gpu: GpuSpec, efficiency: KernelEfficiency): RooflineCoefficients {
  return { computeSPerToken: 0, fixedBytesS: 0, bytesSPerToken: bytesPerToken / (gpu.hbmBytesPerS * efficiency.mbu), overheadS: efficiency.overheadS, tileTokens: 1 };
}

export function rooflineTimeS(c: RooflineCoefficients, tokens: number): number {
  const computeTokens = c.tileTokens > 1 ? Math.ceil(tokens / c.tileTokens) * c.tileTokens : tokens;
  const compute = computeTokens * c.computeSPerToken;
  const memory = c.fixedBytesS + tokens * c.bytesSPerToken;
  return (compute > memory ? compute : memory) + c.overheadS;
}

/** Time of one operator of one layer on one GPU: what a Vidur `mlp.csv` row measures. */
export function operatorTimeS(op: LayerOperator, model: ModelSpec, tp: number, tokens: number, gpu: GpuSpec, efficiencies: KernelEfficiencies, gemmTileTokens: number): number {
  return rooflineTimeS(operatorCoefficients(op, layerShape(model, tp), gpu, efficiencies[OPERATOR_CLASS[op]], gemmTileTokens), tokens);
}

/**
 * Attention decode over the KV cache, one layer: FLOPs 4·C·h·heads (QKᵀ and AV), bytes = the
 * KV of C context tokens plus the batch's queries in and outputs out. Both are linear in C,
 * which the closed-form multi-step sum relies on.
 */
export interface AttentionDecodeCoefficients {
  readonly flopsSPerContextToken: number;
  readonly bytesSPerContextToken: number;
  readonly bytesSPerSequence: number;
  readonly overheadS: number;
}

export function attentionDecodeCoefficients(shape: LayerShape, gpu: GpuSpec, efficiency: KernelEfficiency, kvBytesPerElement: number): AttentionDecodeCoefficients {
  const flopsRate = gpu.bf16FlopsPerS * efficiency.mfu;
  const bytesRate = gpu.hbmBytesPerS * efficiency.mbu;
  return {
    flopsSPerContextToken: (4 * shape.headsPerGpu * shape.headDim) / flopsRate,
    bytesSPerContextToken: (2 * shape.kvHeadsPerGpu * shape.headDim * kvBytesPerElement) / bytesRate,
    bytesSPerSequence: (2 * shape.headsPerGpu * shape.headDim * shape.bytesPerActivation) / bytesRate,
    overheadS: efficiency.overheadS,
  };
}

/**
 * Attention prefill, one layer: full QKᵀ and AV would be 4·Σp²·h·heads FLOPs; a causal kernel does
 * `causalFraction` of it. Bytes: Q, K, V in and O out (flash attention keeps scores on chip).
 */
export interface AttentionPrefillCoefficients {
  readonly flopsSPerSquaredToken: number;
  readonly bytesSPerToken: number;
  readonly overheadS: number;
}

export function attentionPrefillCoefficients(shape: LayerShape, gpu: GpuSpec, efficiency: KernelEfficiency, causalFraction: number): AttentionPrefillCoefficients {
  const flopsRate = gpu.bf16FlopsPerS * efficiency.mfu;
  const bytesRate = gpu.hbmBytesPerS * efficiency.mbu;
  return {
    flopsSPerSquaredToken: (4 * causalFraction * shape.headsPerGpu * shape.headDim) / flopsRate,
    bytesSPerToken: (2 * (shape.headsPerGpu + shape.kvHeadsPerGpu) * shape.headDim * shape.bytesPerActivation) / bytesRate,
    overheadS: efficiency.overheadS,
  };
}

export function attentionPrefillTimeS(c: AttentionPrefillCoefficients, tokens: number, squaredTokens: number): number {
  const compute = squaredTokens * c.flopsSPerSquaredToken;
  const memory = tokens * c.bytesSPerToken;
  return (compute > memory ? compute : memory) + c.overheadS;
}
