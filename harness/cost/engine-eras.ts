import type { DecodeEngineParameters, PrefillEngineParameters } from './calibration/types.js';
import type { KernelEfficiency } from './operators.js';

/**
 * Serving-engine profiles ("eras"): which engine generates, and what its steps pay on top of the
 * kernels. One profile per engine as RLHF frameworks run it — vLLM V0 and V1, each with CUDA
 * graphs or eager; SGLang; Hugging Face `generate` — plus the engine the calibration was fitted on
 * and an idealised kernels-only engine. A profile states three things:
 * - its overheads (`servingEngineParameters`): per step, per sequence, per layer, per TP peer, per
 *   prefill, each a fitted value, a measurement or a named assumption (`sources`);
 * - how it batches (`batching`): 'continuous' (vLLM, SGLang: sequences join and leave at every
 *   step) or 'static' (HF generate: a fixed, padded batch decodes until its longest sequence ends);
 * - whether it caches prefixes by default (`prefixCaching`): the n samples of a prompt then
 *   prefill it once and share its KV even when the framework submits each sample on its own.
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
 * A scenario names its engine (`costModel.engine`); the default is the profile the calibration was
 * fitted on, so a calibrated model reproduces its profiles unless told otherwise. A scheduler
 * whose framework runs another engine than the scenario's (OpenRLHF without vLLM generates with
 * HF generate) asks for a replica under that profile (`ShardLayout.servingEngine`).
 */
export const SERVING_ENGINES = ['splitwise-2023', 'vllm-2024', 'vllm-2024-eager', 'vllm-v1', 'vllm-v1-eager', 'sglang', 'hf-generate', 'kernels-only'] as const;
export type ServingEngine = (typeof SERVING_ENGINES)[number];

/** How an engine forms its batches: continuous (per-step admission and exit) or static (a padded batch runs to its longest sequence). */
export type EngineBatching = 'continuous' | 'static';

export interface ServingEngineEra {
  readonly id: ServingEngine;
  readonly label: string;
  /** What the profile charges on top of the kernels, and why. */
  readonly description: string;
  readonly batching: EngineBatching;
  /** Decode steps replay captured CUDA graphs (no per-layer launch cost from the host). */
  readonly cudaGraphs: boolean;
  /** The engine's default for caching prompt prefixes across requests (vLLM enable_prefix_caching, SGLang's radix cache); a scenario may override it (generation.prefixCaching). */
  readonly prefixCaching: boolean;
  readonly sources: readonly string[];
}

const REF = 'reference/hardware-and-models.md';
const LAMBDA = 'LambdaLabsML/vllm-benchmark: results/prompt_10 (Llama-3-8B-Instruct TP 1, 10 prompts, vLLM v0.6.0) and benchmark_v0.md (v0.5.4 vs v0.6.0)';
/** vLLM's engine arguments: V0 leaves prefix caching off and runs 256 sequences, V1 turns prefix caching on and runs 1024. */
const VLLM_ARGS = 'vllm-project/vllm 001999d2f360c2c5da23a916510c273b1a73d06c vllm/engine/arg_utils.py EngineArgs.__post_init__: enable_prefix_caching defaults to bool(envs.VLLM_USE_V1), max_num_seqs to 256 (V0) or 1024 (V1)';
const VLLM_V1_ASSUMPTION =
  "named assumption: no published TPOT pair measured on V1 with the calibration's GPUs; V1 moves scheduling and output processing off the GPU's critical path (a busy-loop EngineCore process, persistent batch), which V0 ≥ 0.6 had already hidden with multi-step scheduling and async output processing, so V1 takes V0's fitted step overhead";
const GPT_FAST =
  'PyTorch blog "Accelerating Generative AI with PyTorch II: GPT, Fast" (Nov 2023, pytorch.org/blog/accelerating-generative-ai-2): LLaMA-7B (32 layers), batch 1, A100-80GB at 330 W: an eager PyTorch decoder 25.5 tok/s, "heavily CPU overhead bound"; the same with torch.compile(mode="reduce-overhead") and a static KV cache (CUDA graphs) 107.0 tok/s';

