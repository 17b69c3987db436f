import type { CostAssumptions } from '../assumptions.js';
import type { ResolvedParameters } from '../calibration/resolve.js';
import type { DecodeEngineParameters, PrefillEngineParameters } from '../calibration/types.js';
import { servingEngineParameters } from '../engine-eras.js';
import { parameterCount, kvBytesPerToken, kvBytesPerTokenPerGpu, layersPerStage, maxStageMoeLayers, moeLayerCount, weightBytesPerGpu } from '../model-shape.js';
import {
  attentionDecodeCoefficients,
  attentionPrefillCoefficients,
  attentionPrefillTimeS,
  layerShape,
  operatorCoefficients,
  rooflineTimeS,
  type AttentionDecodeCoefficients,
  type AttentionPrefillCoefficients,
  type LayerOperator,
  OPERATOR_CLASS,
  type RooflineCoefficients,
  type KernelEfficiency,
} from '../operators.js';
import { sumMaxOfTwoLines } from '../piecewise-sum.js';
import { recordQuery } from '../range-counter.js';
import { trainingEngineOf, type GpuSpec, type ModelSpec, type RangeCounter, type ReplicaCost, type ShardLayout } from '../types.js';
import { compileRange, type CompiledRange } from './fitted-range.js';
import { mlaDecodeCoefficients, mlaPrefillCoefficients, mlaProjectionCoefficients, mlaRopeCoefficients } from './mla-attention.js';
import { moeMlpCoefficients, moeMlpTimeS, type MoeMlpCoefficients } from './moe-mlp.js';

/**
 * The log-probability computation after an LM head, per token: a memory-bound pass moving
 * `bytesPerLogit` for each of the GPU's `vocabPerGpu` logits (vocabulary-parallel under TP).
 */
export function logProbCoefficients(vocabPerGpu: number, bytesPerLogit: number, streamingBytesPerS: number, overheadS: number): RooflineCoefficients {
  return { computeSPerToken: 0, fixedBytesS: 0, bytesSPerToken: (vocabPerGpu * bytesPerLogit) / streamingBytesPerS, overheadS, tileTokens: 1 };
}

/**
 * Kernel efficiencies with every kernel time multiplied by `scale` (the GPU's achieved efficiency
 * relative to the efficiencies it runs on): rates divided, fixed overheads multiplied.
 */
export function scaledKernels<K extends string>(kernels: Readonly<Record<K, KernelEfficiency>>, scale: number): Readonly<Record<K, KernelEfficiency>> {
  if (scale === 1) return kernels;
  const out = {} as Record<K, KernelEfficiency>;
  for (const key of Object.keys(kernels) as K[]) {
    const k = kernels[key];
    out[key] = { mfu: k.mfu / scale, mbu: k.mbu / scale, overheadS: k.overheadS * scale };
  }
  return out;
}

/** Time of a link use as fixed + per-byte parts, so the hot path never branches on placement. */
export interface LinearLinkCost {
  readonly fixedS: number;
  readonly sPerByte: number;
}

export interface ReplicaInputs {
  readonly gpu: GpuSpec;
  readonly model: ModelSpec;
  readonly layout: ShardLayout;
  readonly parameters: ResolvedParameters;
  readonly assumptions: CostAssumptions;
  readonly counter: RangeCounter;
  /** One TP all-reduce of the hidden state inside the replica (zero cost when tp = 1). */
  readonly tpAllReduce: LinearLinkCost;
  /** One send of activations between adjacent pipeline stages (unused when pp = 1). */
  readonly stageSend: LinearLinkCost;
  /** Gradient all-reduce of `bytes` over `dp` replicas. */
  readonly gradientAllReduceS: (bytes: number, dp: number, crossNode: boolean) => number;
  /**
   * Measured time of one layer's linear (non-attention) kernels at `tokens`, or NaN where no
   * measurement covers it: lets the profile-interpolating model swap in measured kernels.
   */
  readonly measuredLinearKernelsS?: (tokens: number) => number;
}

/** The linear (non-attention) operators of one layer, each counted as often as a layer runs it. */
const LAYER_LINEAR_OPERATORS: readonly (readonly [LayerOperator, number])[] = [
  ['input_layernorm', 1],
  ['attn_pre_proj', 1],
  ['attn_rope', 1],
  ['attn_post_proj', 1],
  ['post_attention_layernorm', 1],
  ['mlp_up_proj', 1],
  ['mlp_act', 1],
  ['mlp_down_proj', 1],
  ['add', 2],
];

