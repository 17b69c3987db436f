import type { CostModel } from '../../cost/types.js';
import type { Scenario } from '../../scenario/scenario.js';
import type { IterationResult } from '../../sim/types.js';
import type { WorkloadIteration } from '../../traces/types.js';
import type { Rng } from '../../util/rng.js';
import { SchedulerParameters } from '../assumptions.js';
import { IterationContext } from '../iteration-context.js';
import type { ReplayHistory } from '../types.js';
import { MIGRATION_THRESHOLD, rlhfuseAssumptions } from './assumptions.js';
import { fusedGenerationInference, type InterStageSettings } from './generation-inference.js';
import { fusedTrainingPhase } from './fused-training.js';
import { hasCriticInference } from './inference-roles.js';
import { withOverheadShares } from './overhead-shares.js';
import { actorWeightSyncPhase, sequentialGenerationInference, sequentialTraining } from './sequential-stages.js';
import { decideThreshold, tuningHistory, type FirstIterationRule, type ThresholdDecision, type TuningHistory } from './threshold-tuning.js';
import type { HistoryFold } from '../types.js';
import type { KvReservation, WorkProxy } from './survivors.js';

const GIB = 1024 ** 3;

/** The tuning fold of each RLHFuse variant that tunes (inter-stage fusion), by name: what its entry declares and its runs read. */
const tuningHistories = new Map<string, HistoryFold<TuningHistory>>(['rlhfuse', 'rlhfuse-inter'].map((name) => [name, tuningHistory(name, rlhfuseAssumptions)]));

function tuningState(name: string, history: ReplayHistory | undefined): TuningHistory {
  const fold = tuningHistories.get(name);
  return history && fold ? history.state(fold) : { seen: 0 };
}

/** The replay folds an RLHFuse variant declares. */
export function rlhfuseHistory(name: string): readonly HistoryFold<TuningHistory>[] {
  const fold = tuningHistories.get(name);
  return fold ? [fold] : [];
}

export interface Fusions {
  /** Generation ⊕ inference (§2). */
  readonly inter: boolean;
  /** Actor ‖ critic training (§3). */
  readonly intra: boolean;
}

export function interStageSettings(p: SchedulerParameters): InterStageSettings {
  return {
    admissionWatermark: p.number('admission-watermark'),
    assignment: p.string('prompt-assignment') as InterStageSettings['assignment'],
    frozenModelsInHostMemory: p.boolean('frozen-models-in-host-memory'),
    flatBatchTolerance: p.number('flat-batch-tolerance'),
    kvReservation: p.string('kv-reservation') as KvReservation,
    workProxy: p.string('survivor-work-proxy') as WorkProxy,
    inferenceSplit: p.string('inference-split') as InterStageSettings['inferenceSplit'],
    weightsLoad: p.string('frozen-weights-load') as InterStageSettings['weightsLoad'],
    releaseDrainedInstances: p.boolean('release-drained-instances'),
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
 * (fused when `inter`); the inference → training barrier (PPO draws mini-batches from the whole
 * batch); actor and critic training (fused when `intra`). With neither fusion it is step for step
 * RLHFuse-Base.
 */
export function runRlhfuse(name: string, fusions: Fusions, scenario: Scenario, iteration: WorkloadIteration, cost: CostModel, rng: Rng, history?: ReplayHistory): IterationResult {
  const p = SchedulerParameters.fromScenario(name, rlhfuseAssumptions, scenario);
  const ctx = new IterationContext(name, scenario, iteration, cost, rng);
  const all = ctx.allocator.allocate('cluster', ctx.totalGpus, 0);
  const wholeIteration = scenario.scope === 'iteration' && scenario.layout !== undefined;
  let clock = wholeIteration ? actorWeightSyncPhase(ctx, 0).endS : 0;

  const settings = interStageSettings(p);
  if (fusions.inter) {
    const fixed = scenario.schedulerParameters[name]?.[MIGRATION_THRESHOLD];
    const decision = decideThreshold(
      ctx,
      {
        ...(typeof fixed === 'number' ? { fixed } : {}),
        configured: p.number(MIGRATION_THRESHOLD),
        firstIteration: p.string('first-iteration-threshold') as FirstIterationRule,
        gridStep: p.number('threshold-grid-step'),
        retuneDriftKs: p.number('retune-drift-ks'),
      },
      settings,
      tuningState(name, history),
    );
    ctx.note(describeDecision(decision));
    ctx.count('migration_threshold', decision.threshold);
    const stage = fusedGenerationInference(ctx, all, { readyS: clock, threshold: decision.threshold, settings });
    clock = stage.endS;
  } else {
    clock = sequentialGenerationInference(ctx, all, { readyS: clock, admissionWatermark: settings.admissionWatermark, assignment: settings.assignment, frozenModelsInHostMemory: settings.frozenModelsInHostMemory }).endS;
  }
  if (!wholeIteration) return withOverheadShares(ctx.finish(), ctx.totalGpus);
  ctx.count('generation_inference_s', clock);

  const samplesPerMiniBatch = ctx.samplesPerMiniBatch();
  const order = ctx.shuffledSampleIds();
  const fused =
    fusions.intra && hasCriticInference(ctx)
      ? fusedTrainingPhase(ctx, all, {
          readyS: clock,
          samplesPerMiniBatch,
          sampleOrder: order,
          searchEvaluations: p.number('fused-search-evaluations'),
          memoryReserveBytes: p.number('training-memory-reserve-gib') * GIB,
        })
      : undefined;
  if (fusions.intra && !hasCriticInference(ctx)) ctx.note('intra-stage fusion needs a critic (PPO): the actor trains alone');
  if (fused) {
    ctx.count('training_fused_compute_s', fused.fusedComputeS);
    ctx.count('training_serial_compute_s', fused.serialComputeS);
  } else sequentialTraining(ctx, all, clock, samplesPerMiniBatch, order);
  return withOverheadShares(ctx.finish(), ctx.totalGpus);
}
