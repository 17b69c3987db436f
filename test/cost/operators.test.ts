import { describe, expect, it } from 'vitest';
import { gpuById, modelById } from '../../harness/cost/catalog/index.js';
import { KERNEL_CLASSES, operatorTimeS, type KernelEfficiencies, type KernelEfficiency } from '../../harness/cost/operators.js';

const h100 = gpuById('h100-sxm');
const llama7b = modelById('llama-2-7b');

function efficiencies(e: KernelEfficiency): KernelEfficiencies {
  return Object.fromEntries(KERNEL_CLASSES.map((k) => [k, e])) as unknown as KernelEfficiencies;
}

describe('operator rooflines, computed by hand', () => {
  const e = efficiencies({ mfu: 0.5, mbu: 0.8, overheadS: 10e-6 });

  it('a compute-bound GEMM: Llama-2-7B mlp_up_proj (4096 → 2·11008) at 4,096 tokens on H100', () => {
    // FLOPs = 2 · 4096 tokens · 4096 · 22016 = 738,734,374,912
    // compute = 738,734,374,912 / (989e12 · 0.5) = 1.4939017e-3 s
    // bytes = weights 4096·22016·2 = 180,355,072 + activations 4096·(4096 + 22016)·2 = 213,909,504
    // memory = 394,264,576 / (3.35e12 · 0.8) = 1.471136e-4 s → compute-bound
    const expected = 738_734_374_912 / (989e12 * 0.5) + 10e-6;
    expect(operatorTimeS('mlp_up_proj', llama7b, 1, 4096, h100, e, 128)).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(1.5039017e-3, 9);
  });

  it('a memory-bound GEMM: the same weight at 1 token (a decode step) reads the weight once', () => {
    // compute pays a full 128-token tile: 2·128·4096·22016 / (989e12·0.5) = 4.6688e-5 s
    // memory: (180,355,072 + 1·(4096 + 22016)·2) / (3.35e12·0.8) = 180,407,296 / 2.68e12 = 6.73162e-5 s
    const expected = 180_407_296 / 2.68e12 + 10e-6;
    expect(operatorTimeS('mlp_up_proj', llama7b, 1, 1, h100, e, 128)).toBeCloseTo(expected, 12);
  });

  it('TP shards the GEMM weight: attn_pre_proj of Llama-2-70B (8 KV heads) at TP 8, one token', () => {
    const llama70b = modelById('llama-2-70b');
    // per GPU: 8192 → (64/8 + 2·8/8)·128 = 1280 outputs; weight 8192·1280·2 = 20,971,520 bytes
    // activations (8192 + 1280)·2 = 18,944 bytes; memory = 20,990,464 / 2.68e12
    const expected = 20_990_464 / 2.68e12 + 10e-6;
    expect(operatorTimeS('attn_pre_proj', llama70b, 8, 1, h100, e, 128)).toBeCloseTo(expected, 12);
  });

  it('element-wise kernels stream bytes: a norm reads and writes the full hidden state on every TP rank', () => {
    // 4096 tokens · 4096 · 2 bytes in + out = 67,108,864 bytes / (3.35e12 · 0.8)
    const expected = 67_108_864 / 2.68e12 + 10e-6;
    expect(operatorTimeS('input_layernorm', llama7b, 1, 4096, h100, e, 128)).toBeCloseTo(expected, 12);
    expect(operatorTimeS('input_layernorm', llama7b, 8, 4096, h100, e, 128)).toBeCloseTo(expected, 12);
    // SwiGLU activation reads gate and up, writes one: 3 · ffn/tp · 2 bytes per token
    expect(operatorTimeS('mlp_act', llama7b, 2, 1000, h100, e, 128)).toBeCloseTo((1000 * 3 * 5504 * 2) / 2.68e12 + 10e-6, 12);
  });
});