/** Positions in LAYER_LINEAR_OPERATORS of the MLP kernels an MoE layer replaces, and of the attention kernels MLA replaces. */
const MLP_OPERATOR_INDICES: readonly number[] = [5, 6, 7];
const MLA_PRE_PROJ = 1;
const MLA_ROPE = 2;
const MLA_POST_PROJ = 3;

/**
 * The roofline replica: costs of one TP × PP group of one model on one GPU kind, as sums of
 * per-operator rooflines plus, for generation (prefill, decode), the serving engine's overheads
 * under the era the assumptions name (engine-eras.ts). Forwards and training are the training
 * engine's (Megatron / FSDP): kernels with FlashAttention-class attention and TP communication,
 * no serving-engine term. Every method is O(1) and allocates
 * nothing; coefficients are computed once here.
 */
export class RooflineReplica implements ReplicaCost {
  readonly model: ModelSpec;
  readonly gpu: GpuSpec;
  readonly layout: ShardLayout;
  readonly gpus: number;
  readonly weightBytesPerGpu: number;
  readonly kvBytesPerTokenPerGpu: number;
  readonly kvBytesPerToken: number;
  /** Parameters held by the busiest GPU. */
  readonly parametersPerGpu: number;

  private readonly counter: RangeCounter;
  private readonly assumptions: CostAssumptions;
  private readonly layers: number;
  private readonly stageLayers: number;
  private readonly tp: number;
  private readonly pp: number;
  private readonly hidden: number;
  private readonly linear: readonly RooflineCoefficients[];
  private readonly linearCounts: readonly number[];
  private readonly head: RooflineCoefficients;
  /** Log-probabilities over the vocabulary after the LM head (none for a value head). */
  private readonly logProb: RooflineCoefficients | undefined;
  private readonly embedding: RooflineCoefficients;
  private readonly attentionDecode: AttentionDecodeCoefficients;
  /** The serving engine's prefill attention (its era decides the efficiency). */
  private readonly attentionPrefill: AttentionPrefillCoefficients;
  /** Training and inference forwards' attention: FlashAttention-class, whatever the serving engine. */
  private readonly attentionForward: AttentionPrefillCoefficients;
  private readonly arFixedS: number;
  private readonly arSPerToken: number;
  private readonly sendFixedS: number;
  private readonly sendSPerToken: number;
  private readonly decodeEngine: DecodeEngineParameters;
  private readonly prefillEngine: PrefillEngineParameters;
  private readonly decodePerLayerS: number;
  private readonly optimizerSPerParameter: number;
  private readonly optimizerOverheadS: number;
  private readonly gradientAllReduceS: (bytes: number, dp: number, crossNode: boolean) => number;
  private readonly measuredLinearKernelsS: ((tokens: number) => number) | undefined;
  private readonly decodeRange: CompiledRange;
  private readonly prefillRange: CompiledRange;
  private readonly kernelRange: CompiledRange;
  private readonly trainingKernelScale: number;
  private readonly passOverheadS: number;
  private readonly decodeSequenceOverheadS: number;
  /** MoE models: the MoE layer's MLP, and how many layers (and of the busiest stage) are MoE. */
  private readonly moeMlp: MoeMlpCoefficients | undefined;
  private readonly moeLayers: number;
  private readonly stageMoeLayers: number;
  // One-entry memo of the context-independent part of a decode step (schedulers repeat batches).
  private memoBatch = -1;
  private memoStaticS = 0;

