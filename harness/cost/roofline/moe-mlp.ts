import { expectedExpertsTouched, isGatedMlp } from '../model-shape.js';
import { elementwiseCoefficients, gemmCoefficients, rooflineTimeS, type KernelEfficiencies, type LayerShape, type RooflineCoefficients } from '../operators.js';
import type { GpuSpec, ModelSpec } from '../types.js';

/**
 * One MoE layer's MLP on one GPU of a TP group, as rooflines: the router GEMM (hidden → experts,
 * replicated on every TP rank), the shared experts (a dense MLP), and the routed experts. The
 * routed experts' GEMMs run over tokens × k routed rows (a grouped GEMM, tile-rounded like one GEMM
 * of that many rows), so their FLOPs follow the active parameters; their weights are read once
 * per expert a batch touches, E · (1 − (1 − k/E)^tokens) experts under uniform routing
 * (model-shape.ts expectedExpertsTouched), so a decode step of a small batch reads a fraction
 * of the experts and a long prefill reads them all. Experts are split over the TP ranks like a
 * dense MLP (vLLM's fused MoE under TP; the same FLOPs and bytes per GPU as expert parallelism
 * over the same GPUs with balanced routing).
 */
export interface MoeMlpCoefficients {
  readonly experts: number;
  readonly expertsPerToken: number;
  readonly router: RooflineCoefficients;
  /** Shared experts' up, activation and down kernels (empty without shared experts). */
  readonly shared: readonly RooflineCoefficients[];
  /** Routed experts' up and down GEMMs per routed row, with the weight bytes of ONE expert in fixedBytesS. */
  readonly expertUp: RooflineCoefficients;
  readonly expertAct: RooflineCoefficients;
  readonly expertDown: RooflineCoefficients;
}

export function moeMlpCoefficients(model: ModelSpec, shape: LayerShape, gpu: GpuSpec, kernels: KernelEfficiencies, tile: number, tp: number): MoeMlpCoefficients | undefined {
  const moe = model.moe;
  if (!moe) return undefined;
  const gated = isGatedMlp(model);
  const d = shape.hidden;
  const a = shape.bytesPerActivation;
  const mlp = (ffnPerGpu: number) => ({
    up: gemmCoefficients({ inFeatures: d, outFeatures: (gated ? 2 : 1) * ffnPerGpu }, shape, gpu, kernels.gemm, tile),
    act: elementwiseCoefficients((gated ? 3 : 2) * ffnPerGpu * a, gpu, kernels.activation),
    down: gemmCoefficients({ inFeatures: ffnPerGpu, outFeatures: d }, shape, gpu, kernels.gemm, tile),
  });
  const shared = moe.sharedExpertFfn > 0 ? mlp(moe.sharedExpertFfn / tp) : undefined;
  const expert = mlp(moe.expertFfn / tp);
  return {
    experts: moe.experts,
    expertsPerToken: moe.expertsPerToken,
    router: gemmCoefficients({ inFeatures: d, outFeatures: moe.experts }, shape, gpu, kernels.gemm, tile),
    shared: shared ? [shared.up, shared.act, shared.down] : [],
    expertUp: expert.up,
    expertAct: expert.act,
    expertDown: expert.down,
  };
}

/** A grouped-GEMM roofline: compute over the tile-rounded routed rows, weights of `touched` experts, each row moved once. */
function groupedGemmS(c: RooflineCoefficients, rows: number, touched: number): number {
  const computeRows = c.tileTokens > 1 ? Math.ceil(rows / c.tileTokens) * c.tileTokens : rows;
  const compute = computeRows * c.computeSPerToken;
  const memory = touched * c.fixedBytesS + rows * c.bytesSPerToken;
  return (compute > memory ? compute : memory) + c.overheadS;
}

/** Time of one MoE layer's MLP over `tokens` tokens on one GPU. */
export function moeMlpTimeS(c: MoeMlpCoefficients, tokens: number): number {
  if (tokens <= 0) return 0;
  const rows = tokens * c.expertsPerToken;
  const touched = expectedExpertsTouched(c.experts, c.expertsPerToken, tokens);
  let total = rooflineTimeS(c.router, tokens);
  for (const kernel of c.shared) total += rooflineTimeS(kernel, tokens);
  return total + groupedGemmS(c.expertUp, rows, touched) + rooflineTimeS(c.expertAct, rows) + groupedGemmS(c.expertDown, rows, touched);
}
