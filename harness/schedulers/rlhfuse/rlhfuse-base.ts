import { schedulerParameters } from '../parameters/index.js';
import type { SchedulerEntry } from '../types.js';
import { rlhfuseBaseParameters } from './parameters.js';
import { runRlhfuse } from './plan.js';

const parameters = schedulerParameters('rlhfuse-base', rlhfuseBaseParameters);

/**
 * RLHFuse-Base: RLHFuse with its low-level optimisations (per-task parallel strategies, a
 * continuous-batching generation engine, length-balanced DP groups, efficient actor
 * redistribution, frozen models in host memory) but no inter- or intra-stage fusion: the RLHFuse
 * plan with both fusions off — stages in sequence, actor then critic 1F1B (papers/rlhfuse.md §6).
 */
export const rlhfuseBase: SchedulerEntry = {
  name: 'rlhfuse-base',
  description: 'RLHFuse without fusion: per-task parallel strategies, continuous-batching generation, stages in sequence, actor then critic 1F1B',
  sources: ['papers/rlhfuse.md §4, §6'],
  assumptions: parameters.assumptions,
  run: (scenario, iteration, cost, rng) => runRlhfuse('rlhfuse-base', { base: parameters.resolve(scenario) }, scenario, iteration, cost, rng),
};