  constructor(inputs: ReplicaInputs) {
    const { gpu, model, layout, parameters, assumptions } = inputs;
    if (!(Number.isInteger(layout.tp) && layout.tp >= 1 && Number.isInteger(layout.pp) && layout.pp >= 1)) {
      throw new RangeError(`layout needs positive integer tp and pp, got tp=${layout.tp} pp=${layout.pp}`);
    }
    this.model = model;
    this.gpu = gpu;
    this.layout = layout;
    this.tp = layout.tp;
    this.pp = layout.pp;
    this.gpus = layout.tp * layout.pp;
    this.counter = inputs.counter;
    this.assumptions = assumptions;
    this.layers = model.layers;
    this.stageLayers = layersPerStage(model, layout.pp);
    this.hidden = model.hidden;
    this.weightBytesPerGpu = weightBytesPerGpu(model, layout.tp, layout.pp);
    this.parametersPerGpu = this.weightBytesPerGpu / model.bytesPerParameter;
    this.kvBytesPerTokenPerGpu = kvBytesPerTokenPerGpu(model, layout.tp, layout.pp, assumptions.kvCacheBytesPerElement);
    this.kvBytesPerToken = kvBytesPerToken(model, assumptions.kvCacheBytesPerElement);

    const shape = layerShape(model, layout.tp);
    const kernels = scaledKernels(parameters.kernels, assumptions.gpuKernelScale);
    const tile = assumptions.gemmTileTokens;
    const linear = LAYER_LINEAR_OPERATORS.map(([op]) => operatorCoefficients(op, shape, gpu, kernels[OPERATOR_CLASS[op]], tile));
    const mla = model.mla;
    if (mla) {
      const projections = mlaProjectionCoefficients(model, mla, shape, gpu, kernels.gemm, tile, layout.tp);
      linear[MLA_PRE_PROJ] = projections.pre;
      linear[MLA_POST_PROJ] = projections.post;
      linear[MLA_ROPE] = mlaRopeCoefficients(model, mla, shape, gpu, kernels.rope, layout.tp);
    }
    this.linear = linear;
    this.linearCounts = LAYER_LINEAR_OPERATORS.map(([, count]) => count);
    this.moeMlp = moeMlpCoefficients(model, shape, gpu, kernels, tile, layout.tp);
    this.moeLayers = moeLayerCount(model);
    this.stageMoeLayers = maxStageMoeLayers(model, layout.pp);
    // A value head (critic, reward model) projects the hidden state to one scalar: no vocabulary.
    const valueHead = layout.head === 'value';
    this.head = operatorCoefficients('lm_head', valueHead ? { ...shape, vocabPerGpu: 1 } : shape, gpu, kernels.gemm, tile);
    this.logProb = valueHead ? undefined : logProbCoefficients(shape.vocabPerGpu, assumptions.logProbBytesPerLogit, gpu.hbmBytesPerS * kernels.residual_add.mbu, kernels.residual_add.overheadS);
    this.embedding = operatorCoefficients('emb', shape, gpu, kernels.embedding, tile);
    this.attentionDecode = mla
      ? mlaDecodeCoefficients(model, mla, shape, gpu, kernels.attention_decode, assumptions.kvCacheBytesPerElement, layout.tp)
      : attentionDecodeCoefficients(shape, gpu, kernels.attention_decode, assumptions.kvCacheBytesPerElement);
    const engine = servingEngineParameters(
      layout.servingEngine ?? assumptions.servingEngine,
      { decode: parameters.decode, prefill: parameters.prefill, attentionPrefill: kernels.attention_prefill },
      assumptions.flashAttentionMfu,
      assumptions.engineOverheadScale,
    );
    const kernelScale = assumptions.gpuKernelScale;
    const forwardAttention = { mfu: assumptions.flashAttentionMfu / kernelScale, mbu: kernels.attention_prefill.mbu, overheadS: 0 };
    const prefillAttention = { ...engine.attentionPrefill, mfu: engine.attentionPrefill.mfu / kernelScale };
    this.attentionPrefill = mla
      ? mlaPrefillCoefficients(model, mla, shape, gpu, prefillAttention, assumptions.causalAttentionFraction, layout.tp)
      : attentionPrefillCoefficients(shape, gpu, prefillAttention, assumptions.causalAttentionFraction);
    this.attentionForward = mla
      ? mlaPrefillCoefficients(model, mla, shape, gpu, forwardAttention, assumptions.causalAttentionFraction, layout.tp)
      : attentionPrefillCoefficients(shape, gpu, forwardAttention, assumptions.causalAttentionFraction);

    const hiddenBytes = model.hidden * shape.bytesPerActivation;
    this.arFixedS = inputs.tpAllReduce.fixedS;
    this.arSPerToken = inputs.tpAllReduce.sPerByte * hiddenBytes;
    this.sendFixedS = layout.pp > 1 ? inputs.stageSend.fixedS : 0;
    this.sendSPerToken = layout.pp > 1 ? inputs.stageSend.sPerByte * hiddenBytes : 0;

    this.decodeEngine = engine.decode;
    this.prefillEngine = engine.prefill;
    this.decodePerLayerS = this.decodeEngine.perLayerS + (this.decodeEngine.perLayerPerTpPeerS + assumptions.decodeTpSyncOverheadS) * (layout.tp - 1);
    const streaming = kernels.residual_add;
    this.optimizerSPerParameter = assumptions.optimizerBytesPerParameter / (gpu.hbmBytesPerS * streaming.mbu);
    this.optimizerOverheadS = streaming.overheadS;
    this.gradientAllReduceS = inputs.gradientAllReduceS;
    this.measuredLinearKernelsS = inputs.measuredLinearKernelsS;
    const megatron = trainingEngineOf(layout) === 'megatron';
    this.trainingKernelScale = assumptions.trainingKernelScale * (megatron ? assumptions.megatronKernelScale : assumptions.fsdpKernelScale);
    this.passOverheadS = megatron ? assumptions.megatronPassOverheadS : assumptions.fsdpPassOverheadS;
    this.decodeSequenceOverheadS = assumptions.decodeSequenceOverheadS;

    const withinTp = (range: CompiledRange): CompiledRange => (layout.tp >= range.tpLo && layout.tp <= range.tpHi ? range : { ...range, fitted: false });
    this.decodeRange = withinTp(compileRange(parameters.origins.decode));
    this.prefillRange = withinTp(compileRange(parameters.origins.prefill));
    this.kernelRange = withinTp(compileRange(parameters.origins['kernel:gemm']));
  }

