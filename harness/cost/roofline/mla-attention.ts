import { elementwiseCoefficients, gemmCoefficients, type AttentionDecodeCoefficients, type AttentionPrefillCoefficients, type KernelEfficiency, type LayerShape, type RooflineCoefficients } from '../operators.js';
import type { GpuSpec, MlaShape, ModelSpec } from '../types.js';

/**
 * Multi-head latent attention (DeepSeek-V2/V3) on one GPU of a TP group, heads split over the ranks.
 *
 * Projections (DeepSeek-V3 inference/model.py, class MLA): wq_a, wq_b (or wq), wkv_a, wkv_b in front
 * of attention, wo behind it, each priced as one GEMM with the same parameters (FLOPs 2 per
 * parameter per token, weights read once). The latent projections wq_a and wkv_a are split over the
 * TP ranks here like the rest (DeepSeek's code replicates them; they are 2 % of an MLA layer).
 *
 * Decode runs the absorbed form the MLA serving kernels use: every head attends over the cached
 * latent + rotary key (kv_lora_rank + qk_rope_head_dim per token, read once per layer for all heads)
 * and takes its values from the latent (kv_lora_rank). Prefill and training run the expanded form:
 * per head, scores over nope + rope dims and values of v_head_dim.
 */

function perGpuHeads(model: ModelSpec, tp: number): number {
  return model.heads / tp;
}

/** The projections in front of attention (wq_a + wq_b or wq, wkv_a, wkv_b) as one GEMM from hidden, and wo behind it. */
export function mlaProjectionCoefficients(model: ModelSpec, mla: MlaShape, shape: LayerShape, gpu: GpuSpec, gemm: KernelEfficiency, tile: number, tp: number): { pre: RooflineCoefficients; post: RooflineCoefficients } {
  const d = model.hidden;
  const heads = perGpuHeads(model, tp);
  const qkHead = mla.qkNopeHeadDim + mla.qkRopeHeadDim;
  const query = mla.qLoraRank > 0 ? d * mla.qLoraRank + mla.qLoraRank * heads * qkHead : d * heads * qkHead;
  const keyValue = d * (mla.kvLoraRank + mla.qkRopeHeadDim) + mla.kvLoraRank * heads * (mla.qkNopeHeadDim + mla.vHeadDim);
  const preParametersPerGpu = (query + keyValue) / tp;
  return {
    pre: gemmCoefficients({ inFeatures: d, outFeatures: preParametersPerGpu / d }, shape, gpu, gemm, tile),
    post: gemmCoefficients({ inFeatures: heads * mla.vHeadDim, outFeatures: d }, shape, gpu, gemm, tile),
  };
}

/** Rotary embedding of the queries' and the shared key's rope dims. */
export function mlaRopeCoefficients(model: ModelSpec, mla: MlaShape, shape: LayerShape, gpu: GpuSpec, rope: KernelEfficiency, tp: number): RooflineCoefficients {
  return elementwiseCoefficients(2 * (perGpuHeads(model, tp) + 1) * mla.qkRopeHeadDim * shape.bytesPerActivation, gpu, rope);
}

/** Absorbed decode over the latent cache: per context token 2·heads·(2·kv_lora_rank + rope) FLOPs and (kv_lora_rank + rope) cached elements. */
export function mlaDecodeCoefficients(model: ModelSpec, mla: MlaShape, shape: LayerShape, gpu: GpuSpec, efficiency: KernelEfficiency, kvBytesPerElement: number, tp: number): AttentionDecodeCoefficients {
  const flopsRate = gpu.bf16FlopsPerS * efficiency.mfu;
  const bytesRate = gpu.hbmBytesPerS * efficiency.mbu;
  const heads = perGpuHeads(model, tp);
  const latent = mla.kvLoraRank + mla.qkRopeHeadDim;
  return {
    flopsSPerContextToken: (2 * heads * (2 * mla.kvLoraRank + mla.qkRopeHeadDim)) / flopsRate,
    bytesSPerContextToken: (latent * kvBytesPerElement) / bytesRate,
    bytesSPerSequence: (heads * (latent + mla.kvLoraRank) * shape.bytesPerActivation) / bytesRate,
    overheadS: efficiency.overheadS,
  };
}

/** Expanded attention for prefill and training: per squared token 2·heads·(nope + rope + v) FLOPs (× the causal fraction); Q, K, V, O moved once. */
export function mlaPrefillCoefficients(model: ModelSpec, mla: MlaShape, shape: LayerShape, gpu: GpuSpec, efficiency: KernelEfficiency, causalFraction: number, tp: number): AttentionPrefillCoefficients {
  const flopsRate = gpu.bf16FlopsPerS * efficiency.mfu;
  const bytesRate = gpu.hbmBytesPerS * efficiency.mbu;
  const heads = perGpuHeads(model, tp);
  const qkHead = mla.qkNopeHeadDim + mla.qkRopeHeadDim;
  return {
    flopsSPerSquaredToken: (2 * causalFraction * heads * (qkHead + mla.vHeadDim)) / flopsRate,
    bytesSPerToken: (2 * heads * (qkHead + mla.vHeadDim) * shape.bytesPerActivation) / bytesRate,
    overheadS: efficiency.overheadS,
  };
}
