import type { Scenario } from '../../../harness/scenario/scenario.js';
import { findScheduler } from '../../../harness/schedulers/index.js';
import type { ReplayHistory } from '../../../harness/schedulers/types.js';
import type { IterationResult } from '../../../harness/sim/types.js';
import type { SampleGroup, WorkloadIteration } from '../../../harness/traces/types.js';
import { createRng } from '../../../harness/util/rng.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { testScenario, type TestScenarioOptions } from '../fixtures/scenario.js';

/** One node of 8 test GPUs, TP-1 decode actors, veRL-style per-sample prompts, room for every sequence. */
export function rlhflessScenario(parameters: Record<string, Record<string, number | string | boolean>> = {}, options: TestScenarioOptions = {}): Scenario {
  return testScenario({
    nodes: 1,
    gpusPerNode: 8,
    prompts: 8,
    miniBatchPrompts: 4,
    generationTp: 1,
    instances: 2,
    maxConcurrentSequences: 256,
    maxResponseTokens: 4096,
    layout: { tp: 1, pp: 1, dp: 8, microBatchSamples: 4 },
    schedulerParameters: parameters,
    ...options,
  });
}

export interface GroupSpec {
  readonly prompt: number;
  readonly responses: readonly number[];
  readonly id?: string;
  readonly sharedPrefixTokens?: number;
  readonly referenceAnswerTokens?: number;
}

export function iteration(groups: readonly GroupSpec[], index = 0): WorkloadIteration {
  return {
    iteration: index,
    groups: groups.map(
      (g, i): SampleGroup => ({
        iteration: index,
        groupId: `g${i}@${index}`,
        promptId: g.id ?? `g${i}`,
        promptTokens: g.prompt,
        responseTokens: [...g.responses],
        truncated: g.responses.map(() => false),
        ...(g.sharedPrefixTokens !== undefined ? { sharedPrefixTokens: g.sharedPrefixTokens } : {}),
        ...(g.referenceAnswerTokens !== undefined ? { referenceAnswerTokens: g.referenceAnswerTokens } : {}),
      }),
    ),
  };
}

export function run(name: string, scenario: Scenario, it: WorkloadIteration, history?: ReplayHistory): IterationResult {
  const entry = findScheduler(name);
  if (!entry) throw new Error(`no scheduler ${name}`);
  return entry.run(scenario, it, linearCostModel(), createRng(1), history);
}

/** The metrics and the timeline, without the counters and notes that name the technique's own bookkeeping. */
export function outcome(result: IterationResult) {
  return { iterationTimeS: result.iterationTimeS, gpuSecondsAllocated: result.gpuSecondsAllocated, spans: result.spans, allocations: result.allocations };
}