  kvCapacityTokens(memoryUtilization: number): number {
    const free = this.gpu.memoryBytes * memoryUtilization - this.weightBytesPerGpu - this.assumptions.runtimeOverheadBytesPerGpu;
    return free <= 0 ? 0 : Math.floor(free / this.kvBytesPerTokenPerGpu);
  }

  /** Added: the largest decode batch whose sequences of `tokensPerSequence` tokens fit in the KV cache. */
  maxDecodeBatch(memoryUtilization: number, tokensPerSequence: number): number {
    return Math.floor(this.kvCapacityTokens(memoryUtilization) / Math.max(1, tokensPerSequence));
  }

  /** Added: training state (weights, grads, Adam) bytes on each GPU with optimizer states sharded over `dp` (ZeRO-1). */
  trainingStateBytesPerGpu(dp: number): number {
    const weightsAndGrads = 2 * this.model.bytesPerParameter;
    const optimizer = this.assumptions.trainingStateBytesPerParameter - weightsAndGrads;
    return this.parametersPerGpu * (weightsAndGrads + optimizer / Math.max(1, dp));
  }

  /**
   * One layer's linear (non-attention) kernels at `tokens` on one GPU: measured where the profile
   * model has it, else the roofline. For an MoE model, an MoE layer's.
   */
  linearKernelsS(tokens: number): number {
    return this.moeMlp ? this.moeLayerLinearS(this.moeMlp, tokens) : this.denseLayerLinearS(tokens);
  }

  /** A dense layer's linear kernels. */
  private denseLayerLinearS(tokens: number): number {
    if (this.measuredLinearKernelsS !== undefined) {
      const measured = this.measuredLinearKernelsS(tokens);
      if (measured === measured) return measured; // not NaN
    }
    let total = 0;
    const linear = this.linear;
    for (let i = 0; i < linear.length; i++) total += this.linearCounts[i]! * rooflineTimeS(linear[i]!, tokens);
    return total;
  }

  /** An MoE layer's linear kernels: the attention-side kernels of a dense layer, the MoE MLP instead of the dense one. */
  private moeLayerLinearS(moe: MoeMlpCoefficients, tokens: number): number {
    let total = 0;
    const linear = this.linear;
    for (let i = 0; i < linear.length; i++) if (!MLP_OPERATOR_INDICES.includes(i)) total += this.linearCounts[i]! * rooflineTimeS(linear[i]!, tokens);
    return total + moeMlpTimeS(moe, tokens);
  }

