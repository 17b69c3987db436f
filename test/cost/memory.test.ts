import { describe, expect, it } from 'vitest';
import { gpuById, modelById } from '../../harness/cost/catalog/index.js';
import { assertFits, expertDataParallel, generationMemoryPerGpu, shardParameters, trainingMemoryPerGpu, type TrainingMemoryOptions } from '../../harness/cost/memory.js';
import { parameterCount } from '../../harness/cost/model-shape.js';
import { InputError } from '../../harness/util/input-error.js';

const GIB = 1024 ** 3;
const base: TrainingMemoryOptions = { engine: 'megatron', recompute: 'full', microBatchTokens: 4096, runtimeOverheadBytes: 0 };

describe('training state per GPU', () => {
  const model = modelById('qwen2.5-7b');
  const h100 = gpuById('h100-sxm');
  const p = parameterCount(model); // TP 1, PP 1: every parameter on the GPU

  it('Megatron: 18 bytes/param, 6 + 12/d with the distributed optimizer (Megatron-LM README)', () => {
    const plain = trainingMemoryPerGpu(model, h100, { tp: 1, pp: 1, dp: 8 }, base);
    expect(plain.weightBytes + plain.gradientBytes + plain.optimizerBytes).toBe(18 * p);
    const distributed = trainingMemoryPerGpu(model, h100, { tp: 1, pp: 1, dp: 8 }, { ...base, distributedOptimizer: true });
    expect(distributed.weightBytes + distributed.gradientBytes + distributed.optimizerBytes).toBeCloseTo((6 + 12 / 8) * p, 0);
    // the optimizer state is sharded over DP × CP
    const withCp = trainingMemoryPerGpu(model, h100, { tp: 1, pp: 1, dp: 4, cp: 2 }, { ...base, distributedOptimizer: true });
    expect(withCp.optimizerBytes).toBeCloseTo((12 / 8) * p, 0);
  });

  it('ZeRO-1/2/3: 2 + 2 + 12/d, 2 + 14/d, 16/d bytes/param (arXiv 1910.02054 §5); FSDP 16/d plus two gathered layers', () => {
    const state = (engine: TrainingMemoryOptions['engine']) => {
      const m = trainingMemoryPerGpu(model, h100, { tp: 1, pp: 1, dp: 8 }, { ...base, engine });
      return m.weightBytes + m.gradientBytes + m.optimizerBytes;
    };
    expect(state('zero1')).toBeCloseTo((4 + 12 / 8) * p, 0);
    expect(state('zero2')).toBeCloseTo((2 + 14 / 8) * p, 0);
    const layer = 2 * 3584 * 3584 + 2 * 3584 * 512 + 3584 + 1024 + 3 * 3584 * 18944 + 2 * 3584;
    expect(state('zero3')).toBeCloseTo((16 / 8) * p + 2 * layer * 2, 0);
    expect(state('fsdp')).toBeCloseTo((16 / 8) * p + 2 * layer * 2, 0);
  });

  it('offload moves parameters and optimizer state to the host', () => {
    const fsdp = trainingMemoryPerGpu(model, h100, { tp: 1, pp: 1, dp: 8 }, { ...base, engine: 'fsdp', paramOffload: true, optimizerOffload: true });
    expect(fsdp.optimizerBytes).toBe(0);
    expect(fsdp.gradientBytes).toBe(0);
    const layer = 2 * 3584 * 3584 + 2 * 3584 * 512 + 3584 + 1024 + 3 * 3584 * 18944 + 2 * 3584;
    expect(fsdp.weightBytes).toBe(2 * layer * 2);
    // Megatron's CPU optimizer holds the fp32 state on the host; weights and gradients stay for training.
    const megatron = trainingMemoryPerGpu(model, h100, { tp: 1, pp: 1, dp: 8 }, { ...base, optimizerOffload: true, paramOffload: true });
    expect([megatron.weightBytes, megatron.gradientBytes, megatron.optimizerBytes]).toEqual([2 * p, 4 * p, 0]);
  });
});

describe('activations', () => {
  const model = modelById('qwen2.5-7b');
  const h100 = gpuById('h100-sxm');
  const [d, L, V] = [3584, 28, 152064];

  it('full recomputation keeps the 2-byte layer input per layer and rebuilds one layer; without it d·(10 + 24/t) per layer (Korthikanti)', () => {
    const t = 4096;
    const full = trainingMemoryPerGpu(model, h100, { tp: 2, pp: 1, dp: 1 }, base);
    expect(full.activationBytes).toBe(L * t * d * 2 + t * d * (10 + 24 / 2) + t * (V / 2) * 4);
    const none = trainingMemoryPerGpu(model, h100, { tp: 2, pp: 1, dp: 1 }, { ...base, recompute: 'none' });
    expect(none.activationBytes).toBe(L * t * d * (10 + 12) + t * (V / 2) * 4);
  });

  it('CP divides the tokens; the first pipeline stage holds p micro-batches, × (1 + (p − 1)/(p·v)) interleaved', () => {
    const t = 4096;
    const cp = trainingMemoryPerGpu(model, h100, { tp: 1, pp: 1, dp: 1, cp: 4 }, { ...base, recompute: 'none' });
    expect(cp.activationBytes).toBe(L * (t / 4) * d * 34 + (t / 4) * V * 4);
    const pp = trainingMemoryPerGpu(model, h100, { tp: 1, pp: 4, dp: 1 }, { ...base, recompute: 'none', microBatches: 8 });
    expect(pp.activationBytes).toBe(4 * 7 * t * d * 34);
    const vpp = trainingMemoryPerGpu(model, h100, { tp: 1, pp: 4, dp: 1, vpp: 2 }, { ...base, recompute: 'none', microBatches: 8 });
    expect(vpp.activationBytes).toBeCloseTo(4 * (1 + 3 / 8) * 7 * t * d * 34, 0);
  });
});

