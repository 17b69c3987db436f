import type { ServingEngine } from './engine-eras.js';

/**
 * The cost-model contract the simulator and schedulers program against.
 * Every time is in seconds, every size in bytes, every rate per second.
 * Implementations live beside this file (roofline, profile-interpolating, calibrated);
 * schedulers never know which one answers, and the cost model never knows which scheduler asks.
 */

/** A GPU kind from the catalog (harness/cost/catalog) or a user's JSON file. */
export interface GpuSpec {
  readonly id: string;
  readonly name: string;
  /** Dense bf16 peak, FLOP/s. */
  readonly bf16FlopsPerS: number;
  readonly hbmBytesPerS: number;
  readonly memoryBytes: number;
  /** GPU↔GPU inside a node, per direction (all of a GPU's links together: NVSwitch, or AMD's fully connected Infinity Fabric mesh). */
  readonly intraNodeLink: { readonly kind: IntraNodeLinkKind; readonly bytesPerSPerDirection: number };
  /** Host↔GPU link per direction (PCIe), for loading frozen weights from CPU memory. */
  readonly hostLinkBytesPerSPerDirection: number;
  /** Typical network bandwidth per node between nodes (all NICs together). */
  readonly interNodeBytesPerSPerNode: number;
  readonly gpusPerNode: number;
  /** On-demand price per GPU-hour, USD, with the date of the price. */
  readonly priceUsdPerGpuHour: number;
  readonly priceDate: string;
  /** Where each figure comes from. */
  readonly sources: readonly string[];
  /**
   * Added: a catalog GPU whose calibrated efficiencies this GPU borrows when a calibration has none
   * of its own (H800 → h100-sxm: same silicon). Efficiencies are fractions of peak, so they are
   * applied to this GPU's own peak figures.
   */
  readonly calibrationAlias?: string;
  /**
   * Added: how far the borrowed efficiencies travel. 'same-silicon': the same die (H800, A800 with a
   * cut NVLink; H200 with more HBM). 'other-family': another architecture or a very different
   * compute/memory balance (MI300X, GB200, L40S; H20 at 15 % of an H100's FLOP/s). Borrowing across
   * families is what a fidelity report should widen its error bands for
   * (calibration/borrowing.ts, calibrationBorrowing); absent means 'other-family'.
   */
  readonly calibrationAliasKind?: CalibrationAliasKind;
}

export type IntraNodeLinkKind = 'nvlink' | 'pcie' | 'infinity-fabric';
export type CalibrationAliasKind = 'same-silicon' | 'other-family';

/**
 * Added: the mixture-of-experts MLP of a decoder (Qwen3-MoE, Mixtral, DeepSeek-V2/V3). Every MoE layer
 * has a router (hidden → experts), `experts` routed SwiGLU experts of width `expertFfn` of which each
 * token uses `expertsPerToken`, and optionally an always-active shared-expert MLP of width
 * `sharedExpertFfn`. Layers listed in `denseLayers` keep a dense MLP of width `ffn` instead.
 */
export interface MoeShape {
  readonly experts: number;
  readonly expertsPerToken: number;
  readonly expertFfn: number;
  /** Width of the always-active shared-expert MLP (DeepSeek: n_shared_experts × moe_intermediate_size); 0 for none. */
  readonly sharedExpertFfn: number;
  /** 0-based indices of the layers whose MLP is dense (DeepSeek's first_k_dense_replace, Qwen3-MoE's mlp_only_layers). */
  readonly denseLayers: readonly number[];
  /** The router has a per-expert bias (DeepSeek-V3's e_score_correction_bias). */
  readonly routerBias?: boolean;
}

/**
 * Added: multi-head latent attention (DeepSeek-V2/V3). Queries go through a rank-`qLoraRank` bottleneck
 * (0: a plain projection), keys and values are rebuilt from a `kvLoraRank` latent plus a shared
 * `qkRopeHeadDim` rotary key; the KV cache holds only the latent and the rotary key per layer.
 */
export interface MlaShape {
  readonly qLoraRank: number;
  readonly kvLoraRank: number;
  readonly qkNopeHeadDim: number;
  readonly qkRopeHeadDim: number;
  readonly vHeadDim: number;
}

/**
 * A decoder-only transformer from the catalog, a user's JSON file or a Hugging Face config.json.
 * Dense Llama / Qwen / Gemma shapes use the required fields; MoE and MLA shapes add the optional ones.
 */
export interface ModelSpec {
  readonly id: string;
  readonly name: string;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly ffn: number;
  readonly vocab: number;
  readonly tiedEmbeddings: boolean;
  readonly qkvBias: boolean;
  readonly bytesPerParameter: number;
  readonly sources: readonly string[];
  /** Added: false for a plain 2-matrix GELU MLP (BLOOM); default true (SwiGLU, 3 matrices). */
  readonly gatedMlp?: boolean;
  /** Added: RMSNorm over each query and key head (Qwen3: q_norm, k_norm of head_dim each); default false. */
  readonly qkNorm?: boolean;
  /** Added: norms per layer (Gemma-2: 4, pre and post attention and MLP); default 2. */
  readonly normsPerLayer?: number;
  /** Added: the mixture-of-experts MLP; absent for a dense model. */
  readonly moe?: MoeShape;
  /** Added: multi-head latent attention; absent for MHA / GQA. */
  readonly mla?: MlaShape;
}

/** Where a transfer goes, relative to where the data is. */
export type Placement = 'same-gpu' | 'same-node' | 'other-node';