  /** Linear kernels of `layers` layers of which `moeLayers` are MoE layers. */
  private layersLinearS(tokens: number, layers: number, moeLayers: number): number {
    const moe = this.moeMlp;
    if (!moe || moeLayers === 0) return layers * this.denseLayerLinearS(tokens);
    const dense = layers - moeLayers;
    return (dense > 0 ? dense * this.denseLayerLinearS(tokens) : 0) + moeLayers * this.moeLayerLinearS(moe, tokens);
  }

  private tpCommS(tokens: number): number {
    return this.tp > 1 ? 2 * (this.arFixedS + this.arSPerToken * tokens) : 0;
  }

  private stageSendsS(tokens: number): number {
    return (this.pp - 1) * (this.sendFixedS + this.sendSPerToken * tokens);
  }

  /** Everything of a decode step that does not depend on the context length. */
  private decodeStaticS(batch: number): number {
    if (batch === this.memoBatch) return this.memoStaticS;
    const engine = this.decodeEngine.stepOverheadS + (this.decodeEngine.perSequenceS + this.decodeSequenceOverheadS) * batch;
    let value: number;
    if (this.moeMlp) {
      // Each MoE layer reads the experts this batch touches: the static part grows with the batch, unlike a dense layer's weights.
      const perLayer = this.tpCommS(batch) + this.decodePerLayerS + this.attentionDecode.overheadS;
      const ends = rooflineTimeS(this.head, batch) + rooflineTimeS(this.embedding, batch) + engine + this.stageSendsS(batch);
      value = this.layers * perLayer + this.layersLinearS(batch, this.layers, this.moeLayers) + ends;
    } else {
      const perLayer = this.linearKernelsS(batch) + this.tpCommS(batch) + this.decodePerLayerS + this.attentionDecode.overheadS;
      value = this.layers * perLayer + rooflineTimeS(this.head, batch) + rooflineTimeS(this.embedding, batch) + engine + this.stageSendsS(batch);
    }
    this.memoBatch = batch;
    this.memoStaticS = value;
    return value;
  }

  private decodeInRange(batch: number, contextPerSequence: number): boolean {
    const r = this.decodeRange;
    return r.fitted && batch >= r.batchLo && batch <= r.batchHi && contextPerSequence >= r.contextLo && contextPerSequence <= r.contextHi;
  }

  decodeStepS(batch: number, contextTokens: number): number {
    recordQuery(this.counter, this.decodeInRange(batch, contextTokens / batch), 'decode_step');
    const a = this.attentionDecode;
    const compute = contextTokens * a.flopsSPerContextToken;
    const memory = contextTokens * a.bytesSPerContextToken + batch * a.bytesSPerSequence;
    return this.decodeStaticS(batch) + this.layers * (compute > memory ? compute : memory);
  }

  decodeStepsS(batch: number, contextTokens: number, steps: number): number {
    if (steps <= 0) return 0;
    const lastContext = contextTokens + batch * (steps - 1);
    recordQuery(this.counter, this.decodeInRange(batch, contextTokens / batch) && this.decodeInRange(batch, lastContext / batch), 'decode_step');
    const a = this.attentionDecode;
    // attention per layer at step k: max(C_k·flops, C_k·kvBytes + B·qBytes), C_k = C + k·B
    const attention = sumMaxOfTwoLines(0, a.flopsSPerContextToken, batch * a.bytesSPerSequence, a.bytesSPerContextToken, contextTokens, batch, steps);
    return steps * this.decodeStaticS(batch) + this.layers * attention;
  }

  prefillS(tokens: number, sequences: number, squaredTokens?: number): number {
    const r = this.prefillRange;
    const perSequence = tokens / sequences;
    recordQuery(this.counter, r.fitted && perSequence >= r.tokensLo && perSequence <= r.tokensHi && sequences >= r.batchLo && sequences <= r.batchHi, 'prefill');
    const e = this.prefillEngine;
    const perSequenceSquares = squaredTokens ?? (tokens * tokens) / sequences;
    const squares = e.packedAttentionFraction * tokens * tokens + (1 - e.packedAttentionFraction) * perSequenceSquares;
    const layersS = this.moeMlp
      ? e.kernelScale * this.layersLinearS(tokens, this.layers, this.moeLayers) + this.layers * (attentionPrefillTimeS(this.attentionPrefill, tokens, squares) + this.tpCommS(tokens) + e.perLayerS)
      : this.layers * (e.kernelScale * this.linearKernelsS(tokens) + attentionPrefillTimeS(this.attentionPrefill, tokens, squares) + this.tpCommS(tokens) + e.perLayerS);
    return (
      layersS +
      rooflineTimeS(this.head, sequences) +
      rooflineTimeS(this.embedding, tokens) +
      e.overheadS +
      e.perSequenceS * sequences +
      this.stageSendsS(tokens)
    );
  }

