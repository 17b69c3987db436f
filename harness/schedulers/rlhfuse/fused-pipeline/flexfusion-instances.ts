import { fusedLayout, type FusedLayout, type FusedPipelineSpec } from './layout.js';

/**
 * The six problem instances of the FlexFusion artifact (experiments 0–5; RLHFuse reference
 * §3.9): PP_L = 8, f_L = 5 units, B = 2F, large-model activation 1.95 per micro-batch; the small
 * model as 2 pipelines of 4 stages (f_S = 4, activation 2) or 1 pipeline of 8 (f_S = 2,
 * activation 1), with M_L = 32, 16, 8. Inputs only: the artifact's published results are paper
 * targets and stay out of the harness.
 */
export interface FlexFusionInstance {
  readonly name: string;
  readonly spec: FusedPipelineSpec;
}

function instance(exp: number, ppSmall: number, microBatchesLarge: number, forwardSmall: number, activationSmall: number): FlexFusionInstance {
  return {
    name: `flexfusion-exp${exp}`,
    spec: {
      ppLarge: 8,
      ppSmall,
      microBatchesLarge,
      large: { name: 'actor', forward: 5, activationPerMicroBatch: 1.95 },
      small: { name: 'critic', forward: forwardSmall, activationPerMicroBatch: activationSmall },
    },
  };
}

export const flexFusionInstances: readonly FlexFusionInstance[] = [
  instance(0, 4, 32, 4, 2),
  instance(1, 4, 16, 4, 2),
  instance(2, 4, 8, 4, 2),
  instance(3, 8, 32, 2, 1),
  instance(4, 8, 16, 2, 1),
  instance(5, 8, 8, 2, 1),
];

/**
 * FlexFusion-shaped instances beyond the published six: exp 0's and exp 3's layouts with 64, 96
 * and 128 large-model micro-batches (1,536 to 4,096 tasks), where a fixed amount of search work
 * buys the fewest evaluations per task. For measuring the search; they have no published figures.
 */
export const longFlexFusionInstances: readonly FlexFusionInstance[] = [64, 96, 128].flatMap((microBatchesLarge) => [
  { ...instance(0, 4, microBatchesLarge, 4, 2), name: `flexfusion-exp0-shape-m${microBatchesLarge}` },
  { ...instance(3, 8, microBatchesLarge, 2, 1), name: `flexfusion-exp3-shape-m${microBatchesLarge}` },
]);

export function flexFusionLayout(exp: number): FusedLayout {
  const found = flexFusionInstances[exp];
  if (found === undefined) throw new RangeError(`no FlexFusion experiment ${exp} (0–${flexFusionInstances.length - 1})`);
  return fusedLayout(found.spec);
}
