import { schedulerParameters } from '../parameters/index.js';
import type { SchedulerEntry } from '../types.js';
import { intraStageParameters, rlhfuseBaseParameters } from './parameters.js';
import { runRlhfuse } from './plan.js';

const parameters = schedulerParameters('rlhfuse-intra', { ...rlhfuseBaseParameters, ...intraStageParameters });

/** Ablation: RLHFuse-Base plus intra-stage fusion only (generation and inference in sequence). */
export const rlhfuseIntra: SchedulerEntry = {
  name: 'rlhfuse-intra',
  description: 'RLHFuse ablation: intra-stage fusion only (actor and critic in one fused pipeline schedule; generation and inference in sequence)',
  sources: ['papers/rlhfuse.md §3'],
  assumptions: parameters.assumptions,
  run: (scenario, iteration, cost, rng) => {
    const p = parameters.resolve(scenario);
    return runRlhfuse('rlhfuse-intra', { base: p, intra: p }, scenario, iteration, cost, rng);
  },
};
