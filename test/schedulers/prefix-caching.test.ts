import { describe, expect, it } from 'vitest';
import { runMegatronColocated } from '../../harness/schedulers/baseline/megatron-colocated.js';
import { runVerl } from '../../harness/schedulers/baseline/verl.js';
import { InputError } from '../../harness/util/input-error.js';
import { createRng } from '../../harness/util/rng.js';
import { linearCostModel } from '../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from './fixtures/scenario.js';

/**
 * A prefix-caching engine (vLLM V1, SGLang) makes the n samples a framework submits one by one
 * share their prompt's prefill and KV, as n-sampling does; an engine without it (vLLM V0 by
 * default) prefills the prompt once per sample.
 */
describe('prefix caching in generation', () => {
  const iteration = iterationOf([
    { prompt: 10, responses: [3, 4] },
    { prompt: 20, responses: [5, 5] },
  ]);
  const prefillTokens = (engine: string, prefixCaching?: boolean) => {
    const scenario = testScenario({
      kind: 'grpo',
      samplesPerPrompt: 2,
      maxConcurrentSequences: 8,
      costModel: { kind: 'roofline', engine },
      scope: 'generation',
    });
    const withCaching = prefixCaching === undefined ? scenario : { ...scenario, generation: { ...scenario.generation, prefixCaching } };
    return runVerl(withCaching, iteration, linearCostModel(), createRng(1)).counters['prefill_tokens'];
  };

  it('prefills each prompt once per group with vLLM V1 and SGLang, once per sample with vLLM V0', () => {
    // groups of 2 samples with prompts of 10 and 20 tokens: 30 prompt tokens shared, 60 unshared.
    expect(prefillTokens('vllm-v1')).toBe(30);
    expect(prefillTokens('sglang')).toBe(30);
    expect(prefillTokens('vllm-2024')).toBe(60);
    expect(prefillTokens('vllm-v1', false)).toBe(60);
    expect(prefillTokens('vllm-2024', true)).toBe(30);
  });

  it('a continuous-batching scheduler refuses a static-batch engine, naming the field and the alternatives', () => {
    const scenario = testScenario({ costModel: { kind: 'roofline', engine: 'hf-generate' }, model: 'qwen2.5-0.5b-instruct' });
    for (const run of [runVerl, runMegatronColocated]) {
      expect(() => run(scenario, iteration, linearCostModel(), createRng(1))).toThrow(InputError);
      expect(() => run(scenario, iteration, linearCostModel(), createRng(1))).toThrow(/field 'costModel.engine' value 'hf-generate': .* generates with continuous batching .* \(deepspeed-chat; openrlhf with generation 'hf-generate'\)/);
    }
  });
});
