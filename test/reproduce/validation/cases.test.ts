import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCalibration } from '../../../harness/cost/calibration/load.js';
import type { Calibration } from '../../../harness/cost/calibration/types.js';
import { gpuById, modelById } from '../../../harness/cost/catalog/index.js';
import { loadCustomGpu } from '../../../harness/cost/catalog/custom.js';
import { VLLM_2024_STEP_OVERHEAD_S } from '../../../harness/cost/engine-eras.js';
import { weightBytes } from '../../../harness/cost/model-shape.js';
import { createRooflineCostModel } from '../../../harness/cost/roofline/model.js';
import { runValidationCostCase, runValidationReplayCase, type ValidationCostCase, type ValidationCostResult, type ValidationReplayCase } from '../../../harness/reproduce/validation/cases.js';
import { validationCases } from '../../../harness/reproduce/validation/plan.js';
import { projectRoot } from '../../../harness/util/shared-data.js';

/** The validation cases compute what the cost model and the veRL scheduler say for each measured setting. */
let cases: Awaited<ReturnType<typeof validationCases>>;
let costCase: ValidationCostCase;
let cost: ValidationCostResult;
let calibration: Calibration;

beforeAll(async () => {
  cases = await validationCases();
  costCase = cases.find((c): c is ValidationCostCase => c.kind === 'reproduce-validation-cost')!;
  cost = await runValidationCostCase(costCase);
  calibration = await loadCalibration(join(projectRoot, costCase.calibration));
});

describe('validation cost queries', () => {
  it('TPOT is one decode step of 10 sequences at 256 tokens each under the measured engine era: kernels + the fitted step overhead', () => {
    expect(costCase.engines.vllm2024).toBe('vllm-2024');
    for (const [gpu, id] of [
      ['a100-80gb', 'vllm-tpot.a100'],
      ['h100-sxm', 'vllm-tpot.h100'],
    ] as const) {
      const kernels = createRooflineCostModel(gpuById(gpu), calibration, { assumptions: { servingEngine: 'kernels-only' } }).replica(modelById('llama-3-8b'), { tp: 1, pp: 1 });
      expect(cost.values[id]!.value).toBeCloseTo(1000 * (kernels.decodeStepS(10, 2560) + VLLM_2024_STEP_OVERHEAD_S), 9);
    }
  });

  it('flatness is the batch-64 step over the batch-1 step at 1,024 tokens of context, under the era the setting names', () => {
    const replica = createRooflineCostModel(gpuById('l40s'), calibration, { assumptions: { servingEngine: costCase.engines.rlhflessTestbed as 'vllm-2024-eager' } }).replica(modelById('qwen2.5-3b'), { tp: 2, pp: 1 });
    expect(cost.values['decode-flatness.3b-l40s']!.value).toBeCloseTo(replica.decodeStepS(64, 64 * 1024) / replica.decodeStepS(1, 1024), 12);
    expect(cost.values['decode-flatness.7b-h800']!.value).toBeGreaterThan(1);
  });

  it('the co-located weight sync gathers 7/8 of the model on each of 8 GPUs over the L20’s PCIe Gen4 link (A100 send/recv efficiency borrowed)', async () => {
    const l20 = await loadCustomGpu(join(projectRoot, costCase.l20Gpu));
    expect(l20.intraNodeLink).toEqual({ kind: 'pcie', bytesPerSPerDirection: 32e9 });
    expect(l20.hbmBytesPerS).toBe(864e9);
    const link = calibration.devices['a100-80gb']!.collectives!['send_recv/intra-node']!;
    for (const model of ['qwen2.5-3b', 'qwen2.5-7b', 'llama-3-8b']) {
      const byHand = link.latencyS + ((7 / 8) * weightBytes(modelById(model))) / (32e9 * link.bandwidthEfficiency);
      expect(cost.values[`weight-sync.l20.${model}`]!.value, model).toBeCloseTo(byHand, 9);
    }
  });

  it('names the cost models it asked', () => {
    expect(cost.costModels.some((d) => /roofline on l20/.test(d))).toBe(true);
    expect(cost.costModels.every((d) => /serving engine/.test(d))).toBe(true);
  });
});

describe('validation replay', () => {
  it('replays veRL on the DAPO H20 setting: 512 × 16 samples, every veRL call in sequence', async () => {
    const testCase = cases.find((c): c is ValidationReplayCase => c.kind === 'reproduce-validation-replay' && c.gpus === 128)!;
    const result = await runValidationReplayCase(testCase);
    expect(result.samples).toBe(512 * 16);
    expect(result.maxResponseTokens).toBeLessThanOrEqual(28 * 1024);
    expect(Object.keys(result.tasksS)).toEqual(expect.arrayContaining(['weight-sync', 'generate', 'old_log_prob', 'ref', 'update_actor']));
    const t = result.tasksS;
    expect(result.iterationTimeS).toBeGreaterThanOrEqual(t['weight-sync']! + t['generate']! + t['old_log_prob']! + t['ref']! + t['update_actor']! - 1e-9);
    expect(result.costModel).toMatch(/roofline on h20 .*serving engine vllm-2024/);
  });
});
