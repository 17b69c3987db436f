import { beforeAll, describe, expect, it } from 'vitest';
import { withAssumption, DEFAULT_COST_ASSUMPTIONS, type CostAssumptions } from '../../harness/cost/assumptions.js';
import { loadCalibration } from '../../harness/cost/calibration/load.js';
import type { Calibration } from '../../harness/cost/calibration/types.js';
import { gpuById, modelById } from '../../harness/cost/catalog/index.js';
import { eagerHostPerLayerS, fitStepOverheadS, HF_GENERATE_HOST_PER_LAYER_S, SERVING_ENGINE_ERAS, SERVING_ENGINES, VLLM_2024_STEP_OVERHEAD_S, VLLM_2024_TPOT_FIT_POINTS, type ServingEngine } from '../../harness/cost/engine-eras.js';
import { DEFAULT_CALIBRATION_PATH } from '../../harness/cost/index.js';
import { createRooflineCostModel } from '../../harness/cost/roofline/model.js';

/**
 * Serving-engine eras: each era charges exactly the terms it documents on top of the same
 * kernels, training forwards never depend on the era, and the 'vllm-2024' step overhead is the
 * fit of the committed measurements with the shipped calibration.
 */
let calibration: Calibration;
beforeAll(async () => {
  calibration = await loadCalibration(DEFAULT_CALIBRATION_PATH);
});

const replica = (gpu: string, model: string, tp: number, assumptions: Partial<CostAssumptions> = {}) =>
  createRooflineCostModel(gpuById(gpu), calibration, { assumptions }).replica(modelById(model), { tp, pp: 1 });

