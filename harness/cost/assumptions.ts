import { isServingEngine, SERVING_ENGINES, type ServingEngine } from './engine-eras.js';

/**
 * Every figure the cost model needs that is neither a catalog fact nor fitted from a profile is a
 * named assumption: a value with its unit and a source or a reason. Cost models take them as
 * options, reports list them with `listAssumptions`, and sensitivity sweeps vary them by name
 * with `withAssumption`.
 */

export interface CostAssumptions {
  /** Training backward time ÷ forward time. */
  readonly backwardToForwardRatio: number;
  /** Full activation recomputation: backward re-runs the forward, activations keep only layer inputs. */
  readonly activationRecomputation: boolean;
  /** Fraction of GPU memory the engine may use, when a caller does not say. */
  readonly defaultMemoryUtilization: number;
  /** Memory per GPU taken by CUDA context, NCCL/cuBLAS workspaces, the engine's activation peak and graphs. */
  readonly runtimeOverheadBytesPerGpu: number;
  readonly kvCacheBytesPerElement: number;
  /** GEMMs pay compute for tokens rounded up to this tile (tensor-core tile / wave quantization). */
  readonly gemmTileTokens: number;
  /** Share of the full QKᵀ and AV FLOPs a causal attention kernel performs. */
  readonly causalAttentionFraction: number;
  /** Bytes moved per parameter by a mixed-precision Adam step. */
  readonly optimizerBytesPerParameter: number;
  /** Bytes per parameter of training state (bf16 weights and grads, fp32 master, m, v). */
  readonly trainingStateBytesPerParameter: number;
  /** Activation bytes per token per hidden unit per layer that TP does not shard. */
  readonly activationBytesReplicated: number;
  /** Activation bytes per token per hidden unit per layer that TP shards. */
  readonly activationBytesSharded: number;
  /** Activation bytes per token per hidden unit per layer kept under full recomputation (the layer input). */
  readonly activationBytesRecomputed: number;
  /** Multiplier on kernel times in training and in ref/reward/critic forwards. */
  readonly trainingKernelScale: number;
  /** Host→GPU copy efficiency (pinned memory over PCIe). */
  readonly hostLinkEfficiency: number;
  /** Which serving engine's overheads generation pays (engine-eras.ts); scenarios name theirs (costModel.engine). */
  readonly servingEngine: ServingEngine;
  /** Multiplier on the serving engine's overheads under the chosen era (per step, per sequence, per layer): 1 as the era says, 0 = kernels only. */
  readonly engineOverheadScale: number;
  /** Achieved fraction of peak FLOP/s of FlashAttention-class attention: training and inference forwards, and prefill under modern engine eras. */
  readonly flashAttentionMfu: number;
  /** HBM bytes moved per logit (token × vocabulary entry) by the log-probability computation after the LM head, in forwards and training. */
  readonly logProbBytesPerLogit: number;
  /** Multiplier on the kernels of training and inference forwards run by an FSDP / ZeRO training engine (HF models): its achieved fraction of the calibrated roofline. */
  readonly fsdpKernelScale: number;
  /** As fsdpKernelScale, for a Megatron training engine (TP / PP / EP layouts). */
  readonly megatronKernelScale: number;
  /** An FSDP / ZeRO training engine's framework time per forward pass of one micro-batch, beyond its kernels; a backward pays it in proportion (backwardToForwardRatio, recompute). */
  readonly fsdpPassOverheadS: number;
  /** As fsdpPassOverheadS, per pipeline stage, for a Megatron training engine. */
  readonly megatronPassOverheadS: number;
  /** Serving engine's time per running sequence per decode step beyond its era's own terms (scheduling, sampling, output processing on the host). */
  readonly decodeSequenceOverheadS: number;
  /** Serving engine's time per layer per extra TP rank per decode step beyond its era's own terms (the tensor-parallel all-reduces' synchronisation when the engine runs without its custom all-reduce or CUDA graphs). */
  readonly decodeTpSyncOverheadS: number;
  /** Multiplier on every kernel time of the GPU: its achieved efficiency relative to the efficiencies it runs on (its own calibration, or one it borrows). */
  readonly gpuKernelScale: number;
  /** How MoE routers spread tokens over experts: 'uniform' (each token picks k of E uniformly), for the experts a batch touches and the EP all-to-all balance. */
  readonly moeRouting: 'uniform';
  // Efficiencies and latencies used where a calibration has no fitted value (before calibration).
  readonly defaultGemmMfu: number;
  readonly defaultGemmMbu: number;
  readonly defaultAttentionMfu: number;
  readonly defaultAttentionMbu: number;
  readonly defaultElementwiseMbu: number;
  readonly defaultKernelOverheadS: number;
  readonly defaultCollectiveLatencyS: number;
  readonly defaultCollectiveLatencyPerHopS: number;
  readonly defaultLinkEfficiency: number;
}

