import type { DecodeEngineParameters, PrefillEngineParameters } from './calibration/types.js';
import type { KernelEfficiency } from './operators.js';

/**
 * Serving-engine eras: which engine's overheads a generation step pays on top of its kernels.
 *
 * The calibration's decode and prefill "engine" groups are fitted on SplitwiseSim's profiles
 * (measured 2023–24). That engine pays, per decode step, ≈ 0.26–0.32 ms per running sequence
 * and 25–56 µs per layer plus 19–32 µs per layer per extra TP rank, and its prefill attention
 * runs at 3–8 % of peak with a 24–33 ms cost per prompt. Those are properties of that engine, not
 * of the GPU: Llama-2-70B decodes in ≈ 43 ms at batch 1 on 4 and on 8 A100s alike (weights alone
 * need 17 and 8.5 ms) — launch- and sync-bound, per layer — and its per-sequence cost is fitted
 * apart from the context-proportional KV reads (its rows vary the output length 128–8,192 at
 * every batch), so it is CPU work per sequence (sampling, scheduling, output processing), not
 * attention the kernel model misses. vLLM ≥ 0.6 took that work off the critical path
 * (multi-step scheduling, asynchronous output processing: LambdaLabs measured Llama-3.1-8B on
 * one H100 at 256 sequences go from 64.1 ms (v0.5.4) to 25.6 ms (v0.6.0) per output token), and
 * CUDA graphs remove the per-layer launch cost — unless the engine runs eager.
 *
 * A scenario names its engine (`costModel.engine`); the default is the era the calibration was
 * fitted on, so a calibrated model reproduces its profiles unless told otherwise.
 */
export const SERVING_ENGINES = ['splitwise-2023', 'vllm-2024', 'vllm-2024-eager', 'kernels-only'] as const;
export type ServingEngine = (typeof SERVING_ENGINES)[number];

export interface ServingEngineEra {
  readonly id: ServingEngine;
  readonly label: string;
  /** What the era charges on top of the kernels, and why. */
  readonly description: string;
  readonly sources: readonly string[];
}

const REF = 'reference/hardware-and-models.md';
const LAMBDA = 'LambdaLabsML/vllm-benchmark: results/prompt_10 (Llama-3-8B-Instruct TP 1, 10 prompts, vLLM v0.6.0) and benchmark_v0.md (v0.5.4 vs v0.6.0)';

export const SERVING_ENGINE_ERAS: Readonly<Record<ServingEngine, ServingEngineEra>> = {
  'splitwise-2023': {
    id: 'splitwise-2023',
    label: "SplitwiseSim's engine (2023–24), as fitted",
    description: 'every fitted engine term: per-step, per-sequence, per-layer and per-TP-peer decode overheads; per-prompt prefill overhead, its packed attention and fitted prefill-attention efficiency',
    sources: ['harness/cost/calibrations/public-profiles.json (decode and prefill groups, fitted on splitwise-sim/perf_model.csv)'],
  },
  'vllm-2024': {
    id: 'vllm-2024',
    label: 'vLLM ≥ 0.6 with CUDA graphs (2024)',
    description:
      'one fixed overhead per engine step, fitted to the measured TPOTs; no per-sequence term (multi-step scheduling and async output processing take per-sequence CPU work off the critical path), no per-layer term (CUDA graphs), FlashAttention-class prefill attention over each prompt (varlen), no per-prompt prefill cost',
    sources: [`${REF} §5.1: Llama-3-8B TP 1, batch 10: 12.0 ms (A100) and 7.6 ms (H100) median TPOT, vLLM Sept 2024`, LAMBDA, 'vLLM v0.6.0 release blog (Sept 2024), reference §5.1: 2.7× throughput and 5× lower TPOT than v0.5.3 on Llama-3-8B / H100'],
  },
  'vllm-2024-eager': {
    id: 'vllm-2024-eager',
    label: 'vLLM ≥ 0.6 run eager (enforce_eager=True, no CUDA graphs)',
    description:
      "as 'vllm-2024', plus the per-layer and per-TP-peer decode overheads fitted on the SplitwiseSim engine: without CUDA graphs every layer's kernels and TP all-reduces are launched from the host each step, the launch- and sync-bound behaviour those terms measured",
    sources: [`${REF} §5.3: veRL 0.3 sets enforce_eager=True (no CUDA graphs)`, 'harness/cost/calibrations/public-profiles.json (decode perLayerS, perLayerPerTpPeerS)'],
  },
  'kernels-only': {
    id: 'kernels-only',
    label: 'kernels only (no engine overhead)',
    description: 'no serving-engine term at all: an idealised engine, or a simulator that predicts from profiled operator times alone (Vidur skips CPU-overhead modelling by default)',
    sources: ['Vidur (microsoft/vidur) execution-time predictor config: skip_cpu_overhead_modeling defaults to True'],
  },
};

