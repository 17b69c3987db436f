import { beforeAll, describe, expect, it } from 'vitest';
import { loadCalibration } from '../../../harness/cost/calibration/load.js';
import type { Calibration } from '../../../harness/cost/calibration/types.js';
import { gpuById, modelById } from '../../../harness/cost/catalog/index.js';
import { VLLM_2024_STEP_OVERHEAD_S, type ServingEngine } from '../../../harness/cost/engine-eras.js';
import { DEFAULT_CALIBRATION_PATH } from '../../../harness/cost/index.js';
import { createRooflineCostModel } from '../../../harness/cost/roofline/model.js';
import { buildRequests } from '../../../harness/schedulers/generation/requests.js';
import { runContinuousGeneration } from '../../../harness/schedulers/generation/run.js';
import { runStaticBatches } from '../../../harness/schedulers/generation/static-batching.js';
import type { GenerationStepCost } from '../../../harness/schedulers/generation/types.js';
import { buildSampleTable } from '../../../harness/schedulers/samples.js';
import { linearReplica } from '../../sim/fixtures/linear-cost.js';
import { iterationOf } from '../fixtures/scenario.js';

/**
 * HF generate is slower than vLLM by its mechanisms, not by a factor: each mechanism is isolated
 * (the others neutralised) and its direction and size are checked against a value worked out
 * independently, by hand or from the published measurement; with every mechanism neutralised the
 * two engines take the same time.
 */
let calibration: Calibration;
beforeAll(async () => {
  calibration = await loadCalibration(DEFAULT_CALIBRATION_PATH);
});

const replica = (engine: ServingEngine, tp = 1, scale = 1) =>
  createRooflineCostModel(gpuById('a100-80gb'), calibration, { assumptions: { servingEngine: engine, engineOverheadScale: scale } }).replica(modelById('qwen2.5-7b'), { tp, pp: 1 });

const tableOf = (groups: { prompt: number; responses: number[] }[]) => buildSampleTable(iterationOf(groups).groups, { maxPromptTokens: 10_000, maxResponseTokens: 10_000 });
const limits = (maxConcurrentSequences: number) => ({ maxConcurrentSequences, kvCapacityTokens: 1_000_000, maxBatchedTokens: 1_000_000, admissionWatermark: 0 });

describe('HF generate vs vLLM: per-token Python cost', () => {
  it("every decode step pays eager PyTorch's host cost per layer: (1/25.5 − 1/107.0) s / 32 layers, measured by gpt-fast", () => {
    // 1/25.5 = 0.0392157 s, 1/107.0 = 0.0093458 s: 0.0298699 s over 32 layers = 0.00093343 s per layer.
    const perLayer = (1 / 25.5 - 1 / 107.0) / 32;
    expect(perLayer).toBeCloseTo(0.00093343, 8);
    const hf = replica('hf-generate');
    const kernels = replica('kernels-only');
    const vllm = replica('vllm-2024');
    for (const batch of [1, 16, 64]) {
      const context = batch * 700;
      // Qwen2.5-7B has 28 layers; TP 1 has no per-TP-peer term: the same for every batch.
      expect(hf.decodeStepS(batch, context) - kernels.decodeStepS(batch, context)).toBeCloseTo(28 * perLayer, 12);
      // against vLLM with CUDA graphs: 28 × 0.933 ms − 1.25 ms ≈ 24.9 ms slower per step, whatever the batch
      expect(hf.decodeStepS(batch, context) - vllm.decodeStepS(batch, context)).toBeCloseTo(28 * perLayer - VLLM_2024_STEP_OVERHEAD_S, 12);
    }
    // and once per prefill forward
    expect(hf.prefillS(4096, 8) - kernels.prefillS(4096, 8)).toBeCloseTo(28 * perLayer, 12);
  });

  it('under TP the eager step also pays the fitted per-layer, per-TP-peer synchronisation', () => {
    const d = calibration.devices['a100-80gb']!.decode!;
    const perLayer = (1 / 25.5 - 1 / 107.0) / 32;
    expect(replica('hf-generate', 4).decodeStepS(8, 8 * 512) - replica('kernels-only', 4).decodeStepS(8, 8 * 512)).toBeCloseTo(28 * (perLayer + 3 * d.perLayerPerTpPeerS), 12);
  });
});