export type AssumptionName = keyof CostAssumptions;

export interface NamedAssumption {
  readonly name: AssumptionName;
  readonly value: number | boolean | string;
  readonly unit: string;
  /** A citation, when the value is published somewhere. */
  readonly source?: string;
  /** The reasoning, when it is a judgement. */
  readonly why?: string;
}

const GIB = 1024 ** 3;
const REF = 'reference/hardware-and-models.md';

export const DEFAULT_COST_ASSUMPTIONS: CostAssumptions = {
  backwardToForwardRatio: 2,
  activationRecomputation: true,
  defaultMemoryUtilization: 0.9,
  runtimeOverheadBytesPerGpu: 3 * GIB,
  kvCacheBytesPerElement: 2,
  gemmTileTokens: 128,
  causalAttentionFraction: 0.5,
  optimizerBytesPerParameter: 28,
  trainingStateBytesPerParameter: 16,
  activationBytesReplicated: 10,
  activationBytesSharded: 24,
  activationBytesRecomputed: 2,
  trainingKernelScale: 1,
  hostLinkEfficiency: 0.8,
  servingEngine: 'splitwise-2023',
  engineOverheadScale: 1,
  flashAttentionMfu: 0.5,
  logProbBytesPerLogit: 14,
  fsdpKernelScale: 1,
  megatronKernelScale: 1,
  fsdpPassOverheadS: 0,
  megatronPassOverheadS: 0,
  decodeSequenceOverheadS: 0,
  decodeTpSyncOverheadS: 0,
  gpuKernelScale: 1,
  moeRouting: 'uniform',
  defaultGemmMfu: 0.7,
  defaultGemmMbu: 0.8,
  defaultAttentionMfu: 0.5,
  defaultAttentionMbu: 0.6,
  defaultElementwiseMbu: 0.5,
  defaultKernelOverheadS: 5e-6,
  defaultCollectiveLatencyS: 20e-6,
  defaultCollectiveLatencyPerHopS: 1e-6,
  defaultLinkEfficiency: 0.7,
};

type Described = Omit<NamedAssumption, 'name' | 'value'>;

