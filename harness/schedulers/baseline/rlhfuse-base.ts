import { SchedulerParameters } from '../assumptions.js';
import { IterationContext } from '../iteration-context.js';
import type { SchedulerAssumption, SchedulerEntry } from '../types.js';
import { runSequentialPlan } from './sequential-plan.js';

export const rlhfuseBaseAssumptions: readonly SchedulerAssumption[] = [
  {
    name: 'admission-watermark',
    value: 0.01,
    unit: 'fraction of KV capacity',
    why: "RLHFuse's in-house engine is not described; vLLM's default block watermark",
    range: [0, 0.2],
  },
  {
    name: 'prompt-assignment',
    value: 'contiguous',
    unit: 'policy',
    why: 'how RLHFuse assigns prompts to generation instances is not described (RLHFuse §9 item 6); contiguous equal shares',
    choices: ['contiguous', 'round-robin'],
  },
  {
    name: 'frozen-models-in-host-memory',
    value: true,
    unit: 'boolean',
    why: 'RLHFuse keeps Ref/Reward weights in CPU memory and loads them for inference (RLHFuse §4); whether the load is on the critical path is not said (§9 item 8) — here it is',
  },
];

/**
 * RLHFuse-Base: RLHFuse with its low-level optimisations (per-task parallel strategies, a
 * continuous-batching generation engine, length-balanced DP groups, efficient actor
 * redistribution, frozen models in host memory) but no inter- or intra-stage fusion: stages in
 * sequence, actor then critic 1F1B (papers/rlhfuse.md §6).
 */
export function runRlhfuseBase(...args: Parameters<SchedulerEntry['run']>) {
  const [scenario, iteration, cost, rng] = args;
  const p = SchedulerParameters.fromScenario('rlhfuse-base', rlhfuseBaseAssumptions, scenario);
  const ctx = new IterationContext('rlhfuse-base', scenario, iteration, cost, rng);
  return runSequentialPlan(ctx, {
    generation: { kind: 'continuous', assignment: p.string('prompt-assignment') as 'contiguous' | 'round-robin' },
    admissionWatermark: p.number('admission-watermark'),
    frozenModelsInHostMemory: p.boolean('frozen-models-in-host-memory'),
    balance: true,
  });
}

export const rlhfuseBase: SchedulerEntry = {
  name: 'rlhfuse-base',
  description: 'RLHFuse without fusion: per-task parallel strategies, continuous-batching generation, stages in sequence, actor then critic 1F1B',
  sources: ['papers/rlhfuse.md §4, §6'],
  assumptions: rlhfuseBaseAssumptions,
  run: runRlhfuseBase,
};
