import type { SchedulerEntry } from '../types.js';
import { rlhfuseAssumptions } from './assumptions.js';
import { rlhfuseHistory, runRlhfuse } from './plan.js';

/** Ablation: RLHFuse-Base plus inter-stage fusion only (training unfused, actor then critic 1F1B). */
export const rlhfuseInter: SchedulerEntry = {
  name: 'rlhfuse-inter',
  description: 'RLHFuse ablation: inter-stage fusion only (generation ⊕ inference with tail migration; unfused training)',
  sources: ['papers/rlhfuse.md §2'],
  assumptions: rlhfuseAssumptions,
  run: (scenario, iteration, cost, rng, history) => runRlhfuse('rlhfuse-inter', { inter: true, intra: false }, scenario, iteration, cost, rng, history),
  history: rlhfuseHistory('rlhfuse-inter'),
};