export const SERVING_ENGINE_ERAS: Readonly<Record<ServingEngine, ServingEngineEra>> = {
  'splitwise-2023': {
    id: 'splitwise-2023',
    label: "SplitwiseSim's engine (2023–24), as fitted",
    description: 'every fitted engine term: per-step, per-sequence, per-layer and per-TP-peer decode overheads; per-prompt prefill overhead, its packed attention and fitted prefill-attention efficiency',
    batching: 'continuous',
    cudaGraphs: false,
    prefixCaching: false,
    sources: ['harness/cost/calibrations/public-profiles.json (decode and prefill groups, fitted on splitwise-sim/perf_model.csv)'],
  },
  'vllm-2024': {
    id: 'vllm-2024',
    label: 'vLLM V0 ≥ 0.6 with CUDA graphs (2024)',
    description:
      'one fixed overhead per engine step, fitted to the measured TPOTs; no per-sequence term (multi-step scheduling and async output processing take per-sequence CPU work off the critical path), no per-layer term (CUDA graphs), FlashAttention-class prefill attention over each prompt (varlen), no per-prompt prefill cost; prefix caching off (V0 default)',
    batching: 'continuous',
    cudaGraphs: true,
    prefixCaching: false,
    sources: [`${REF} §5.1: Llama-3-8B TP 1, batch 10: 12.0 ms (A100) and 7.6 ms (H100) median TPOT, vLLM Sept 2024`, LAMBDA, 'vLLM v0.6.0 release blog (Sept 2024), reference §5.1: 2.7× throughput and 5× lower TPOT than v0.5.3 on Llama-3-8B / H100', VLLM_ARGS],
  },
  'vllm-2024-eager': {
    id: 'vllm-2024-eager',
    label: 'vLLM V0 ≥ 0.6 run eager (enforce_eager=True, no CUDA graphs)',
    description:
      "as 'vllm-2024', plus the per-layer and per-TP-peer decode overheads fitted on the SplitwiseSim engine: without CUDA graphs every layer's kernels and TP all-reduces are launched from the host each step, the launch- and sync-bound behaviour those terms measured",
    batching: 'continuous',
    cudaGraphs: false,
    prefixCaching: false,
    sources: [`${REF} §5.3: veRL 0.3 sets enforce_eager=True (no CUDA graphs)`, 'harness/cost/calibrations/public-profiles.json (decode perLayerS, perLayerPerTpPeerS)', VLLM_ARGS],
  },
  'vllm-v1': {
    id: 'vllm-v1',
    label: 'vLLM V1 with CUDA graphs (VLLM_USE_V1=1; the default engine from vLLM 0.8)',
    description: `V0's fitted step overhead (${VLLM_V1_ASSUMPTION.replace('named assumption: ', 'assumption: ')}); no per-sequence or per-layer term (piecewise CUDA graphs); prefix caching on by default, so the n samples of a prompt prefill it once and share its KV blocks`,
    batching: 'continuous',
    cudaGraphs: true,
    prefixCaching: true,
    sources: [VLLM_ARGS, VLLM_V1_ASSUMPTION, `${REF} §5.1 (the fitted step overhead)`],
  },
  'vllm-v1-eager': {
    id: 'vllm-v1-eager',
    label: 'vLLM V1 run eager (enforce_eager=True)',
    description: "as 'vllm-v1', plus the fitted per-layer and per-TP-peer launch overheads (as 'vllm-2024-eager' adds them to V0)",
    batching: 'continuous',
    cudaGraphs: false,
    prefixCaching: true,
    sources: [VLLM_ARGS, VLLM_V1_ASSUMPTION, 'harness/cost/calibrations/public-profiles.json (decode perLayerS, perLayerPerTpPeerS)'],
  },
  sglang: {
    id: 'sglang',
    label: 'SGLang ≥ 0.4 (CUDA graphs, overlap scheduler, radix cache)',
    description:
      "V0's fitted step overhead (named assumption: no published TPOT on the calibration's GPUs; SGLang's overlap scheduler runs the CPU one batch ahead so the GPU shows no idle gap between decode batches, as vLLM ≥ 0.6 hides its host work); no per-sequence or per-layer term (CUDA graphs); radix-tree prefix cache on by default, token-granular",
    batching: 'continuous',
    cudaGraphs: true,
    prefixCaching: true,
    sources: [
      'sgl-project/sglang 469c63e54e7d94591617ef9590c6aa26d54dc1bb python/sglang/srt/server_args.py: the radix cache is on unless model_mode "no-cache"; schedule_heuristic "lpm" (longest prefix match first)',
      'SGLang v0.4 release blog (lmsys.org/blog/2024-12-04-sglang-v0-4), "Zero-overhead batch scheduler": CPU scheduling overlapped with GPU computation, no GPU idle time between 5 consecutive decode batches in Nsight; 1.1× throughput',
    ],
  },
  'hf-generate': {
    id: 'hf-generate',
    label: 'Hugging Face transformers generate (eager PyTorch; DeepSpeed-Chat hybrid engine, OpenRLHF without vLLM)',
    description:
      "static batches: a batch is left-padded to its longest prompt and decodes every sequence — finished ones as padding — until its longest response ends, no sequence joins it; no prefix sharing (num_return_sequences repeats each prompt); per decode step and per layer the host cost of eager PyTorch measured by gpt-fast (the per-token Python cost of launching every kernel from the host), plus the fitted per-TP-peer term; the same host cost per layer once per prefill",
    batching: 'static',
    cudaGraphs: false,
    prefixCaching: false,
    sources: [
      GPT_FAST,
      'OpenRLHF/OpenRLHF d1d595a535c877de829cd133dc6a9d4763263094 (v0.3.0) openrlhf/models/actor.py Actor.generate: self.model.generate(...) (HF transformers) on left-padded micro-rollout batches (experience_maker.py tokenize_fn padding=True) when no vLLM engine is given',
      'harness/cost/calibrations/public-profiles.json (decode perLayerPerTpPeerS)',
    ],
  },
  'kernels-only': {
    id: 'kernels-only',
    label: 'kernels only (no engine overhead)',
    description: 'no serving-engine term at all: an idealised engine, or a simulator that predicts from profiled operator times alone (Vidur skips CPU-overhead modelling by default)',
    batching: 'continuous',
    cudaGraphs: true,
    prefixCaching: false,
    sources: ['Vidur (microsoft/vidur) execution-time predictor config: skip_cpu_overhead_modeling defaults to True'],
  },
};

