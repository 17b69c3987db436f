import type { Scenario } from '../../../harness/scenario/scenario.js';
import type { WorkloadIteration } from '../../../harness/traces/types.js';
import { iterationOf, testScenario } from '../fixtures/scenario.js';

/** Worker settings that keep the hand computations short: no driver transfers, no offload. */
const QUIET = { 'driver-transfer-ns-per-position': 0 };

/**
 * A two-GPU node for the linear cost double: GPU 0 the rollouter (one server of TP 1), GPU 1 the
 * trainer; the co-located comparison (verl) runs on both. GRPO, so no critic.
 */
export function twoGpuScenario(parameters: Record<string, Record<string, number | string | boolean>> = {}, options: { prompts?: number; miniBatchPrompts?: number; maxConcurrentSequences?: number; samplesPerPrompt?: number } = {}): Scenario {
  return testScenario({
    kind: 'grpo',
    nodes: 1,
    gpusPerNode: 2,
    instances: 2,
    prompts: options.prompts ?? 1,
    miniBatchPrompts: options.miniBatchPrompts ?? 1,
    samplesPerPrompt: options.samplesPerPrompt ?? 1,
    maxConcurrentSequences: options.maxConcurrentSequences ?? 64,
    maxResponseTokens: 100_000,
    maxPromptTokens: 100_000,
    layout: { tp: 1, pp: 1, dp: 2, microBatchSamples: 1000 },
    schedulerParameters: {
      verl: { ...QUIET, 'vllm-sleep-mode': false },
      'one-step-off': { ...QUIET, ...parameters['one-step-off'] },
      'fully-async': { ...QUIET, ...parameters['fully-async'] },
    },
  });
}

/** `prompts` prompts of `prompt` tokens whose responses have the given lengths. */
export function uniformIteration(prompts: number, prompt: number, responses: number[], iteration = 0): WorkloadIteration {
  return iterationOf(Array.from({ length: prompts }, () => ({ prompt, responses })), iteration);
}