describe('serving-engine eras', () => {
  it("the 'vllm-2024' step overhead is the least-squares fit of the measured TPOTs on the shipped calibration's kernels", () => {
    const points = VLLM_2024_TPOT_FIT_POINTS.map((p) => ({
      kernelsS: replica(p.gpu, p.model, p.tp, { servingEngine: 'kernels-only' }).decodeStepS(p.batch, p.batch * p.contextTokensPerSequence),
      measuredS: p.measuredS,
    }));
    expect(Math.abs(fitStepOverheadS(points) / VLLM_2024_STEP_OVERHEAD_S - 1)).toBeLessThan(1e-4);
    // and it is what the era adds to the kernels
    const p = VLLM_2024_TPOT_FIT_POINTS[0];
    const era = replica(p.gpu, p.model, p.tp, { servingEngine: 'vllm-2024' }).decodeStepS(p.batch, p.batch * p.contextTokensPerSequence);
    expect(era - points[0]!.kernelsS).toBeCloseTo(VLLM_2024_STEP_OVERHEAD_S, 12);
  });

  it('the fit recovers a known overhead from exact data and stays within the measured range', () => {
    expect(fitStepOverheadS([{ kernelsS: 0.01, measuredS: 0.012 }])).toBeCloseTo(0.002, 9);
    expect(fitStepOverheadS([{ kernelsS: 0.01, measuredS: 0.011 }, { kernelsS: 0.005, measuredS: 0.007 }])).toBeGreaterThan(0.001);
    expect(fitStepOverheadS([{ kernelsS: 0.01, measuredS: 0.011 }, { kernelsS: 0.005, measuredS: 0.007 }])).toBeLessThan(0.002);
  });

  it("'splitwise-2023' (the default) charges every fitted decode term: per step, per sequence, per layer and per TP peer", () => {
    const d = calibration.devices['a100-80gb']!.decode!;
    const fitted = replica('a100-80gb', 'llama-2-70b', 4);
    const kernels = replica('a100-80gb', 'llama-2-70b', 4, { servingEngine: 'kernels-only' });
    expect(DEFAULT_COST_ASSUMPTIONS.servingEngine).toBe('splitwise-2023');
    for (const batch of [1, 16, 64]) {
      const engine = d.stepOverheadS + d.perSequenceS * batch + 80 * (d.perLayerS + 3 * d.perLayerPerTpPeerS);
      expect(fitted.decodeStepS(batch, batch * 1024) - kernels.decodeStepS(batch, batch * 1024)).toBeCloseTo(engine, 12);
    }
  });

  it("'vllm-2024' adds one fixed overhead per step, whatever the batch (no per-sequence or per-layer term)", () => {
    const modern = replica('h100-sxm', 'qwen2.5-7b', 2, { servingEngine: 'vllm-2024' });
    const kernels = replica('h100-sxm', 'qwen2.5-7b', 2, { servingEngine: 'kernels-only' });
    for (const batch of [1, 10, 256]) expect(modern.decodeStepS(batch, batch * 512) - kernels.decodeStepS(batch, batch * 512)).toBeCloseTo(VLLM_2024_STEP_OVERHEAD_S, 12);
    expect(modern.decodeStepsS(32, 32 * 300, 50) - kernels.decodeStepsS(32, 32 * 300, 50)).toBeCloseTo(50 * VLLM_2024_STEP_OVERHEAD_S, 10);
  });

  it("'vllm-2024-eager' adds the fitted per-layer and per-TP-peer launch overheads to 'vllm-2024'", () => {
    const d = calibration.devices['a100-80gb']!.decode!;
    // L40S borrows the A100 fit (calibrationAlias); Qwen2.5-3B has 36 layers
    const eager = replica('l40s', 'qwen2.5-3b', 2, { servingEngine: 'vllm-2024-eager' });
    const modern = replica('l40s', 'qwen2.5-3b', 2, { servingEngine: 'vllm-2024' });
    expect(eager.decodeStepS(8, 8 * 1024) - modern.decodeStepS(8, 8 * 1024)).toBeCloseTo(36 * (d.perLayerS + d.perLayerPerTpPeerS), 12);
  });

  it('engineOverheadScale multiplies the era’s overheads', () => {
    const half = replica('h100-sxm', 'llama-3-8b', 1, { servingEngine: 'vllm-2024', engineOverheadScale: 0.5 });
    const kernels = replica('h100-sxm', 'llama-3-8b', 1, { servingEngine: 'kernels-only' });
    expect(half.decodeStepS(10, 2560) - kernels.decodeStepS(10, 2560)).toBeCloseTo(0.5 * VLLM_2024_STEP_OVERHEAD_S, 12);
  });

  it('modern eras prefill without a per-prompt cost and with FlashAttention-class attention; the 2023 engine pays ≈ 24 ms per prompt', () => {
    const tokens = 16 * 512;
    const squares = 16 * 512 * 512; // 16 prompts of 512 tokens, or the same tokens as 1 "prompt" with the same Σ length²
    const at = (engine: ServingEngine, sequences: number) => replica('h100-sxm', 'llama-2-70b', 4, { servingEngine: engine }).prefillS(tokens, sequences, squares);
    // only the LM head (one row per prompt) differs between 1 and 16 prompts in a modern era
    expect(at('vllm-2024', 16) - at('vllm-2024', 1)).toBeLessThan(2e-3);
    expect(at('splitwise-2023', 16) - at('splitwise-2023', 1)).toBeGreaterThan(15 * 0.02);
    expect(at('vllm-2024', 1) - at('kernels-only', 1)).toBeCloseTo(VLLM_2024_STEP_OVERHEAD_S, 12);
  });

  it('training and inference forwards are the training engine’s: independent of the era, attention at flashAttentionMfu', () => {
    const calls = (r: ReturnType<typeof replica>) => [r.forwardS(16 * 2560, 16), r.trainStageForwardS(8192, 4), r.trainStageBackwardS(8192, 4)];
    const base = calls(replica('h800', 'llama-65b', 8));
    for (const engine of SERVING_ENGINES) expect(calls(replica('h800', 'llama-65b', 8, { servingEngine: engine }))).toEqual(base);
    const slowerAttention = calls(replica('h800', 'llama-65b', 8, { flashAttentionMfu: 0.25 }));
    for (let i = 0; i < base.length; i++) expect(slowerAttention[i]!).toBeGreaterThan(base[i]!);
  });

  it('rejects an unknown era, where it is set and where a model is built', () => {
    expect(() => withAssumption(DEFAULT_COST_ASSUMPTIONS, 'servingEngine', 'vllm-2025')).toThrow(/servingEngine must be one of/);
    expect(() => createRooflineCostModel(gpuById('h100-sxm'), calibration, { assumptions: { servingEngine: 'nope' as ServingEngine } })).toThrow(/unknown serving engine era 'nope'/);
    expect(withAssumption(DEFAULT_COST_ASSUMPTIONS, 'servingEngine', 'kernels-only').servingEngine).toBe('kernels-only');
  });

  it('names the era in the cost model description', () => {
    expect(createRooflineCostModel(gpuById('h100-sxm'), calibration, { assumptions: { servingEngine: 'vllm-2024-eager', engineOverheadScale: 1.5 } }).description).toMatch(/serving engine vllm-2024-eager × 1\.5/);
  });
});