describe('MoE memory follows the total parameters, split by EP', () => {
  it('each EP rank holds E/EP whole experts (expert TP 1) and reduces their gradients over TP·CP·DP/EP ranks', () => {
    const model = modelById('qwen3-30b-a3b');
    const expert = 3 * 2048 * 768;
    expect(shardParameters(model, { tp: 1, pp: 1, ep: 8 }).expertParameters).toBe(48 * 16 * expert);
    expect(shardParameters(model, { tp: 1, pp: 1, ep: 1 }).expertParameters).toBe(48 * 128 * expert);
    expect(shardParameters(model, { tp: 4, pp: 1, ep: 1 }).expertParameters).toBe((48 * 128 * expert) / 4);
    expect(expertDataParallel({ tp: 1, pp: 1, dp: 64, ep: 8 })).toBe(8);
    // Every parameter is somewhere: summed over the EP ranks and TP, the shards hold the whole model.
    const shard = shardParameters(model, { tp: 1, pp: 1, ep: 8 });
    expect(shard.denseParameters + 8 * shard.expertParameters).toBe(parameterCount(model));
  });
});

describe('rejecting a configuration that does not fit, with the numbers', () => {
  it('Qwen3-235B-A22B on one node of H100 at TP 8 without EP: needs vs available per GPU in GiB', () => {
    const model = modelById('qwen3-235b-a22b');
    const memory = trainingMemoryPerGpu(model, gpuById('h100-sxm'), { tp: 8, pp: 1, dp: 1 }, { ...base, runtimeOverheadBytes: 3 * GIB });
    expect(memory.fits).toBe(false);
    const p = shardParameters(model, { tp: 8, pp: 1 });
    const state = 18 * (p.denseParameters + p.expertParameters);
    expect(memory.neededBytes).toBeCloseTo(state + memory.activationBytes + 3 * GIB, 0);
    let caught: unknown;
    try {
      assertFits(memory, { file: 'scenario.json', line: 40, column: 5, field: 'layout.actorTrain' }, 'actor training (TP 8)');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    const message = (caught as Error).message;
    expect(message).toContain(`scenario.json:40:5: field 'layout.actorTrain': actor training (TP 8) does not fit in GPU memory: needs ${(memory.neededBytes / GIB).toFixed(1)} GiB per GPU`);
    expect(message).toContain('but 80.0 GiB is available per GPU');
    expect(message).toMatch(/weights \d+\.\d GiB, gradients \d+\.\d GiB, optimizer state \d+\.\d GiB, activations/);
  });

  it('the DeepSeek-V3 Megatron recipe of runs.csv r12 fits on H20 (96 GiB) as the recorded run did', () => {
    // TP 8, PP 12, EP 8, distributed optimizer with the CPU optimizer, full recomputation, 11,680 tokens per GPU
    const memory = trainingMemoryPerGpu(modelById('deepseek-v3'), gpuById('h20'), { tp: 8, pp: 12, dp: 1, ep: 8 }, { ...base, distributedOptimizer: true, optimizerOffload: true, microBatchTokens: 11680, runtimeOverheadBytes: 3 * GIB });
    expect(memory.fits).toBe(true);
    expect(() => assertFits(memory, { file: 'x', field: 'y' }, 'z')).not.toThrow();
  });
});

describe('generation instance memory', () => {
  it('weights under TP plus the KV cache of the tokens it holds, against the memory-utilisation share', () => {
    const model = modelById('deepseek-v3');
    const memory = generationMemoryPerGpu(model, gpuById('h20'), { tp: 8, kvTokens: 100_000, kvBytesPerElement: 2, memoryUtilization: 0.9, runtimeOverheadBytes: 0 });
    expect(memory.weightBytes).toBe((parameterCount(model) * 2) / 8);
    expect(memory.kvCacheBytes).toBe(100_000 * 61 * 576 * 2);
    expect(memory.availableBytes).toBe(0.9 * 96 * GIB);
    expect(memory.fits).toBe(false); // 671 B bf16 parameters are 168 GB per GPU at TP 8
  });
});
