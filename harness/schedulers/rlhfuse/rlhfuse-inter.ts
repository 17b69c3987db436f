import { schedulerParameters } from '../parameters/index.js';
import type { SchedulerEntry } from '../types.js';
import { interStageParameters, rlhfuseBaseParameters } from './parameters.js';
import { runRlhfuse } from './plan.js';
import { tuningHistory } from './threshold-tuning.js';

const parameters = schedulerParameters('rlhfuse-inter', { ...rlhfuseBaseParameters, ...interStageParameters });

/** What the threshold tuning carries between iterations (nothing while the scenario fixes the threshold). */
const tuning = tuningHistory((scenario) => ({ retuneDriftKs: parameters.resolve(scenario).retuneDriftKs, fixed: parameters.overrides(scenario).migrationThreshold !== undefined }));

/** Ablation: RLHFuse-Base plus inter-stage fusion only (training unfused, actor then critic 1F1B). */
export const rlhfuseInter: SchedulerEntry = {
  name: 'rlhfuse-inter',
  description: 'RLHFuse ablation: inter-stage fusion only (generation ⊕ inference with tail migration; unfused training)',
  sources: ['papers/rlhfuse.md §2'],
  assumptions: parameters.assumptions,
  run: (scenario, iteration, cost, rng, history) => {
    const p = parameters.resolve(scenario);
    const inter = { values: p, fixedThreshold: parameters.overrides(scenario).migrationThreshold, tuning: history ? history.state(tuning) : { seen: 0 } };
    return runRlhfuse('rlhfuse-inter', { base: p, inter }, scenario, iteration, cost, rng);
  },
  history: [tuning],
};
