import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CostAssumptions } from '../../../harness/cost/assumptions.js';
import { gpuById, MODEL_CATALOG, modelById } from '../../../harness/cost/catalog/index.js';
import { createRooflineCostModel } from '../../../harness/cost/roofline/model.js';

/** Ideal kernels: full efficiency, no overheads, so the hand arithmetic is the roofline itself. */
const IDEAL: Partial<CostAssumptions> = {
  defaultGemmMfu: 1,
  defaultGemmMbu: 1,
  defaultAttentionMfu: 1,
  defaultAttentionMbu: 1,
  defaultElementwiseMbu: 1,
  defaultKernelOverheadS: 0,
  gemmTileTokens: 1,
};

describe('roofline replica: hand-computed cases', () => {
  it('a batch-1 decode step of Llama-2-70B on one H100 reads every matmul weight once (reference §4: ≈ W / BW = 41.2 ms)', () => {
    const model = modelById('llama-2-70b');
    const replica = createRooflineCostModel(gpuById('h100-sxm'), undefined, { assumptions: IDEAL }).replica(model, { tp: 1, pp: 1 });
    const d = 8192;
    const matmulParams = 80 * (2 * d * d + 2 * d * 8 * 128 + 3 * d * 28672) + 32000 * d; // layers + LM head; the embedding is a lookup
    const weightsS = (matmulParams * 2) / 3.35e12; // 41.03 ms
    const step = replica.decodeStepS(1, 0);
    expect(step / weightsS).toBeGreaterThan(1);
    expect(step / weightsS).toBeLessThan(1.001); // activations and norms add < 0.1 %
    expect(Math.abs(step / 41.2e-3 - 1)).toBeLessThan(0.01); // the reference table's W/BW counts the embedding table too
  });

  it('training on Qwen2.5-7B, 1024 × 1024 tokens over 8 H100 at 40 % MFU: ≈ 6·P·tokens / (8·F·0.4) ≈ 15 s (reference §4)', () => {
    const model = modelById('qwen2.5-7b');
    const replica = createRooflineCostModel(gpuById('h100-sxm'), undefined, {
      assumptions: { ...IDEAL, defaultGemmMfu: 0.4, flashAttentionMfu: 0.4, activationRecomputation: false },
    }).replica(model, { tp: 1, pp: 1 });
    const tokens = 128 * 1024; // per GPU (DP 8)
    const sequences = 128;
    const forward = replica.trainStageForwardS(tokens, sequences);
    const backward = replica.trainStageBackwardS(tokens, sequences);
    expect(backward).toBeCloseTo(2 * forward, 12);

    const [d, L, heads, kv, hd, ffn, V] = [3584, 28, 28, 4, 128, 18944, 152064];
    const matmul = L * (2 * d * heads * hd + 2 * d * kv * hd + 3 * d * ffn) + V * d;
    const attentionFlops = L * 4 * 0.5 * sequences * 1024 * 1024 * heads * hd; // causal QKᵀ and AV
    const logProbBytesPerToken = 14 * V; // fp32 upcast and log-softmax over the vocabulary (logProbBytesPerLogit)
    const streamedBytesPerToken = L * (2 * (2 * d) + 2 * (3 * d) + 2 * (heads + kv) * hd + 3 * ffn) * 2 + 2 * d * 2 + logProbBytesPerToken; // norms, adds, RoPE, SwiGLU, embedding, log-probs
    const forwardByHand = (2 * matmul * tokens + attentionFlops) / (989e12 * 0.4) + (streamedBytesPerToken * tokens) / 3.35e12;
    expect(forward / forwardByHand).toBeCloseTo(1, 3);
    // the reference's 6·P·tokens counts the embedding table as FLOPs and leaves out attention: same ballpark
    expect(3 * forward).toBeGreaterThan(13);
    expect(3 * forward).toBeLessThan(17);
  });

  it('a policy forward turns every token’s logits into log-probabilities: logProbBytesPerLogit × vocabulary / TP bytes per token', () => {
    const model = modelById('qwen2.5-7b');
    const cost = (bytesPerLogit: number) => createRooflineCostModel(gpuById('h20'), undefined, { assumptions: { ...IDEAL, logProbBytesPerLogit: bytesPerLogit } });
    for (const tp of [1, 4]) {
      const tokens = 10_000;
      const with14 = cost(14).replica(model, { tp, pp: 1 });
      const without = cost(0).replica(model, { tp, pp: 1 });
      // 14 bytes per logit over 152,064 / tp logits per token at the H20's 4 TB/s
      const expected = (tokens * 14 * (152064 / tp)) / 4e12;
      expect(with14.forwardS(tokens, 10) - without.forwardS(tokens, 10)).toBeCloseTo(expected, 12);
      expect(with14.trainStageForwardS(tokens, 10) - without.trainStageForwardS(tokens, 10)).toBeCloseTo(expected, 12);
      // generation samples from the last position only: prefill and decode are unchanged
      expect(with14.prefillS(tokens, 10)).toBe(without.prefillS(tokens, 10));
      expect(with14.decodeStepS(64, 64_000)).toBe(without.decodeStepS(64, 64_000));
    }
  });

  it('a value head (critic, reward model) projects to one scalar: no vocabulary GEMM, no log-probabilities', () => {
    const model = modelById('qwen2.5-3b');
    const cost = createRooflineCostModel(gpuById('l40s'), undefined, { assumptions: IDEAL });
    const policy = cost.replica(model, { tp: 1, pp: 1 });
    const value = cost.replica(model, { tp: 1, pp: 1, head: 'value' });
    expect(cost.replica(model, { tp: 1, pp: 1, head: 'lm' })).toBe(policy);
    expect(value).not.toBe(policy);
    const tokens = 8192;
    const [d, V] = [2048, 151936];
    // LM head: 2·d·V FLOPs per token at the L40S's 362 TFLOPS; log-probs: 14·V bytes per token at 864 GB/s
    const lmHeadS = (2 * d * V * tokens) / 362e12;
    const logProbS = (14 * V * tokens) / 864e9;
    const valueHeadS = Math.max((2 * d * tokens) / 362e12, (d * 2 + (d + 1) * 2 * tokens) / 864e9);
    expect(policy.forwardS(tokens, 8) - value.forwardS(tokens, 8)).toBeCloseTo(lmHeadS + logProbS - valueHeadS, 9);
    expect(policy.trainStageForwardS(tokens, 8) - value.trainStageForwardS(tokens, 8)).toBeCloseTo(lmHeadS + logProbS - valueHeadS, 9);
  });

  it('recomputation adds one forward to the backward; activations drop to the layer input', () => {
    const cost = (recompute: boolean) => createRooflineCostModel(gpuById('a100-80gb'), undefined, { assumptions: { activationRecomputation: recompute } }).replica(modelById('llama-13b'), { tp: 2, pp: 4 });
    const on = cost(true);
    const off = cost(false);
    expect(on.trainStageBackwardS(4096, 4)).toBeCloseTo(3 * on.trainStageForwardS(4096, 4), 12);
    // Korthikanti et al.: per layer sbh(10 + 24/t) bytes without, 2·sbh with full recomputation; 10 layers per stage
    expect(off.activationBytesPerStage(4096, 4)).toBe(10 * 4096 * 5120 * (10 + 24 / 2));
    expect(on.activationBytesPerStage(4096, 4)).toBe(10 * 4096 * 5120 * 2);
  });

  it('gradient sync is a ring all-reduce of the bf16 gradients of one GPU shard', () => {
    const model = createRooflineCostModel(gpuById('h100-sxm'));
    const replica = model.replica(modelById('llama-2-7b'), { tp: 1, pp: 1 });
    expect(replica.gradientSyncS(1, false)).toBe(0);
    const bytes = replica.weightBytesPerGpu; // bf16 gradient = weight bytes
    // defaults: 20 µs + 1 µs per hop, 70 % of 450 GB/s; 2·7/8 of the bytes cross each link
    const expected = 20e-6 + 7 * 1e-6 + ((2 * 7) / 8) * (bytes / (450e9 * 0.7));
    expect(replica.gradientSyncS(8, false)).toBeCloseTo(expected, 12);
    expect(model.allReduceS(bytes, 8, false)).toBeCloseTo(expected, 12);
  });

  it('a pipeline stage holds 1/pp of the layers, and a decode step crosses pp − 1 stage boundaries', () => {
    const model = createRooflineCostModel(gpuById('h800'));
    const one = model.replica(modelById('llama-65b'), { tp: 4, pp: 1 });
    const two = model.replica(modelById('llama-65b'), { tp: 4, pp: 2 });
    expect(two.kvBytesPerTokenPerGpu).toBe(one.kvBytesPerTokenPerGpu / 2);
    expect(two.gpus).toBe(8);
    const hiddenBytes = 8192 * 2;
    expect(two.pipelineSendS(100)).toBeCloseTo(20e-6 + 1e-6 + (100 * hiddenBytes) / (200e9 * 0.7), 12);
    expect(two.decodeStepS(8, 8000) - one.decodeStepS(8, 8000)).toBeCloseTo(two.pipelineSendS(8), 12);
  });
});

