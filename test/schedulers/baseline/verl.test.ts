import { describe, expect, it } from 'vitest';
import { runVerl } from '../../../harness/schedulers/baseline/verl.js';
import { createRng } from '../../../harness/util/rng.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../fixtures/scenario.js';

describe('verl on a one-GPU iteration worked out by hand', () => {
  // Linear test double: prefill 0.5 + 0.01·tokens; decode 1 + 0.1·batch + 0.001·context;
  // forward 0.2 + 0.002·tokens; train stage F 0.002·tokens, B = 2F; optimizer 0.3; no collectives on 1 GPU.
  const scenario = testScenario();
  const iteration = iterationOf([
    { prompt: 10, responses: [3], rewardLatencyS: 0.05 },
    { prompt: 20, responses: [1], rewardLatencyS: 0.05 },
  ]);
  const result = runVerl(scenario, iteration, linearCostModel(), createRng(1));

  it('runs the calls in veRL order with the hand-computed durations', () => {
    // generate: prefill 30 tokens = 0.8; B leaves. A decodes at context 11 (1.111) and 12 (1.112): ends 3.023.
    // reward: rule-based, 0.05 + 0.05 on the CPU -> 3.123.
    // old_log_prob, ref, values: one batch of 13 + 21 = 34 tokens each = 0.268 -> 3.391, 3.659, 3.927.
    // update_critic, update_actor: F 0.068 + B 0.136 + optimizer 0.3 = 0.504 each -> 4.431, 4.935.
    const byTask = Object.fromEntries(result.spans.map((s) => [s.task, [s.startS, s.endS]]));
    expect(byTask['generate']![1]).toBeCloseTo(3.023, 12);
    expect(byTask['reward']).toEqual([expect.closeTo(3.023, 12), expect.closeTo(3.123, 12)]);
    expect(byTask['old_log_prob']![1]).toBeCloseTo(3.391, 12);
    expect(byTask['ref']![1]).toBeCloseTo(3.659, 12);
    expect(byTask['values']![1]).toBeCloseTo(3.927, 12);
    expect(byTask['update_critic']![1]).toBeCloseTo(4.431, 12);
    expect(byTask['update_actor']![1]).toBeCloseTo(4.935, 12);
    expect(result.iterationTimeS).toBeCloseTo(4.935, 12);
  });

  it('derives the metrics from the spans and the one-GPU allocation', () => {
    expect(result.samplesPerS).toBeCloseTo(2 / 4.935, 12);
    expect(result.tokensPerS).toBeCloseTo((10 + 3 + 20 + 1) / 4.935, 12);
    expect(result.gpuSecondsAllocated).toBeCloseTo(4.935, 12);
    // Busy: everything but the 0.1 s of CPU reward.
    expect(result.gpuSecondsBusy).toBeCloseTo(4.835, 12);
    expect(result.costUsd).toBeCloseTo((4.935 / 3600) * 3.6, 12);
    expect(result.stagesS).toEqual({
      generation: expect.closeTo(3.023, 12),
      inference: expect.closeTo(0.1 + 3 * 0.268, 12),
      training: expect.closeTo(2 * 0.504, 12),
    });
    expect(result.overheadsS.weightSyncS).toBe(0);
  });
});
