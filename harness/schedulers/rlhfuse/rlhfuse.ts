import { schedulerParameters } from '../parameters/index.js';
import type { SchedulerEntry } from '../types.js';
import { interStageParameters, intraStageParameters, rlhfuseBaseParameters } from './parameters.js';
import { runRlhfuse } from './plan.js';
import { tuningHistory } from './threshold-tuning.js';

const parameters = schedulerParameters('rlhfuse', { ...rlhfuseBaseParameters, ...interStageParameters, ...intraStageParameters });

/** What the threshold tuning carries between iterations (nothing while the scenario fixes the threshold). */
const tuning = tuningHistory((scenario) => ({ retuneDriftKs: parameters.resolve(scenario).retuneDriftKs, fixed: parameters.overrides(scenario).migrationThreshold !== undefined }));

/** RLHFuse with both fusions: generation ⊕ inference with tail migration, and actor ‖ critic fused pipeline training. */
export const rlhfuse: SchedulerEntry = {
  name: 'rlhfuse',
  description: 'RLHFuse: inter-stage fusion (per-sample inference on GPUs freed by migrating the generation tail) and intra-stage fusion (actor and critic in one fused pipeline schedule)',
  sources: ['papers/rlhfuse.md §1–§4'],
  assumptions: parameters.assumptions,
  run: (scenario, iteration, cost, rng, history) => {
    const p = parameters.resolve(scenario);
    const inter = { values: p, fixedThreshold: parameters.overrides(scenario).migrationThreshold, tuning: history ? history.state(tuning) : { seen: 0 } };
    return runRlhfuse('rlhfuse', { base: p, inter, intra: p }, scenario, iteration, cost, rng);
  },
  history: [tuning],
};