describe('memory capacity', () => {
  const h100 = createRooflineCostModel(gpuById('h100-sxm'));
  const llama70b = h100.replica(modelById('llama-2-70b'), { tp: 2, pp: 1 });

  it('Llama-2-70B on 2 × H100 leaves about 80k–90k KV tokens (papers/rlhfless.md §5 feasibility note)', () => {
    // (80 GiB − 138 GB / 2 − 3 GiB runtime) / (320 KiB / 2) per GPU
    expect(llama70b.kvCapacityTokens(1)).toBe(Math.floor((80 * 2 ** 30 - llama70b.weightBytesPerGpu - 3 * 2 ** 30) / (160 * 1024)));
    expect(llama70b.kvCapacityTokens(1)).toBeGreaterThan(80_000);
    expect(llama70b.kvCapacityTokens(1)).toBeLessThan(90_000);
    // "about 10 concurrent 8k-token sequences, and fewer under a 0.9 memory-utilisation cap"
    expect(llama70b.maxDecodeBatch(1, 8192)).toBe(10);
    expect(llama70b.maxDecodeBatch(0.9, 8192)).toBeLessThan(10);
  });

  it('a model that does not fit has no KV capacity', () => {
    expect(h100.replica(modelById('llama-2-70b'), { tp: 1, pp: 1 }).kvCapacityTokens(0.9)).toBe(0);
  });

  it('training state is 16 bytes per parameter with the 12 optimizer bytes sharded over DP', () => {
    const replica = h100.replica(modelById('llama-2-7b'), { tp: 1, pp: 1 });
    expect(replica.trainingStateBytesPerGpu(1)).toBeCloseTo(16 * replica.parametersPerGpu, 3);
    expect(replica.trainingStateBytesPerGpu(4)).toBeCloseTo((4 + 12 / 4) * replica.parametersPerGpu, 3);
  });
});