export function isServingEngine(value: unknown): value is ServingEngine {
  return typeof value === 'string' && (SERVING_ENGINES as readonly string[]).includes(value);
}

/**
 * The fixed per-step overhead of the 'vllm-2024' era: the one value that best fits (least squares
 * on log(predicted / measured)) the two measured TPOTs of reference §5.1 with the shipped
 * calibration's kernels (test/cost/engine-eras.test.ts re-derives it with `fitStepOverheadS`).
 */
export const VLLM_2024_STEP_OVERHEAD_S = 1.25014e-3;

/** The measurements the 'vllm-2024' step overhead is fitted to (reference §5.1; LambdaLabs prompt_10 request log for the context). */
export const VLLM_2024_TPOT_FIT_POINTS = [
  { gpu: 'a100-80gb', model: 'llama-3-8b', tp: 1, batch: 10, contextTokensPerSequence: 256, measuredS: 12.0e-3 },
  { gpu: 'h100-sxm', model: 'llama-3-8b', tp: 1, batch: 10, contextTokensPerSequence: 256, measuredS: 7.6e-3 },
] as const;

/** Least-squares fit on log scale of one additive overhead s to measured = kernels + s (golden-section search). */
export function fitStepOverheadS(points: readonly { readonly kernelsS: number; readonly measuredS: number }[]): number {
  const loss = (s: number) => points.reduce((sum, p) => sum + Math.log((p.kernelsS + s) / p.measuredS) ** 2, 0);
  let lo = 0;
  let hi = Math.max(...points.map((p) => p.measuredS));
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (loss(a) <= loss(b)) hi = b;
    else lo = a;
  }
  return (lo + hi) / 2;
}

export interface EngineParameters {
  readonly decode: DecodeEngineParameters;
  readonly prefill: PrefillEngineParameters;
  /** Prefill attention efficiency of the serving engine. */
  readonly attentionPrefill: KernelEfficiency;
}

/**
 * The serving engine's terms under an era, from the fitted ones (the calibration's, or zeros
 * where a GPU has none) and the FlashAttention efficiency assumption; `scale` multiplies every
 * overhead (the engineOverheadScale sensitivity knob).
 */
export function servingEngineParameters(
  engine: ServingEngine,
  fitted: { readonly decode: DecodeEngineParameters; readonly prefill: PrefillEngineParameters; readonly attentionPrefill: KernelEfficiency },
  flashAttentionMfu: number,
  scale: number,
): EngineParameters {
  const flash: KernelEfficiency = { mfu: flashAttentionMfu, mbu: fitted.attentionPrefill.mbu, overheadS: 0 };
  const modern = (stepS: number, perLayerS: number, perLayerPerTpPeerS: number): EngineParameters => ({
    decode: { stepOverheadS: scale * stepS, perSequenceS: 0, perLayerS: scale * perLayerS, perLayerPerTpPeerS: scale * perLayerPerTpPeerS },
    prefill: { overheadS: scale * stepS, perSequenceS: 0, perLayerS: 0, kernelScale: 1, packedAttentionFraction: 0 },
    attentionPrefill: flash,
  });
  switch (engine) {
    case 'splitwise-2023': {
      const d = fitted.decode;
      const p = fitted.prefill;
      return {
        decode: { stepOverheadS: scale * d.stepOverheadS, perSequenceS: scale * d.perSequenceS, perLayerS: scale * d.perLayerS, perLayerPerTpPeerS: scale * d.perLayerPerTpPeerS },
        prefill: { ...p, overheadS: scale * p.overheadS, perSequenceS: scale * p.perSequenceS, perLayerS: scale * p.perLayerS },
        attentionPrefill: fitted.attentionPrefill,
      };
    }
    case 'vllm-2024':
      return modern(VLLM_2024_STEP_OVERHEAD_S, 0, 0);
    case 'vllm-2024-eager':
      return modern(VLLM_2024_STEP_OVERHEAD_S, fitted.decode.perLayerS, fitted.decode.perLayerPerTpPeerS);
    case 'kernels-only':
      return modern(0, 0, 0);
  }
}