/** How a model is split over the GPUs of one replica. DP is handled by the caller. */
export interface ShardLayout {
  readonly tp: number;
  readonly pp: number;
  /**
   * Added: the model's output head. 'lm' (default): vocabulary logits, and in inference forwards
   * and training the per-token log-probabilities over them (actor, reference: a log-softmax over
   * the vocabulary for every token). 'value': one scalar per token (critic, reward model: a
   * hidden → 1 projection, no vocabulary).
   */
  readonly head?: OutputHead;
  /**
   * Added: the serving engine whose overheads this replica's generation (prefill, decode) pays,
   * when a scheduler's framework runs another engine than the cost model's `servingEngine`
   * assumption (OpenRLHF without vLLM generates with HF generate). Default: the assumption's.
   */
  readonly servingEngine?: ServingEngine;
  /**
   * Added: the training engine that runs this replica's training and inference forwards: 'fsdp'
   * (HF model code on FSDP / ZeRO) or 'megatron'. Default: 'megatron' when TP or PP > 1, else 'fsdp'.
   */
  readonly trainingEngine?: TrainingEngineKind;
}

export type TrainingEngineKind = 'fsdp' | 'megatron';

/** The training engine a layout runs on: its own, or Megatron for any TP / PP split. */
export function trainingEngineOf(layout: ShardLayout): TrainingEngineKind {
  return layout.trainingEngine ?? (layout.tp > 1 || layout.pp > 1 ? 'megatron' : 'fsdp');
}

export type OutputHead = 'lm' | 'value';

/**
 * Counts queries that fell outside the measured range of a profile-interpolating or calibrated
 * model, the way ReaLHF warns about extrapolated estimates. One per simulation; never global.
 */
export interface RangeCounter {
  queries: number;
  outOfRange: number;
  /** Per query kind (e.g. 'decode_step'), out-of-range count. */
  readonly outOfRangeByKind: Record<string, number>;
}

/**
 * Costs of one replica (a TP × PP group) of one model on one GPU kind. Built once per
 * (model, layout) and queried in schedulers' inner loops, so each method is O(1) and allocation-free.
 */
export interface ReplicaCost {
  readonly model: ModelSpec;
  readonly gpu: GpuSpec;
  readonly layout: ShardLayout;
  /** GPUs in the replica: tp × pp. */
  readonly gpus: number;
  readonly weightBytesPerGpu: number;
  /** KV cache bytes per token on each GPU of the replica (heads replicated when tp > kvHeads). */
  readonly kvBytesPerTokenPerGpu: number;
  /** KV bytes per token of the whole model (what moves when a sequence migrates). */
  readonly kvBytesPerToken: number;
  /** KV tokens that fit beside the weights under the given memory utilisation cap. */
  kvCapacityTokens(memoryUtilization: number): number;

  /**
   * Prefill of `sequences` prompts totalling `tokens` tokens (one batch). `squaredTokens` (added,
   * optional) is Σ length² over the prompts, for the quadratic attention term; without it the
   * prompts are taken as equally long (tokens² / sequences).
   */
  prefillS(tokens: number, sequences: number, squaredTokens?: number): number;
  /** One decode step of `batch` sequences whose contexts total `contextTokens`. */
  decodeStepS(batch: number, contextTokens: number): number;
  /**
   * Sum of `steps` consecutive decode steps of a fixed batch whose total context starts at
   * `contextTokens` and grows by `batch` tokens a step: lets the simulator jump between events
   * instead of looping per token, with the same result as summing decodeStepS.
   */
  decodeStepsS(batch: number, contextTokens: number, steps: number): number;
  /**
   * Inference forward (ref / reward / critic / old log-prob) over `sequences` sequences totalling
   * `tokens`, through all PP stages, one batch; with an LM head, the log-probabilities over the
   * vocabulary included.
   */
  forwardS(tokens: number, sequences: number, squaredTokens?: number): number;
  /** Training forward of one micro-batch on ONE pipeline stage (layers / pp). */
  trainStageForwardS(tokens: number, sequences: number, squaredTokens?: number): number;
  /** Training backward of one micro-batch on one stage; backwardToForwardRatio × forward (named assumption), plus recompute when on. */
  trainStageBackwardS(tokens: number, sequences: number, squaredTokens?: number): number;
  /** Activation bytes one in-flight micro-batch holds on one stage. */
  activationBytesPerStage(tokens: number, sequences: number): number;
  /** Point-to-point send of one micro-batch's activations between adjacent stages. */
  pipelineSendS(tokens: number): number;
  /** Optimizer step (mixed-precision Adam) for one stage's shard, ZeRO-sharded over `dp` replicas. */
  optimizerStepS(dp: number): number;
  /** Gradient all-reduce (or reduce-scatter + all-gather) of one stage's gradients over `dp` replicas. */
  gradientSyncS(dp: number, crossNode: boolean): number;
}

export interface CostModel {
  readonly gpu: GpuSpec;
  /** Human-readable name, e.g. 'roofline (calibrated: calibrations/h100.json)'. */
  readonly description: string;
  readonly rangeCounter: RangeCounter;
  replica(model: ModelSpec, layout: ShardLayout): ReplicaCost;
  /**
   * Ring all-reduce of `bytes` over `workers` GPUs. `gpusPerNode` (added, optional): how many of
   * the workers share a node when crossNode (default: full nodes, or an even split over two).
   */
  allReduceS(bytes: number, workers: number, crossNode: boolean, gpusPerNode?: number): number;
  /** Moving `bytes` from one GPU to another (KV migration, weight sync). */
  transferS(bytes: number, placement: Placement): number;
  /** Loading `bytes` of frozen weights from host memory onto `gpus` GPUs in parallel. */
  hostToGpuS(bytes: number, gpus: number): number;
}