  private kernelInRange(tokens: number): boolean {
    const r = this.kernelRange;
    return r.fitted && tokens >= r.tokensLo && tokens <= r.tokensHi;
  }

  /** Kernels of `layers` layers (`moeLayers` of them MoE) of a forward pass over `tokens` (attention over sequences of equal length unless `squaredTokens` says otherwise). */
  private forwardLayersS(layers: number, tokens: number, squaredTokens: number, moeLayers: number): number {
    if (this.moeMlp) {
      const kernels = this.layersLinearS(tokens, layers, moeLayers) + layers * attentionPrefillTimeS(this.attentionForward, tokens, squaredTokens);
      return this.trainingKernelScale * kernels + layers * this.tpCommS(tokens);
    }
    const kernels = this.linearKernelsS(tokens) + attentionPrefillTimeS(this.attentionForward, tokens, squaredTokens);
    return layers * (this.trainingKernelScale * kernels + this.tpCommS(tokens));
  }

  forwardS(tokens: number, sequences: number, squaredTokens?: number): number {
    recordQuery(this.counter, this.kernelInRange(tokens), 'forward');
    const squares = squaredTokens ?? (tokens * tokens) / sequences;
    const ends = this.trainingKernelScale * (rooflineTimeS(this.head, tokens) + this.logProbS(tokens) + rooflineTimeS(this.embedding, tokens));
    return this.forwardLayersS(this.layers, tokens, squares, this.moeLayers) + ends + this.stageSendsS(tokens) + this.pp * this.passOverheadS;
  }

  /** The busiest stage: its layers plus the output head and the log-probabilities (the last stage), plus the embedding when pp = 1. */
  trainStageForwardS(tokens: number, sequences: number, squaredTokens?: number): number {
    recordQuery(this.counter, this.kernelInRange(tokens), 'train_forward');
    const squares = squaredTokens ?? (tokens * tokens) / sequences;
    const embedding = this.pp === 1 ? rooflineTimeS(this.embedding, tokens) : 0;
    return this.forwardLayersS(this.stageLayers, tokens, squares, this.stageMoeLayers) + this.trainingKernelScale * (rooflineTimeS(this.head, tokens) + this.logProbS(tokens) + embedding) + this.passOverheadS;
  }

  /** Added: the log-probabilities of `tokens` tokens over this GPU's share of the vocabulary (0 for a value head). */
  logProbS(tokens: number): number {
    return this.logProb === undefined || tokens <= 0 ? 0 : rooflineTimeS(this.logProb, tokens);
  }

  trainStageBackwardS(tokens: number, sequences: number, squaredTokens?: number): number {
    const forward = this.trainStageForwardS(tokens, sequences, squaredTokens);
    return this.assumptions.backwardToForwardRatio * forward + (this.assumptions.activationRecomputation ? forward : 0);
  }

  activationBytesPerStage(tokens: number, _sequences: number): number {
    const a = this.assumptions;
    const perHidden = a.activationRecomputation ? a.activationBytesRecomputed : a.activationBytesReplicated + a.activationBytesSharded / this.tp;
    return this.stageLayers * tokens * this.hidden * perHidden;
  }

  pipelineSendS(tokens: number): number {
    return this.pp > 1 ? this.sendFixedS + this.sendSPerToken * tokens : 0;
  }

  optimizerStepS(dp: number): number {
    return (this.parametersPerGpu / Math.max(1, dp)) * this.optimizerSPerParameter + this.optimizerOverheadS;
  }

  gradientSyncS(dp: number, crossNode: boolean): number {
    // bf16 gradients, one per parameter of this GPU's shard
    return this.gradientAllReduceS(this.parametersPerGpu * this.model.bytesPerParameter, dp, crossNode);
  }

  /** Added: total parameters of the model (not per GPU). */
  get modelParameters(): number {
    return parameterCount(this.model);
  }
}