describe('decodeStepsS', () => {
  it('equals the sum of decodeStepS with the context growing by the batch each step, on both sides of the roofline switch', () => {
    const gpus = ['a100-80gb', 'h100-sxm', 'h20', 'l40s'];
    fc.assert(
      fc.property(
        fc.constantFrom(...gpus),
        fc.constantFrom(...MODEL_CATALOG.map((m) => m.id)),
        fc.constantFrom(1, 2, 4, 8),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.integer({ min: 0, max: 600 }),
        (gpuId, modelId, tp, mfu, mbu, batch, context, steps) => {
          const replica = createRooflineCostModel(gpuById(gpuId), undefined, { assumptions: { defaultAttentionMfu: mfu, defaultAttentionMbu: mbu } }).replica(modelById(modelId), { tp, pp: 1 });
          let loop = 0;
          for (let k = 0; k < steps; k++) loop += replica.decodeStepS(batch, context + k * batch);
          const closed = replica.decodeStepsS(batch, context, steps);
          expect(Math.abs(closed - loop)).toBeLessThanOrEqual(1e-9 * Math.max(loop, 1e-12));
        },
      ),
      { seed: 1, numRuns: 300 },
    );
  });

  it('crosses from memory-bound to compute-bound attention within one call (H20: little compute, much bandwidth)', () => {
    const replica = createRooflineCostModel(gpuById('h20'), undefined, { assumptions: { defaultAttentionMfu: 0.01, defaultAttentionMbu: 1 } }).replica(modelById('llama-13b'), { tp: 1, pp: 1 });
    const marginal = (context: number) => replica.decodeStepS(64, context + 1) - replica.decodeStepS(64, context);
    // per layer and context token: KV bytes 2·40·128·2 / 4e12 = 5.12e-9 s; FLOPs 4·40·128 / (148e12·0.01) = 1.384e-8 s.
    // Below ≈ 38 context tokens the batch's query bytes keep attention memory-bound; above, compute-bound.
    expect(marginal(0)).toBeCloseTo((40 * (2 * 40 * 128 * 2)) / 4e12, 15);
    expect(marginal(1_000_000)).toBeCloseTo((40 * (4 * 40 * 128)) / (148e12 * 0.01), 15);
    let loop = 0;
    for (let k = 0; k < 400; k++) loop += replica.decodeStepS(64, k * 64);
    expect(replica.decodeStepsS(64, 0, 400)).toBeCloseTo(loop, 10);
  });
});