export function isServingEngine(value: unknown): value is ServingEngine {
  return typeof value === 'string' && (SERVING_ENGINES as readonly string[]).includes(value);
}

/** The profile of a serving engine. */
export function servingEngineProfile(engine: ServingEngine): ServingEngineEra {
  return SERVING_ENGINE_ERAS[engine];
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

/** The gpt-fast measurement the 'hf-generate' host cost per layer is derived from (batch 1, LLaMA-7B, A100-80GB). */
export const GPT_FAST_DECODE = { layers: 32, eagerTokensPerS: 25.5, compiledTokensPerS: 107.0 } as const;

/**
 * Host time per layer of one eager PyTorch decode step: what an eager step takes beyond the same
 * step replayed from CUDA graphs, spread over the layers whose kernels it launches — (1/25.5 −
 * 1/107.0) s / 32 = 0.933 ms. Applied to 'hf-generate' per layer and step: HF's decoder layers
 * launch no fewer kernels than gpt-fast's plain eager layer.
 */
export function eagerHostPerLayerS(measurement: { readonly layers: number; readonly eagerTokensPerS: number; readonly compiledTokensPerS: number } = GPT_FAST_DECODE): number {
  return (1 / measurement.eagerTokensPerS - 1 / measurement.compiledTokensPerS) / measurement.layers;
}

export const HF_GENERATE_HOST_PER_LAYER_S = eagerHostPerLayerS();

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
    case 'vllm-v1-eager':
      return modern(VLLM_2024_STEP_OVERHEAD_S, fitted.decode.perLayerS, fitted.decode.perLayerPerTpPeerS);
    case 'vllm-v1':
    case 'sglang':
      return modern(VLLM_2024_STEP_OVERHEAD_S, 0, 0);
    case 'hf-generate': {
      // Eager PyTorch: the host launches every layer's kernels each step (and once per prefill forward).
      const eager = modern(0, HF_GENERATE_HOST_PER_LAYER_S, fitted.decode.perLayerPerTpPeerS);
      return { ...eager, prefill: { ...eager.prefill, perLayerS: scale * HF_GENERATE_HOST_PER_LAYER_S } };
    }
    case 'kernels-only':
      return modern(0, 0, 0);
  }
}