describe('HF generate vs vLLM: no admission of new sequences', () => {
  // A cost where only the number of steps matters: prefill 0.5 s, decode step 1 s (batch and context free).
  const steps: GenerationStepCost = linearReplica({ prefillBaseS: 0.5, prefillPerTokenS: 0, decodeBaseS: 1, decodePerSequenceS: 0, decodePerContextTokenS: 0 });
  const table = tableOf([
    { prompt: 10, responses: [4] },
    { prompt: 10, responses: [1] },
    { prompt: 10, responses: [4] },
    { prompt: 10, responses: [1] },
  ]);

  it('a static batch holds its slot until its longest sample ends; continuous batching admits the next request into it', () => {
    // Static, batches of 2: {4, 1}: prefill 0.5 + 3 decode steps = 3.5 s; {4, 1}: again: 7.0 s.
    const staticRun = runStaticBatches(steps, table, [0, 1, 2, 3], { batchSequences: 2, padPromptsToLongest: false }, 0);
    expect(staticRun.endS).toBeCloseTo(7.0, 12);
    // Continuous, at most 2 sequences: prefill {s0, s1} 0.5 (s1 done); prefill s2 0.5; 3 decode steps of
    // {s0, s2} (both done at 4.0); prefill s3 0.5: 4.5 s.
    const continuous = runContinuousGeneration({ cost: steps, limits: limits(2), assignment: [buildRequests(table, false)], sampleCount: 4, startS: 0 });
    expect(continuous.endS).toBeCloseTo(4.5, 12);
  });
});

describe('HF generate vs vLLM: padding to the batch’s longest', () => {
  // Linear costs: prefill 0.5 s + 0.01 s per token; decode 1 s + 0.1 s per sequence + 0.001 s per context token.
  const cost = linearReplica();
  const table = tableOf([
    { prompt: 100, responses: [3] },
    { prompt: 1000, responses: [3] },
  ]);

  it('left-padded prompts prefill and attend over the longest prompt for every sequence', () => {
    const padded = runStaticBatches(cost, table, [0, 1], { batchSequences: 2, padPromptsToLongest: true }, 0);
    const unpadded = runStaticBatches(cost, table, [0, 1], { batchSequences: 2, padPromptsToLongest: false }, 0);
    // Prefill: 2 × 1000 = 2000 tokens instead of 1100: 0.01 × 900 = 9 s more. Two decode steps, each over
    // 900 more context tokens (the padding stays in the cache: 2002 vs 1102 at the first): 2 × 0.001 × 900 = 1.8 s.
    expect(padded.endS - unpadded.endS).toBeCloseTo(9 + 1.8, 12);
  });

  it('finished sequences keep decoding as padding until the longest ends', () => {
    const uneven = tableOf([
      { prompt: 10, responses: [1] },
      { prompt: 10, responses: [5] },
    ]);
    const run = runStaticBatches(cost, uneven, [0, 1], { batchSequences: 2, padPromptsToLongest: false }, 0);
    // 4 decode steps of batch 2 (the 1-token sample is padding) from context 22: Σ (1 + 0.2 + 0.001·(22 + 2k)), k = 0..3
    const decode = 4 * 1.2 + 0.001 * (22 + 24 + 26 + 28);
    expect(run.endS).toBeCloseTo(0.5 + 0.01 * 20 + decode, 12);
    expect(run.batches[0]!.decodeSteps).toBe(4);
  });
});

describe('HF generate vs vLLM: no factor', () => {
  it('with equal prompts and lengths, one batch, and no engine overhead, the two take the same time', () => {
    const table = tableOf(Array.from({ length: 16 }, () => ({ prompt: 256, responses: [128] })));
    const hf = replica('hf-generate', 1, 0);
    const vllm = replica('vllm-2024', 1, 0);
    const staticRun = runStaticBatches(hf, table, Array.from({ length: 16 }, (_, i) => i), { batchSequences: 16, padPromptsToLongest: true }, 0);
    const continuous = runContinuousGeneration({ cost: vllm, limits: limits(16), assignment: [buildRequests(table, false)], sampleCount: 16, startS: 0 });
    expect(staticRun.endS).toBeGreaterThan(0);
    expect(Math.abs(staticRun.endS / continuous.endS - 1)).toBeLessThan(1e-12);
  });
});