describe('serving-engine profiles', () => {
  it('state how each engine batches, whether it replays CUDA graphs and whether it caches prefixes by default, each with a source', () => {
    const facts = Object.fromEntries(SERVING_ENGINES.map((id) => [id, [SERVING_ENGINE_ERAS[id].batching, SERVING_ENGINE_ERAS[id].cudaGraphs, SERVING_ENGINE_ERAS[id].prefixCaching]]));
    expect(facts).toEqual({
      'splitwise-2023': ['continuous', false, false],
      'vllm-2024': ['continuous', true, false],
      'vllm-2024-eager': ['continuous', false, false],
      'vllm-v1': ['continuous', true, true],
      'vllm-v1-eager': ['continuous', false, true],
      sglang: ['continuous', true, true],
      'hf-generate': ['static', false, false],
      'kernels-only': ['continuous', true, false],
    });
    for (const id of SERVING_ENGINES) {
      expect(SERVING_ENGINE_ERAS[id].id).toBe(id);
      expect(SERVING_ENGINE_ERAS[id].sources.length).toBeGreaterThan(0);
    }
  });

  it("V1 and SGLang take V0's fitted step overhead (a named assumption); V1 eager adds the same launch terms as V0 eager", () => {
    const at = (engine: ServingEngine) => replica('h100-sxm', 'qwen2.5-7b', 2, { servingEngine: engine }).decodeStepS(32, 32 * 900);
    expect(at('vllm-v1')).toBe(at('vllm-2024'));
    expect(at('sglang')).toBe(at('vllm-2024'));
    expect(at('vllm-v1-eager')).toBe(at('vllm-2024-eager'));
    expect(SERVING_ENGINE_ERAS['vllm-v1'].sources.join(' ')).toMatch(/named assumption/);
  });

  it("'hf-generate' host cost per layer is the gpt-fast eager-minus-compiled step over 32 layers", () => {
    expect(HF_GENERATE_HOST_PER_LAYER_S).toBeCloseTo((1 / 25.5 - 1 / 107) / 32, 15);
    // a measurement with no host overhead gives none
    expect(eagerHostPerLayerS({ layers: 10, eagerTokensPerS: 50, compiledTokensPerS: 50 })).toBe(0);
    expect(eagerHostPerLayerS({ layers: 2, eagerTokensPerS: 10, compiledTokensPerS: 20 })).toBeCloseTo(0.025, 15);
  });

  it('a replica may run another engine than the cost model’s (ShardLayout.servingEngine), memoised apart', () => {
    const model = createRooflineCostModel(gpuById('a100-80gb'), calibration, { assumptions: { servingEngine: 'vllm-2024' } });
    const own = model.replica(modelById('qwen2.5-7b'), { tp: 1, pp: 1 });
    const hf = model.replica(modelById('qwen2.5-7b'), { tp: 1, pp: 1, servingEngine: 'hf-generate' });
    expect(hf).not.toBe(own);
    expect(model.replica(modelById('qwen2.5-7b'), { tp: 1, pp: 1, servingEngine: 'hf-generate' })).toBe(hf);
    expect(hf.decodeStepS(4, 4000)).toBe(replica('a100-80gb', 'qwen2.5-7b', 1, { servingEngine: 'hf-generate' }).decodeStepS(4, 4000));
    expect(own.decodeStepS(4, 4000)).toBeLessThan(hf.decodeStepS(4, 4000));
  });
});
