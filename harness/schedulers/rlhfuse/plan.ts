import type { CostModel } from '../../cost/types.js';
import type { Scenario } from '../../scenario/scenario.js';
import type { IterationResult } from '../../sim/types.js';
import type { WorkloadIteration } from '../../traces/types.js';
import type { Rng } from '../../util/rng.js';
import { actorWeightSyncPhase, sequentialGenerationInference, sequentialTraining } from '../baseline/sequential-plan.js';
import { IterationContext } from '../iteration-context.js';
import type { ParameterValues } from '../parameters/index.js';
import { fusedGenerationInference, type InterStageSettings } from './generation-inference.js';
import { fusedTrainingPhase } from './fused-training.js';
import { withOverheadShares } from './overhead-shares.js';
import type { interStageParameters, intraStageParameters, rlhfuseBaseParameters } from './parameters.js';
import { decideThreshold, type ThresholdDecision, type TuningHistory } from './threshold-tuning.js';

const GIB = 1024 ** 3;

export type RlhfuseBaseValues = ParameterValues<typeof rlhfuseBaseParameters>;
export type InterStageValues = ParameterValues<typeof interStageParameters>;
export type IntraStageValues = ParameterValues<typeof intraStageParameters>;

/**
 * What one RLHFuse entry runs, with its resolved parameters: RLHFuse-Base's always; a fusion's
 * when the entry has that fusion (an entry without it has no such parameters to give).
 */
export interface RlhfuseSettings {
  readonly base: RlhfuseBaseValues;
  /**
   * Generation ⊕ inference (§2); `fixedThreshold`: a migration threshold the scenario set (otherwise
   * it is tuned); `tuning`: the iteration it is tuned on, from the replay's history (threshold-tuning.ts).
   */
  readonly inter?: { readonly values: InterStageValues; readonly fixedThreshold: number | undefined; readonly tuning: TuningHistory };
  /** Actor ‖ critic training (§3). */
  readonly intra?: IntraStageValues;
}

export function interStageSettings(base: RlhfuseBaseValues, inter: InterStageValues): InterStageSettings {
  return {
    admissionWatermark: base.admissionWatermark,
    assignment: base.promptAssignment,
    frozenModelsInHostMemory: base.frozenModelsInHostMemory,
    flatBatchTolerance: inter.flatBatchTolerance,
    kvReservation: inter.kvReservation,
    workProxy: inter.survivorWorkProxy,
    inferenceSplit: inter.inferenceSplit,
    weightsLoad: inter.frozenWeightsLoad,
    releaseDrainedInstances: inter.releaseDrainedInstances,
  };
}

function describeDecision(decision: ThresholdDecision): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  if (decision.source === 'fixed') return `migration threshold ${pct(decision.threshold)} (fixed by the scenario)`;
  if (decision.source === 'first-iteration') return `migration threshold ${pct(decision.threshold)}: no earlier iteration to tune on, first-iteration rule '${decision.rule}'`;
  return `migration threshold ${pct(decision.threshold)}, tuned by offline simulation of iteration ${decision.tunedOn}'s lengths over ${decision.curve.length} candidates`;
}

/**
 * One RLHFuse iteration: actor weights into the generation layout; generation and inference
 * (fused with `inter`, else in sequence); the inference → training barrier (PPO draws
 * mini-batches from the whole batch); actor and critic training (fused with `intra`, else one
 * after the other). With neither fusion this is RLHFuse-Base (`rlhfuse-base`): the unfused
 * stages are the sequential plan's (baseline/sequential-plan.ts), so an ablation differs from the
 * base only in the fusion it adds.
 */
export function runRlhfuse(name: string, settings: RlhfuseSettings, scenario: Scenario, iteration: WorkloadIteration, cost: CostModel, rng: Rng): IterationResult {
  const { base, inter, intra } = settings;
  const ctx = new IterationContext(name, scenario, iteration, cost, rng);
  const all = ctx.allocator.allocate('cluster', ctx.totalGpus, 0);
  const wholeIteration = scenario.scope === 'iteration' && scenario.layout !== undefined;
  let clock = wholeIteration ? actorWeightSyncPhase(ctx, 0).endS : 0;

  if (inter) {
    const stageSettings = interStageSettings(base, inter.values);
    const decision = decideThreshold(
      ctx,
      {
        ...(inter.fixedThreshold !== undefined ? { fixed: inter.fixedThreshold } : {}),
        configured: inter.values.migrationThreshold,
        firstIteration: inter.values.firstIterationThreshold,
        gridStep: inter.values.thresholdGridStep,
        retuneDriftKs: inter.values.retuneDriftKs,
      },
      stageSettings,
      inter.tuning,
    );
    ctx.note(describeDecision(decision));
    ctx.count('migration_threshold', decision.threshold);
    clock = fusedGenerationInference(ctx, all, { readyS: clock, threshold: decision.threshold, settings: stageSettings }).endS;
  } else {
    const generation = { kind: 'continuous', assignment: base.promptAssignment } as const;
    clock = sequentialGenerationInference(ctx, all, { readyS: clock, generation, admissionWatermark: base.admissionWatermark, frozenModelsInHostMemory: base.frozenModelsInHostMemory, balance: true }).endS;
  }
  if (!wholeIteration) return withOverheadShares(ctx.finish(), ctx.totalGpus);
  ctx.count('generation_inference_s', clock);

  const samplesPerMiniBatch = ctx.samplesPerMiniBatch();
  const sampleOrder = ctx.shuffledSampleIds();
  const fused =
    intra && ctx.hasCriticInference()
      ? fusedTrainingPhase(ctx, all, {
          readyS: clock,
          samplesPerMiniBatch,
          sampleOrder,
          searchEvaluations: intra.fusedSearchEvaluations,
          memoryReserveBytes: intra.trainingMemoryReserveGib * GIB,
        })
      : undefined;
  if (intra && !ctx.hasCriticInference()) ctx.note('intra-stage fusion needs a critic (PPO): the actor trains alone');
  if (fused) {
    ctx.count('training_fused_compute_s', fused.fusedComputeS);
    ctx.count('training_serial_compute_s', fused.serialComputeS);
  } else sequentialTraining(ctx, all, { readyS: clock, samplesPerMiniBatch, sampleOrder, balance: true });
  return withOverheadShares(ctx.finish(), ctx.totalGpus);
}