const DESCRIPTIONS: Readonly<Record<AssumptionName, Described>> = {
  backwardToForwardRatio: { unit: '×', source: `${REF} §4: training ≈ 6·P·tokens FLOPs, forward 2 and backward 4 (as in FlexFusion)` },
  activationRecomputation: { unit: 'on/off', source: `${REF} §5.3: veRL turns gradient checkpointing on by default (full recomputation ≈ 8·P·tokens)` },
  defaultMemoryUtilization: { unit: 'fraction', source: "vLLM's default gpu_memory_utilization is 0.9 (veRL v0.3 sets 0.5, see reference §5.3)" },
  runtimeOverheadBytesPerGpu: {
    unit: 'bytes',
    why: 'CUDA context and NCCL/cuBLAS workspaces (≈ 1 GiB) plus the engine’s activation peak and CUDA graphs; the RLHFless feasibility note (papers/rlhfless.md §5) implies 1.9–4.4 GiB per GPU for Llama-2-70B on 2 × H100',
  },
  kvCacheBytesPerElement: { unit: 'bytes', source: `${REF} §4: KV cache in bf16 (2 bytes per element)` },
  gemmTileTokens: {
    unit: 'tokens',
    why: 'GEMMs with fewer rows than a tensor-core tile pay for the whole tile; 128 fits the Vidur A100/H100 GEMM profiles better than no rounding or 64 (see calibration fits)',
  },
  causalAttentionFraction: { unit: 'fraction', why: 'causal (FlashAttention-style) kernels skip the masked upper triangle: half of QKᵀ and AV' },
  optimizerBytesPerParameter: {
    unit: 'bytes per parameter',
    why: 'mixed-precision Adam reads fp32 master, m, v (12) and the bf16 gradient (2) and writes master, m, v (12) and the bf16 weight (2)',
  },
  trainingStateBytesPerParameter: { unit: 'bytes per parameter', source: `${REF} §4: ≈ 16 bytes/parameter for mixed-precision Adam (ZeRO paper, arXiv 1910.02054)` },
  activationBytesReplicated: {
    unit: 'bytes per token per hidden unit per layer',
    source: 'Korthikanti et al. 2022 (arXiv 2205.05198) Eq. 2: sbh(10 + 24/t + 5as/(ht)); the 5as/h score term is dropped because flash attention does not store scores',
  },
  activationBytesSharded: { unit: 'bytes per token per hidden unit per layer', source: 'Korthikanti et al. 2022 (arXiv 2205.05198) Eq. 2: the 24/t term' },
  activationBytesRecomputed: { unit: 'bytes per token per hidden unit per layer', source: 'Korthikanti et al. 2022 (arXiv 2205.05198) §4: full recomputation stores only the bf16 layer input (2sbh)' },
  trainingKernelScale: {
    unit: '×',
    why: 'no public training-kernel profile: training and ref/reward/critic forwards (Megatron / FSDP, not the serving engine) run at the calibrated GEMM and element-wise efficiencies with FlashAttention-class attention (flashAttentionMfu), without serving-engine overheads',
  },
  hostLinkEfficiency: { unit: 'fraction', why: 'pinned host→GPU copies typically reach ≈ 80 % of the PCIe rate' },
  servingEngine: {
    unit: 'era',
    source: `harness/cost/engine-eras.ts: ${SERVING_ENGINES.join(', ')}; the calibration's engine terms are fitted on SplitwiseSim's 2023–24 engine ('splitwise-2023', the default so a calibrated model reproduces its profiles); 'vllm-2024' is fitted to the vLLM Sept-2024 TPOTs (reference §5.1); scenarios name the era of the engine they simulate (costModel.engine)`,
  },
  engineOverheadScale: {
    unit: '×',
    why: 'a multiplier on the chosen era’s overheads, for sensitivity sweeps: the eras are fitted on one engine build and one host each',
  },
  flashAttentionMfu: {
    unit: 'fraction of peak FLOP/s',
    source: 'FlashAttention-2 forward reaches 50–73 % of A100 peak (Dao 2023, arXiv 2307.08691); on H100 FlashAttention-2 reaches ≈ 35 % and FlashAttention-3 ≈ 75 % (Shah et al. 2024, arXiv 2407.08608)',
    why: 'training frameworks (Megatron, FSDP with flash_attention_2) and modern serving engines run FlashAttention-class kernels; the calibration’s prefill-attention efficiency (3–8 % of peak) is fitted on SplitwiseSim’s engine and describes that engine, not these',
  },
  logProbBytesPerLogit: {
    unit: 'bytes per logit',
    why:
      'an RLHF log-prob forward (actor old log-prob, reference) and the actor update turn every token’s logits into log-probabilities: the bf16 logits upcast to fp32 (2 bytes read, 4 written) and a log-softmax over them (4 read, 4 written), as torch.log_softmax(logits.float()) does (HF transformers < 4.45 returned fp32 logits from Llama/Qwen2); a fused cross-entropy kernel reading the bf16 logits once moves 2, veRL’s compute_log_prob adds the temperature scaling and the entropy over the vocabulary (≈ 20); a memory-bound element-wise pass at the calibrated streaming efficiency',
  },
  fsdpKernelScale: {
    unit: '×',
    why: 'an FSDP training engine runs HF model code (unfused element-wise kernels, fp32 norms and log-softmax, launch gaps between small kernels) below the calibrated kernel roofline; 1 = at the roofline; fitted on recorded RL runs (harness/cost/calibrations/rl-step-logs.json)',
  },
  megatronKernelScale: {
    unit: '×',
    why: 'as fsdpKernelScale, for Megatron-Core models (fused kernels, TP/PP communication inside the pass); fitted on recorded RL runs (harness/cost/calibrations/rl-step-logs.json)',
  },
  fsdpPassOverheadS: {
    unit: 's per micro-batch forward pass',
    why: 'what an FSDP training framework spends per micro-batch beyond kernels (Python dispatch of the model, unpad/pack and position-id preparation, per-micro-batch loss and log-prob bookkeeping); 0 = kernels only; fitted on recorded RL runs (harness/cost/calibrations/rl-step-logs.json)',
  },
  megatronPassOverheadS: {
    unit: 's per micro-batch forward pass per pipeline stage',
    why: 'as fsdpPassOverheadS, for Megatron (its pipeline schedule’s per-micro-batch Python, data preparation and broadcast across TP ranks); fitted on recorded RL runs (harness/cost/calibrations/rl-step-logs.json)',
  },
  decodeSequenceOverheadS: {
    unit: 's per running sequence per decode step',
    why: 'host work a serving engine does per sequence per step that its era’s terms leave out (vLLM V0 scheduling, sampler metadata, detokenisation and output processing); 0 = the era as fitted; fitted per serving engine on recorded RL runs (harness/cost/calibrations/rl-step-logs.json)',
  },
  decodeTpSyncOverheadS: {
    unit: 's per layer per extra TP rank per decode step',
    why: 'tensor-parallel decode all-reduces twice per layer; an engine run eager, or with its custom all-reduce off (veRL’s hybrid engine turns vLLM’s off), waits on NCCL’s latency each time, which the era’s kernel-level terms leave out; 0 = the era as fitted; fitted per serving engine on recorded RL runs (harness/cost/calibrations/rl-step-logs.json)',
  },
  gpuKernelScale: {
    unit: '×',
    why: 'kernels reach a GPU-specific fraction of the calibrated efficiencies; 1 on a GPU with its own kernel calibration; a GPU that borrows another family’s efficiencies (MI300X from H100) is fitted on recorded RL runs (harness/cost/calibrations/rl-step-logs.json)',
  },
  moeRouting: {
    unit: 'routing model',
    why:
      'MoE models only: with k of E experts chosen uniformly per token, a batch of b tokens touches E·(1 − (1 − k/E)^b) distinct experts, whose weights a decode step reads (model-shape.ts expectedExpertsTouched), and every EP rank receives an equal share of the routed rows (EP all-to-all, training/collectives.ts); real routers are skewed (fewer experts touched, hot EP ranks slower), so decode is priced pessimistically and the all-to-all optimistically',
  },
  defaultGemmMfu: { unit: 'fraction of peak FLOP/s', why: 'typical cuBLAS bf16 GEMM efficiency on large shapes; used only where no calibration covers the GPU' },
  defaultGemmMbu: { unit: 'fraction of peak HBM bytes/s', why: 'typical memory-bound GEMM (small batch) efficiency; used only where no calibration covers the GPU' },
  defaultAttentionMfu: { unit: 'fraction of peak FLOP/s', why: 'FlashAttention-2 reaches 50–73 % of A100 peak (Dao 2023); the low end, used only without calibration' },
  defaultAttentionMbu: { unit: 'fraction of peak HBM bytes/s', source: `${REF} §4: calibrated MBU for vLLM at small batch ≈ 0.63–0.66`, why: 'used only without calibration' },
  defaultElementwiseMbu: { unit: 'fraction of peak HBM bytes/s', why: 'norms, RoPE, activations and adds are short streaming kernels; used only without calibration' },
  defaultKernelOverheadS: { unit: 's', why: 'kernel launch and tail of a few µs; used only without calibration' },
  defaultCollectiveLatencyS: { unit: 's', why: 'NCCL small-message latency of tens of µs; used only without calibration' },
  defaultCollectiveLatencyPerHopS: { unit: 's', why: 'ring step latency; used only without calibration' },
  defaultLinkEfficiency: { unit: 'fraction of link bytes/s', source: `${REF} §1: practical bus bandwidths are lower than the peaks`, why: 'used only without calibration' },
};

/** Every assumption with its current value, in a stable order, for reports. */
export function listAssumptions(assumptions: CostAssumptions = DEFAULT_COST_ASSUMPTIONS): NamedAssumption[] {
  return (Object.keys(DESCRIPTIONS) as AssumptionName[]).map((name) => ({ name, value: assumptions[name], ...DESCRIPTIONS[name] }));
}

/** A copy with one assumption changed, for sensitivity sweeps; the value's type must match. */
export function withAssumption(assumptions: CostAssumptions, name: AssumptionName, value: number | boolean | string): CostAssumptions {
  if (!Object.hasOwn(DESCRIPTIONS, name)) throw new RangeError(`unknown cost assumption '${name}'`);
  if (typeof value !== typeof assumptions[name]) throw new TypeError(`assumption '${name}' is a ${typeof assumptions[name]}, got ${typeof value}`);
  if (name === 'servingEngine' && !isServingEngine(value)) throw new RangeError(`servingEngine must be one of ${SERVING_ENGINES.join(', ')}, got '${String(value)}'`);
  if (name === 'moeRouting' && value !== 'uniform') throw new RangeError(`moeRouting must be 'uniform', got '${String(value)}'`);
  return { ...assumptions, [name]: value };
}
