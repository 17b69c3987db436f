import { describe, expect, it } from 'vitest';
import { scenarioEngineProfile, scenarioPrefixCaching, scenarioServingEngine, scenarioSharesPrompts } from '../../harness/scenario/serving-engine.js';

const scenario = (engine: string | undefined, promptSharing: boolean, prefixCaching?: boolean) =>
  ({
    costModel: { kind: 'roofline' as const, ...(engine ? { engine } : {}) },
    generation: { tp: 1, instances: 1, maxConcurrentSequences: 8, gpuMemoryUtilization: 0.9, maxBatchedTokens: 8192, promptSharing, ...(prefixCaching !== undefined ? { prefixCaching } : {}) },
  }) as never;

describe("a scenario's serving engine", () => {
  it("is costModel.engine, else the calibration's engine", () => {
    expect(scenarioServingEngine(scenario(undefined, false))).toBe('splitwise-2023');
    expect(scenarioServingEngine(scenario('sglang', false))).toBe('sglang');
    expect(scenarioEngineProfile(scenario('hf-generate', false)).batching).toBe('static');
  });

  it('caches prefixes as the engine does by default, unless the scenario says otherwise', () => {
    expect(scenarioPrefixCaching(scenario('vllm-2024', false))).toBe(false);
    expect(scenarioPrefixCaching(scenario('vllm-v1', false))).toBe(true);
    expect(scenarioPrefixCaching(scenario('vllm-v1', false, false))).toBe(false);
    expect(scenarioPrefixCaching(scenario('vllm-2024', false, true))).toBe(true);
  });

  it("shares a group's prompt with n-sampling or with a prefix cache", () => {
    expect(scenarioSharesPrompts(scenario('vllm-2024', false))).toBe(false);
    expect(scenarioSharesPrompts(scenario('vllm-2024', true))).toBe(true);
    expect(scenarioSharesPrompts(scenario('sglang', false))).toBe(true);
    expect(scenarioSharesPrompts(scenario('sglang', false, false))).toBe(false);
  });
});
