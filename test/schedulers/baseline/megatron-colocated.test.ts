import { describe, expect, it } from 'vitest';
import { loadCalibration } from '../../../harness/cost/calibration/load.js';
import { gpuById } from '../../../harness/cost/catalog/index.js';
import { DEFAULT_CALIBRATION_PATH } from '../../../harness/cost/index.js';
import { createRooflineCostModel } from '../../../harness/cost/roofline/model.js';
import { scenarioCostModel } from '../../../harness/scenario/cost-model.js';
import { loadScenario } from '../../../harness/scenario/loader.js';
import { shippedScenarioPath } from '../../../harness/scenario/shipped.js';
import { runMegatronColocated } from '../../../harness/schedulers/baseline/megatron-colocated.js';
import { createRng } from '../../../harness/util/rng.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../fixtures/scenario.js';

describe('megatron-colocated on a one-GPU iteration', () => {
  // Linear double; engine sleep off so the switch is the reshard only (0 bytes to gather at TP 1 × PP 1 on one GPU).
  const scenario = testScenario({ model: 'qwen2.5-0.5b-instruct', schedulerParameters: { 'megatron-colocated': { 'vllm-sleep-mode': false } } });
  const iteration = iterationOf([
    { prompt: 10, responses: [3], rewardLatencyS: 0.05 },
    { prompt: 20, responses: [1], rewardLatencyS: 0.05 },
  ]);
  const result = runMegatronColocated(scenario, iteration, linearCostModel(), createRng(1));

  it("runs the calls in veRL's order with the hand-computed durations, updates in Megatron's pipeline mode", () => {
    // generate: prefill 30 tokens = 0.8; B leaves; A decodes at context 11 (1.111) and 12 (1.112): 3.023.
    // reward on the CPU 0.1 -> 3.123; old_log_prob, ref, values: 0.2 + 0.002 × 34 = 0.268 each -> 3.391, 3.659, 3.927;
    // update_critic, update_actor (1F1B, one stage, one micro-batch of 2): F 0.068 + B 0.136 + optimizer 0.3 = 0.504 -> 4.431, 4.935.
    const byTask = Object.fromEntries(result.spans.map((s) => [s.task, [s.startS, s.endS]]));
    expect(byTask['generate']![1]).toBeCloseTo(3.023, 12);
    expect(byTask['old_log_prob']![1]).toBeCloseTo(3.391, 12);
    expect(byTask['ref']![1]).toBeCloseTo(3.659, 12);
    expect(byTask['values']![1]).toBeCloseTo(3.927, 12);
    expect(byTask['update_critic']![1]).toBeCloseTo(4.431, 12);
    expect(byTask['update_actor']![1]).toBeCloseTo(4.935, 12);
    expect(result.iterationTimeS).toBeCloseTo(4.935, 12);
  });

  it('skips the reference forward when the run has no KL term', () => {
    const noRef = testScenario({ model: 'qwen2.5-0.5b-instruct', schedulerParameters: { 'megatron-colocated': { 'vllm-sleep-mode': false, 'reference-policy': false } } });
    const run = runMegatronColocated(noRef, iteration, linearCostModel(), createRng(1));
    expect(run.spans.some((s) => s.task === 'ref')).toBe(false);
    expect(run.iterationTimeS).toBeCloseTo(4.935 - 0.268, 12);
  });
});

describe('megatron-colocated on real layouts', () => {
  it('trains an MoE model with expert parallelism, mini-batch by mini-batch; without EP it does not fit an H20', async () => {
    const scenario = await loadScenario(shippedScenarioPath('qwen3-30b-a3b-grpo-megatron-ep8'));
    const cost = await scenarioCostModel(scenario);
    const iteration = iterationOf(Array.from({ length: 64 }, (_, i) => ({ prompt: 200 + (i % 7) * 50, responses: Array.from({ length: 16 }, (_, j) => 100 + ((i * 16 + j) * 37) % 900) })));
    const small = { ...scenario, batch: { prompts: 64, miniBatchPrompts: 16 } };
    const run = runMegatronColocated(small, iteration, cost, createRng(1));
    const update = run.spans.filter((s) => s.task === 'update_actor');
    expect(update.length).toBe(4); // 64 prompts / 16 per mini-batch
    expect(run.spans.some((s) => s.task === 'ref')).toBe(false); // the recipe has no KL term
    // without EP (each GPU all 128 experts' weights), the same step does not fit an H20
    const noEp = { ...small, layout: { ...small.layout!, actorTrain: { ...small.layout!.actorTrain, ep: 1 } } };
    expect(() => runMegatronColocated(noEp, iteration, cost, createRng(1))).toThrow(/field 'layout\.actorTrain' value '1×1×128': megatron-colocated: qwen3-30b-a3b trained with Megatron \(TP 1 × PP 1 × DP 128, 2 sequences per micro-batch at the length caps\) on h20 does not fit in GPU memory: needs [\d.]+ GiB per GPU/);
  });

  it('is deterministic', async () => {
    const scenario = testScenario({ model: 'qwen2.5-0.5b-instruct', nodes: 1, gpusPerNode: 8, layout: { tp: 2, pp: 2, dp: 2, microBatchSamples: 1 }, prompts: 4, miniBatchPrompts: 2 });
    const iteration = iterationOf([1, 2, 3, 4].map((i) => ({ prompt: 10 * i, responses: [5 * i] })));
    const cost = createRooflineCostModel(gpuById('h100-sxm'), await loadCalibration(DEFAULT_CALIBRATION_PATH));
    expect(JSON.stringify(runMegatronColocated(scenario, iteration, cost, createRng(3)))).toBe(JSON.stringify(runMegatronColocated(scenario, iteration, cost, createRng(3))));
  });
});