describe('range counting', () => {
  it('counts every query of an uncalibrated model as out of range, by kind', () => {
    const model = createRooflineCostModel(gpuById('l40s'));
    const replica = model.replica(modelById('qwen2.5-7b'), { tp: 1, pp: 1 });
    replica.decodeStepS(4, 400);
    replica.decodeStepsS(4, 400, 100);
    replica.prefillS(1000, 2);
    expect(model.rangeCounter).toEqual({ queries: 3, outOfRange: 3, outOfRangeByKind: { decode_step: 2, prefill: 1 } });
  });
});

describe('roofline replica: MoE and MLA models', () => {
  const h100 = () => createRooflineCostModel(gpuById('h100-sxm'), undefined, { assumptions: IDEAL });
  const d = 2048;
  const attentionGemms = d * 32 * 128 * 2 + d * 4 * 128 * 2; // Qwen3-30B-A3B q, o, k, v
  const router = d * 128;
  const expert = 3 * d * 768;
  const head = 151936 * d;

  it('a batch-1 decode step of Qwen3-30B-A3B reads the router and the 8 chosen experts per layer, not all 128', () => {
    const replica = h100().replica(modelById('qwen3-30b-a3b'), { tp: 1, pp: 1 });
    const weightsS = ((48 * (attentionGemms + router + 8 * expert) + head) * 2) / 3.35e12;
    const step = replica.decodeStepS(1, 0);
    expect(step / weightsS).toBeGreaterThan(1);
    expect(step / weightsS).toBeLessThan(1.002);
  });

  it('a batch of 64 touches E·(1 − (1 − k/E)^64) ≈ 126 experts per layer: the step reads nearly all weights', () => {
    const replica = h100().replica(modelById('qwen3-30b-a3b'), { tp: 1, pp: 1 });
    const touched = 128 * (1 - (1 - 8 / 128) ** 64);
    const weightsS = ((48 * (attentionGemms + router + touched * expert) + head) * 2) / 3.35e12;
    const step = replica.decodeStepS(64, 0);
    expect(step / weightsS).toBeGreaterThan(1);
    expect(step / weightsS).toBeLessThan(1.03); // 512 routed rows' activations
    // The mechanism: a dense model's decode step is flat in the batch, an MoE model's grows with the experts touched.
    const dense = h100().replica(modelById('qwen2.5-3b'), { tp: 1, pp: 1 });
    expect(dense.decodeStepS(64, 0) / dense.decodeStepS(1, 0)).toBeLessThan(1.1);
    expect(step / replica.decodeStepS(1, 0)).toBeGreaterThan(7);
  });

  it('compute follows the active parameters: a Qwen3-30B-A3B forward costs about a 3 B dense forward, not a 30 B one', () => {
    const cost = h100();
    const tokens = 8 * 2048;
    const forward = (id: string) => cost.replica(modelById(id), { tp: 1, pp: 1 }).trainStageForwardS(tokens, 8);
    const moe = forward('qwen3-30b-a3b');
    expect(moe / forward('qwen2.5-3b')).toBeGreaterThan(0.8);
    expect(moe / forward('qwen2.5-3b')).toBeLessThan(1.5);
    expect(forward('qwen2.5-32b') / moe).toBeGreaterThan(5);
  });

  it('memory follows the total: the weights on the GPU are all 30.5 B parameters', () => {
    const model = modelById('qwen3-30b-a3b');
    const replica = h100().replica(model, { tp: 2, pp: 1 });
    expect(replica.weightBytesPerGpu).toBe((48 * (attentionGemms + 2 * 128 + router + 128 * expert + 2 * d) + 2 * head + d) * 2 / 2);
  });

  it('DeepSeek-V3 decode reads the MLA latent: (kv_lora_rank + qk_rope_head_dim) × 2 bytes per context token per layer', () => {
    const replica = h100().replica(modelById('deepseek-v3'), { tp: 8, pp: 1 });
    expect(replica.kvBytesPerTokenPerGpu).toBe(61 * 576 * 2);
    expect(replica.kvBytesPerToken).toBe(61 * 576 * 2);
    // Memory-bound attention (intensity 2·16·1088 / 1152 ≈ 30 FLOP/byte, below the H100's 295): the slope in the context is the latent read.
    const perContextToken = (replica.decodeStepS(1, 200_000) - replica.decodeStepS(1, 100_000)) / 100_000;
    expect(perContextToken / ((61 * 576 * 2) / 3.35e12)).toBeCloseTo(1, 9);
  });
});
