import type { CostModel } from '../../cost/types.js';
import type { Scenario, TaskLayout } from '../../scenario/scenario.js';
import type { Span } from '../../sim/types.js';
import type { SampleGroup } from '../../traces/types.js';
import type { Rng } from '../../util/rng.js';
import { verlForwardPhase, verlTrainPhase, type VerlWorkerSettings } from '../baseline/verl-workers.js';
import { IterationContext, type ModelRole } from '../iteration-context.js';
import { cpuRewardPhase } from '../phases.js';
import type { AsyncPools } from './pools.js';

/** What the trainer runs on the samples of one update (a one-step-off step, a fully-async local step). */
export interface TrainerWork {
  readonly workers: VerlWorkerSettings;
  /** The trainer computes the reference log-probs (a KL term needs them). */
  readonly referencePolicy: boolean;
  /** The trainer recomputes the old log-probs; false trains on the rollout's (veRL bypass mode, use_rollout_log_probs). */
  readonly recomputeOldLogProb: boolean;
}

export interface TrainerStep {
  /** From the first call's dispatch to the end of the update. */
  readonly durationS: number;
  /** The step's spans, times from its start. */
  readonly spans: readonly Span[];
  readonly responseTokens: number;
  readonly promptTokens: number;
  readonly samples: number;
}

/**
 * The trainer's calls on one batch of prompt groups, in veRL's order on the trainer pool:
 * the rule-based reward on the driver, old log-probs (unless the rollout's are used), reference
 * log-probs (when a KL term needs them), values and the critic update for PPO, then the actor
 * update — each one the veRL worker call the co-located baseline runs (baseline/verl-workers.ts:
 * dispatch, FSDP gathers, Ulysses, dynamic batches, offload), on the trainer's GPUs only. Simulated
 * in a context of its own (the batch is these groups, not the trace iteration's), so the caller
 * places the step on its own timeline.
 */
export function trainerStep(scenario: Scenario, cost: CostModel, rng: Rng, pools: AsyncPools, work: TrainerWork, groups: readonly SampleGroup[], iteration: number): TrainerStep {
  const ctx = new IterationContext('trainer', scenario, { iteration, groups }, cost, rng);
  const pool = pools.trainer;
  let clock = cpuRewardPhase(ctx, 0).endS;
  const forward = (task: string, role: ModelRole, layout: TaskLayout) => {
    clock = verlForwardPhase(ctx, pool, work.workers, { task, role, layout, readyS: clock }).endS;
  };
  if (work.recomputeOldLogProb) forward('old_log_prob', 'actor', pools.actorInference);
  if (work.referencePolicy) forward('ref', 'ref', pools.ref);
  const ppo = pools.criticInference !== undefined && pools.criticTrain !== undefined && ctx.hasCriticInference();
  if (ppo) forward('values', 'critic', pools.criticInference!);
  const samplesPerMiniBatch = ctx.samplesPerMiniBatch();
  const sampleOrder = ctx.shuffledSampleIds();
  const train = (task: string, role: ModelRole, layout: TaskLayout) => {
    clock = verlTrainPhase(ctx, pool, work.workers, { task, role, layout, readyS: clock, samplesPerMiniBatch, sampleOrder }).endS;
  };
  if (ppo) train('update_critic', 'critic', pools.criticTrain!);
  train('update_actor', 'actor', pools.actorTrain);
  return {
    durationS: clock,
    spans: ctx.timeline.spans(),
    responseTokens: ctx.table.totalResponseTokens,
    promptTokens: ctx.table.totalPromptTokens,
    samples: ctx.table.count,
  };
}
