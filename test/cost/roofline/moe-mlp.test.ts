import { describe, expect, it } from 'vitest';
import type { KernelEfficiencies, KernelEfficiency } from '../../../harness/cost/operators.js';
import { layerShape } from '../../../harness/cost/operators.js';
import { moeMlpCoefficients, moeMlpTimeS } from '../../../harness/cost/roofline/moe-mlp.js';
import type { GpuSpec, ModelSpec } from '../../../harness/cost/types.js';

/** A GPU of round numbers and kernels at full efficiency, so every term is hand arithmetic. */
const GPU = { bf16FlopsPerS: 1e15, hbmBytesPerS: 1e12 } as GpuSpec;
const FULL: KernelEfficiency = { mfu: 1, mbu: 1, overheadS: 0 };
const KERNELS = Object.fromEntries(['gemm', 'attention_prefill', 'attention_decode', 'norm', 'rope', 'activation', 'residual_add', 'embedding'].map((k) => [k, FULL])) as unknown as KernelEfficiencies;

const MODEL: ModelSpec = {
  id: 'toy-moe',
  name: 'toy MoE',
  layers: 1,
  hidden: 1000,
  heads: 8,
  kvHeads: 8,
  headDim: 125,
  ffn: 4000,
  vocab: 100,
  tiedEmbeddings: false,
  qkvBias: false,
  bytesPerParameter: 2,
  sources: ['test'],
  moe: { experts: 10, expertsPerToken: 2, expertFfn: 500, sharedExpertFfn: 0, denseLayers: [] },
};

describe('MoE MLP roofline', () => {
  const c = moeMlpCoefficients(MODEL, layerShape(MODEL, 1), GPU, KERNELS, 1, 1)!;

  it('one token: router plus 2 experts read once each; memory-bound', () => {
    const routerS = (1000 * 10 * 2 + (1000 + 10) * 2) / 1e12;
    const expertWeights = 3 * 1000 * 500 * 2; // gate, up, down
    const rowBytes = (1000 + 1000) * 2 + 3 * 500 * 2 + (500 + 1000) * 2; // up in/out, SwiGLU, down in/out
    expect(moeMlpTimeS(c, 1)).toBeCloseTo(routerS + (2 * expertWeights + 2 * rowBytes) / 1e12, 15);
  });

  it('a batch reads the experts it touches, 10·(1 − 0.8^b), and its routed rows', () => {
    for (const tokens of [3, 50]) {
      const touched = 10 * (1 - 0.8 ** tokens);
      const rows = 2 * tokens;
      const routerS = Math.max((2 * 1000 * 10 * tokens) / 1e15, (1000 * 10 * 2 + tokens * (1000 + 10) * 2) / 1e12);
      const up = Math.max((rows * 2 * 1000 * 1000) / 1e15, (touched * 1000 * 1000 * 2 + rows * 2000 * 2) / 1e12);
      const act = (rows * 1500 * 2) / 1e12;
      const down = Math.max((rows * 2 * 500 * 1000) / 1e15, (touched * 500 * 1000 * 2 + rows * 1500 * 2) / 1e12);
      expect(moeMlpTimeS(c, tokens)).toBeCloseTo(routerS + up + act + down, 15);
    }
  });

  it('is compute-bound on a long prefill: the FLOPs of k experts per token, not of all E', () => {
    const tokens = 1_000_000;
    const expertFlops = tokens * 2 * (2 * 3 * 1000 * 500); // 2 experts × 3 matrices × 2 FLOPs
    const t = moeMlpTimeS(c, tokens);
    expect(t).toBeGreaterThan(expertFlops / 1e15);
    expect(t).toBeLessThan((1.2 * expertFlops) / 1e15 + (tokens * 2 * 2 * 1500 + tokens * 20_000) / 1e12);
  });
});
