import { describe, expect, it } from 'vitest';
import { modelById } from '../../harness/cost/catalog/index.js';
import {
  activeParameterCount,
  expectedExpertsTouched,
  forwardFlopsPerToken,
  kvBytesPerToken,
  kvBytesPerTokenPerGpu,
  maxStageMoeLayers,
  moeLayerCount,
  parameterCount,
  weightBytes,
  weightBytesPerGpu,
} from '../../harness/cost/model-shape.js';

/**
 * MoE and MLA shapes: memory by the total parameters, compute by the active ones, KV by the
 * attention shape. Expected figures are computed here from the config.json numbers by hand, apart
 * from the code under test.
 */

describe('MoE parameter counts (Qwen3-30B-A3B by hand)', () => {
  const d = 2048;
  const attention = d * 32 * 128 * 2 + d * 4 * 128 * 2 + 2 * 128; // q, o, k, v, q_norm + k_norm
  const expert = 3 * d * 768;
  const router = d * 128;
  const norms = 2 * d;
  const embeddings = 2 * 151936 * d;

  it('total = embeddings + 48 × (attention + router + 128 experts + norms) + final norm', () => {
    const model = modelById('qwen3-30b-a3b');
    expect(parameterCount(model)).toBe(embeddings + 48 * (attention + router + 128 * expert + norms) + d);
    expect(weightBytes(model)).toBe(2 * parameterCount(model));
  });

  it('active = the same with 8 experts per layer: compute follows ≈ 3.3 B, not 30.5 B', () => {
    const model = modelById('qwen3-30b-a3b');
    const active = embeddings + 48 * (attention + router + 8 * expert + norms) + d;
    expect(activeParameterCount(model)).toBe(active);
    expect(forwardFlopsPerToken(model)).toBe(2 * active);
    expect(Math.round(activeParameterCount(model) / 1e8) / 10).toBe(3.4); // 3.35 B; the card says "3.3B activated"
    expect(Math.round(parameterCount(model) / 1e8) / 10).toBe(30.5);
  });

  it('a dense model has active = total', () => {
    const model = modelById('qwen2.5-7b');
    expect(activeParameterCount(model)).toBe(parameterCount(model));
  });
});

describe('DeepSeek-V3: dense first layers, shared expert, router bias, MLA', () => {
  it('counts 3 dense and 58 MoE layers, and 671 B / 37.6 B parameters', () => {
    const model = modelById('deepseek-v3');
    expect(moeLayerCount(model)).toBe(58);
    const d = 7168;
    const mla = d * 1536 + 1536 + 1536 * 128 * 192 + d * (512 + 64) + 512 + 512 * 128 * (128 + 128) + 128 * 128 * d;
    const dense = mla + 3 * d * 18432 + 2 * d;
    const expert = 3 * d * 2048;
    const moe = mla + d * 256 + 256 + 256 * expert + 3 * d * 2048 + 2 * d;
    const total = 2 * 129280 * d + 3 * dense + 58 * moe + d;
    expect(parameterCount(model)).toBe(total);
    expect(activeParameterCount(model)).toBe(total - 58 * 248 * expert);
    expect(Math.round(parameterCount(model) / 1e9)).toBe(671);
    expect(Math.round(activeParameterCount(model) / 1e8) / 10).toBe(37.6);
  });

  it('MLA caches the latent: KV bytes per token = layers × (kv_lora_rank + qk_rope_head_dim) × 2 bytes', () => {
    const model = modelById('deepseek-v3');
    expect(kvBytesPerToken(model, 2)).toBe(61 * (512 + 64) * 2); // 70,272 bytes, not 2·61·128·192·2 ≈ 6 MB
    // Every TP rank holds the whole latent; PP splits the layers.
    expect(kvBytesPerTokenPerGpu(model, 8, 1, 2)).toBe(61 * 576 * 2);
    expect(kvBytesPerTokenPerGpu(model, 8, 4, 2)).toBe(16 * 576 * 2);
  });

  it('the busiest pipeline stage holds the most MoE layers (the first holds the 3 dense ones)', () => {
    const model = modelById('deepseek-v3');
    // 61 layers over 4 stages: 16, 16, 16, 13; stage 0 has layers 0–15 of which 3 dense.
    expect(maxStageMoeLayers(model, 4)).toBe(16);
    expect(maxStageMoeLayers(model, 1)).toBe(58);
  });
});

describe('memory by the total under TP × PP', () => {
  it('MoE weights per GPU count every expert', () => {
    const model = modelById('qwen3-30b-a3b');
    const d = 2048;
    const layer = d * 32 * 128 * 2 + d * 4 * 128 * 2 + 2 * 128 + d * 128 + 128 * 3 * d * 768 + 2 * d;
    // TP 2, PP 2: 24 layers and one end (the embedding or the head) on the busiest GPU, halved by TP.
    expect(weightBytesPerGpu(model, 2, 2)).toBe(((24 * layer + 151936 * d) * 2) / 2);
  });

  it('matches the per-rank count Megatron printed for Qwen2-7B at TP 2 × PP 2 ("1.90B parameters")', () => {
    const model = modelById('qwen2-7b-instruct');
    // ../shared/research/data/rl-step-logs/logs/verl-qwen2-7b-gpg/qwen2-7b_math_megatron.log line 745
    expect(Math.round(weightBytesPerGpu(model, 2, 2) / 2 / 1e7) / 100).toBe(1.9);
  });
});

describe('expected experts a batch touches, E·(1 − (1 − k/E)^b)', () => {
  it('is k for one token, grows with the batch and saturates at E', () => {
    expect(expectedExpertsTouched(128, 8, 1)).toBeCloseTo(8, 12);
    expect(expectedExpertsTouched(128, 8, 2)).toBeCloseTo(128 * (1 - (120 / 128) ** 2), 12);
    expect(expectedExpertsTouched(128, 8, 16)).toBeLessThan(expectedExpertsTouched(128, 8, 32));
    expect(expectedExpertsTouched(128, 8, 4096)).toBeCloseTo(128, 6);
    expect(expectedExpertsTouched(128, 8, 0)).toBe(0);
  });
});
