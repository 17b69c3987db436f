import type { SchedulerEntry } from '../types.js';
import { rlhfuseAssumptions } from './assumptions.js';
import { runRlhfuse } from './plan.js';

/** Ablation: RLHFuse-Base plus intra-stage fusion only (generation and inference in sequence). */
export const rlhfuseIntra: SchedulerEntry = {
  name: 'rlhfuse-intra',
  description: 'RLHFuse ablation: intra-stage fusion only (actor and critic in one fused pipeline schedule; generation and inference in sequence)',
  sources: ['papers/rlhfuse.md §3'],
  assumptions: rlhfuseAssumptions,
  run: (scenario, iteration, cost, rng, history) => runRlhfuse('rlhfuse-intra', { inter: false, intra: true }, scenario, iteration, cost, rng, history),
};
