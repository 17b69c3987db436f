import type { SchedulerEntry } from '../types.js';
import { rlhfuseAssumptions } from './assumptions.js';
import { rlhfuseHistory, runRlhfuse } from './plan.js';

/** RLHFuse with both fusions: generation ⊕ inference with tail migration, and actor ‖ critic fused pipeline training. */
export const rlhfuse: SchedulerEntry = {
  name: 'rlhfuse',
  description: 'RLHFuse: inter-stage fusion (per-sample inference on GPUs freed by migrating the generation tail) and intra-stage fusion (actor and critic in one fused pipeline schedule)',
  sources: ['papers/rlhfuse.md §1–§4'],
  assumptions: rlhfuseAssumptions,
  run: (scenario, iteration, cost, rng, history) => runRlhfuse('rlhfuse', { inter: true, intra: true }, scenario, iteration, cost, rng, history),
  history: rlhfuseHistory('rlhfuse'),
};
