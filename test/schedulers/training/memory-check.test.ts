import { describe, expect, it } from 'vitest';
import { DEFAULT_COST_ASSUMPTIONS } from '../../../harness/cost/assumptions.js';
import { gpuById, modelById } from '../../../harness/cost/catalog/index.js';
import { trainingMemoryPerGpu } from '../../../harness/cost/memory.js';
import { createRooflineCostModel } from '../../../harness/cost/roofline/model.js';
import { loadScenario } from '../../../harness/scenario/loader.js';
import { shippedScenarioPath } from '../../../harness/scenario/shipped.js';
import { IterationContext } from '../../../harness/schedulers/iteration-context.js';
import { assertTrainingFits, trainingTaskMemory } from '../../../harness/schedulers/training/memory-check.js';
import { createRng } from '../../../harness/util/rng.js';
import { iterationOf } from '../fixtures/scenario.js';

const GIB = 1024 ** 3;

describe('training memory checks in schedulers', () => {
  it('price the task at the length caps with the cost model’s recompute and runtime assumptions', async () => {
    const scenario = await loadScenario(shippedScenarioPath('rlhfless-7b-grpo'));
    const ctx = new IterationContext('test', scenario, iterationOf([{ prompt: 10, responses: [5] }]), createRooflineCostModel(gpuById('l40s')), createRng(1));
    const layout = scenario.layout!.actorTrain;
    const expected = trainingMemoryPerGpu(modelById('qwen2.5-7b'), gpuById('l40s'), { tp: 1, pp: 1, dp: 16 }, {
      engine: 'fsdp',
      recompute: 'full',
      microBatchTokens: 8 * (1024 + 2048),
      runtimeOverheadBytes: DEFAULT_COST_ASSUMPTIONS.runtimeOverheadBytesPerGpu,
    });
    expect(trainingTaskMemory(ctx, 'actor', layout, { engine: 'fsdp' })).toEqual(expected);
  });

  it('the RLHFless 7B testbed fits as veRL trains it (FSDP over 16 L40S) but not as Megatron would (no sharding at TP 1 × PP 1)', async () => {
    const scenario = await loadScenario(shippedScenarioPath('rlhfless-7b-grpo'));
    const ctx = new IterationContext('megatron-colocated', scenario, iterationOf([{ prompt: 10, responses: [5] }]), createRooflineCostModel(gpuById('l40s')), createRng(1));
    const layout = scenario.layout!.actorTrain;
    const fsdp = assertTrainingFits(ctx, 'actor', 'actorTrain', layout, { engine: 'fsdp' });
    expect(fsdp.neededBytes / GIB).toBeLessThan(48);
    // Megatron, distributed optimizer: bf16 weights 2 + fp32 grads 4 bytes per parameter, unsharded at TP 1 × PP 1.
    const megatron = trainingTaskMemory(ctx, 'actor', layout, { engine: 'megatron', distributedOptimizer: true });
    expect((megatron.weightBytes + megatron.gradientBytes) / 6).toBeCloseTo(7.615616512e9, -3);
    expect(megatron.fits).toBe(false);
    expect(() => assertTrainingFits(ctx, 'actor', 'actorTrain', layout, { engine: 'megatron', distributedOptimizer: true })).toThrow(
      /rlhfless-7b-grpo\.json: field 'layout\.actorTrain' value '1×1×16': megatron-colocated: qwen2\.5-7b trained with Megatron \(TP 1 × PP 1 × DP 16, 8 sequences per micro-batch at the length caps\) on l40s does not fit in GPU memory: needs 72\.2 GiB per GPU \(weights 14\.2 GiB, gradients 28\.4 GiB, optimizer state 5\.3 GiB, activations 21\.3 GiB, runtime 3\.0 GiB\) but 48\.0 GiB is available per GPU/,
    );
  });
});
