import { describe, expect, it } from 'vitest';
import { runOpenrlhf } from '../../../harness/schedulers/baseline/openrlhf.js';
import { createRng } from '../../../harness/util/rng.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../fixtures/scenario.js';

const small = 'qwen2.5-0.5b-instruct';

describe('openrlhf with its five pools', () => {
  const iteration = iterationOf([
    { prompt: 10, responses: [3] },
    { prompt: 20, responses: [1] },
    { prompt: 5, responses: [2] },
    { prompt: 8, responses: [4] },
  ]);
  const ppo = testScenario({
    nodes: 1,
    gpusPerNode: 8,
    model: small,
    rewardModel: true,
    prompts: 4,
    miniBatchPrompts: 4,
    maxConcurrentSequences: 8,
    schedulerParameters: { openrlhf: { 'pool-ratio': '1:1:2:2:2' } },
  });
  const result = runOpenrlhf(ppo, iteration, linearCostModel(), createRng(1));
  const span = (task: string) => result.spans.find((s) => s.task === task)!;

  it('holds every pool the whole iteration: 2 engine, 1 actor, 2 ref, 1 critic and 2 reward GPUs', () => {
    expect(result.allocations.map((a) => [a.pool, a.firstGpu, a.gpus])).toEqual([
      ['engines', 0, 2],
      ['actor', 2, 1],
      ['ref', 3, 2],
      ['critic', 5, 1],
      ['reward', 6, 2],
    ]);
  });

  it('makes experience on every pool at once, after generation; trains actor and critic at once, after all of it', () => {
    const generated = Math.max(...result.spans.filter((s) => s.task === 'generate').map((s) => s.endS));
    for (const task of ['old_log_prob', 'ref', 'values']) expect(span(task).startS).toBeCloseTo(generated, 12);
    // reward has its own pool: it starts with the others, not after the critic's values
    expect(span('reward').startS).toBeCloseTo(generated, 12);
    const experience = Math.max(...['old_log_prob', 'ref', 'values', 'reward'].map((t) => span(t).endS));
    expect(span('update_actor').startS).toBeCloseTo(experience, 12);
    expect(span('update_critic').startS).toBeCloseTo(experience, 12);
    expect(span('ref').firstGpu).toBe(3);
    expect(span('reward').firstGpu).toBe(6);
  });

  it('refuses a ratio that does not fit the run, naming the parameter', () => {
    const grpo = testScenario({ nodes: 1, gpusPerNode: 8, model: small, kind: 'grpo', samplesPerPrompt: 1, schedulerParameters: { openrlhf: { 'pool-ratio': '1:1:2:2:2' } } });
    expect(() => runOpenrlhf(grpo, iteration, linearCostModel(), createRng(1))).toThrow(/schedulerParameters\.openrlhf\.pool-ratio' value '1:1:2:2:2': gives 1 GPUs to a critic, but GRPO has none/);
    const odd = testScenario({ nodes: 1, gpusPerNode: 8, model: small, rewardModel: true, schedulerParameters: { openrlhf: { 'pool-ratio': '1:1:1:1:1' } } });
    expect(() => runOpenrlhf(odd, iteration, linearCostModel(), createRng(1))).toThrow(/splits 8 GPUs into 1.60:1.60:1.60:1.60:1.60/);
    const hf = testScenario({ nodes: 1, gpusPerNode: 8, model: small, rewardModel: true, schedulerParameters: { openrlhf: { 'pool-ratio': '1:1:2:2:2', generation: 'hf-generate' } } });
    expect(() => runOpenrlhf(hf, iteration, linearCostModel(), createRng(1))).toThrow(/gives 2 GPUs to vLLM engines, but generation is 'hf-generate'/);
  });
});

describe('openrlhf without vLLM: the actor generates with HF generate', () => {
  // Linear double: prefill 0.5 + 0.01·tokens; decode 1 + 0.1·batch + 0.001·context.
  const scenario = testScenario({
    nodes: 1,
    gpusPerNode: 2,
    model: small,
    kind: 'grpo',
    samplesPerPrompt: 2,
    prompts: 2,
    miniBatchPrompts: 2,
    schedulerParameters: { openrlhf: { generation: 'hf-generate', 'micro-rollout-batch-size': 1 } },
  });
  const iteration = iterationOf([
    { prompt: 10, responses: [3, 1] },
    { prompt: 20, responses: [2, 2] },
  ]);
  const result = runOpenrlhf(scenario, iteration, linearCostModel(), createRng(1));

  it('runs one static, padded batch of a prompt’s 2 samples per actor GPU, no engine pool, no weight broadcast', () => {
    expect(result.allocations.map((a) => [a.pool, a.gpus])).toEqual([['actor', 2]]);
    expect(result.spans.some((s) => s.stage === 'weight-sync')).toBe(false);
    const generate = result.spans.filter((s) => s.task === 'generate').sort((a, b) => a.firstGpu - b.firstGpu);
    // GPU 0: prompt 10 × 2 = 20 tokens: 0.7; 2 decode steps of batch 2 from context 22: 1.222 + 1.224 -> 3.146.
    // GPU 1: prompt 20 × 2 = 40 tokens: 0.9; 1 decode step at context 42: 1.242 -> 2.142.
    expect(generate.map((s) => [s.firstGpu, s.endS])).toEqual([
      [0, expect.closeTo(3.146, 12)],
      [1, expect.closeTo(2.142, 12)],
    ]);
    expect(result.notes.join(' ')).toMatch(/HF generate on its 2 actor GPUs/);
  });
});
