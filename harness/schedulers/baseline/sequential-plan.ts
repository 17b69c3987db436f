import type { TaskLayout } from '../../scenario/scenario.js';
import type { PoolRef } from '../../sim/types.js';
import type { IterationContext } from '../iteration-context.js';
import { continuousGenerationPhase, cpuRewardPhase, forwardPhase, overheadPhase, scenarioEngine, staticGenerationPhase, trainPhase, type Phase } from '../phases.js';
import { hostLoadS, reshardS } from '../weight-sync.js';

/**
 * The sequential plan of ReaLHF and RLHFuse-Base: every task has its own parallel layout on the
 * one co-located pool, stages run one after another — weight reallocation into the generation
 * layout, generation, (frozen-model loading), ref / reward / values forwards (with the critic
 * reallocated between its inference and training layouts), actor then critic 1F1B training.
 * ReaLHF runs it whole (`runSequentialPlan`); the RLHFuse plan (rlhfuse/plan.ts) runs these
 * stages where a fusion is off, so RLHFuse-Base and each ablation share one implementation.
 */
export type SequentialGeneration = { readonly kind: 'continuous'; readonly assignment: 'contiguous' | 'round-robin' } | { readonly kind: 'static'; readonly microBatchesPerInstance: number };

export interface SequentialStageOptions {
  readonly readyS: number;
  readonly generation: SequentialGeneration;
  readonly admissionWatermark: number;
  /** Ref and reward weights live in host memory and are loaded for the inference stage (RLHFuse). */
  readonly frozenModelsInHostMemory: boolean;
  /** Balance DP groups by tokens in inference and training (RLHFuse). */
  readonly balance: boolean;
}

function layoutGpus(layout: Pick<TaskLayout, 'tp' | 'pp' | 'dp'>): number {
  return layout.tp * layout.pp * layout.dp;
}

function placementOf(ctx: IterationContext, gpus: number) {
  return ctx.crossNode(0, gpus) ? 'other-node' : 'same-node';
}

/** Actor weights from the training layout into the generation layout, before generation. */
export function actorWeightSyncPhase(ctx: IterationContext, readyS: number): Phase {
  const layouts = ctx.scenario.layout!;
  const gen = ctx.scenario.generation;
  const trainGpus = layoutGpus(layouts.actorTrain);
  const syncS = reshardS(ctx.cost, ctx.weightBytes('actor'), { train: layouts.actorTrain, generation: { tp: gen.tp, pp: 1 } }, 'hybrid-engine', placementOf(ctx, trainGpus));
  return overheadPhase(ctx, { name: 'cluster', firstGpu: 0, gpus: Math.max(trainGpus, gen.tp * gen.instances) }, { task: 'weight-sync', stage: 'weight-sync', durationS: syncS, readyS, model: ctx.scenario.models.actor });
}

function generationPhase(ctx: IterationContext, pool: PoolRef, options: SequentialStageOptions): Phase {
  const gen = ctx.scenario.generation;
  const engine = scenarioEngine(ctx, options.admissionWatermark);
  if (options.generation.kind === 'continuous') {
    return continuousGenerationPhase(ctx, pool, { tp: gen.tp, instances: gen.instances, readyS: options.readyS, promptSharing: gen.promptSharing, assignment: options.generation.assignment, engine });
  }
  const perInstance = Math.ceil(ctx.table.count / gen.instances);
  const batchSequences = Math.max(1, Math.ceil(perInstance / options.generation.microBatchesPerInstance));
  return staticGenerationPhase(ctx, pool, { tp: gen.tp, instances: gen.instances, readyS: options.readyS, batchSequences, padPromptsToLongest: false, engine });
}

/** Generation on every instance, then (whole-iteration scope) frozen-model loads, ref, reward, critic reshard and values, one after another. */
export function sequentialGenerationInference(ctx: IterationContext, pool: PoolRef, options: SequentialStageOptions): Phase {
  const generation = generationPhase(ctx, pool, options);
  const layouts = ctx.scenario.layout;
  if (ctx.scenario.scope !== 'iteration' || !layouts) return generation;
  let clock = generation.endS;
  const step = (phase: Phase) => {
    clock = phase.endS;
  };
  const sub = (gpus: number): PoolRef => ({ name: 'cluster', firstGpu: 0, gpus });
  if (options.frozenModelsInHostMemory) {
    for (const [task, role, layout] of [
      ['load-ref', 'ref', layouts.ref],
      ['load-reward', 'reward', layouts.reward],
    ] as const) {
      if (!layout || !ctx.hasModel(role)) continue;
      const durationS = hostLoadS(ctx.cost, ctx.weightBytes(role), layout.dp, layoutGpus(layout));
      step(overheadPhase(ctx, sub(layoutGpus(layout)), { task, stage: 'model-load', durationS, readyS: clock, model: ctx.scenario.models[role]! }));
    }
  }
  step(forwardPhase(ctx, pool, { task: 'ref', role: 'ref', layout: layouts.ref, readyS: clock, balance: options.balance }));
  if (!ctx.hasCpuReward()) step(forwardPhase(ctx, pool, { task: 'reward', role: 'reward', layout: layouts.reward!, readyS: clock, balance: options.balance }));
  else step(cpuRewardPhase(ctx, clock));
  if (ctx.hasCriticInference()) {
    const inference = layouts.criticInference!;
    const train = layouts.criticTrain!;
    // The critic lives in its training layout between iterations; values need its inference layout.
    const toInferenceS = reshardS(ctx.cost, ctx.weightBytes('critic'), { train, generation: { tp: inference.tp, pp: inference.pp } }, 'hybrid-engine', placementOf(ctx, layoutGpus(train)));
    step(overheadPhase(ctx, sub(Math.max(layoutGpus(train), layoutGpus(inference))), { task: 'reshard-critic', stage: 'reallocation', durationS: toInferenceS, readyS: clock, model: ctx.scenario.models.critic! }));
    step(forwardPhase(ctx, pool, { task: 'values', role: 'critic', layout: inference, readyS: clock, balance: options.balance }));
  }
  return { startS: generation.startS, endS: clock };
}

export interface SequentialTrainingOptions {
  readonly readyS: number;
  readonly samplesPerMiniBatch: number;
  readonly sampleOrder: readonly number[];
  readonly balance: boolean;
}

/** Actor then critic PPO updates, each 1F1B over its own layout. */
export function sequentialTraining(ctx: IterationContext, pool: PoolRef, options: SequentialTrainingOptions): Phase {
  const layouts = ctx.scenario.layout!;
  const { samplesPerMiniBatch, sampleOrder, balance } = options;
  const actor = trainPhase(ctx, pool, { task: 'update_actor', role: 'actor', layout: layouts.actorTrain, readyS: options.readyS, mode: 'pipeline', balance, samplesPerMiniBatch, sampleOrder });
  if (!ctx.hasCriticInference()) return actor;
  const critic = trainPhase(ctx, pool, { task: 'update_critic', role: 'critic', layout: layouts.criticTrain!, readyS: actor.endS, mode: 'pipeline', balance, samplesPerMiniBatch, sampleOrder });
  return { startS: actor.startS, endS: critic.endS };
}

/** The whole plan on one co-located pool (ReaLHF). */
export function runSequentialPlan(ctx: IterationContext, options: Omit<SequentialStageOptions, 'readyS'>) {
  const all = ctx.allocator.allocate('cluster', ctx.totalGpus, 0);
  const wholeIteration = ctx.scenario.scope === 'iteration' && ctx.scenario.layout !== undefined;
  const readyS = wholeIteration ? actorWeightSyncPhase(ctx, 0).endS : 0;
  const inferred = sequentialGenerationInference(ctx, all, { ...options, readyS });
  if (!wholeIteration) return ctx.finish();
  const samplesPerMiniBatch = ctx.samplesPerMiniBatch();
  const sampleOrder = ctx.shuffledSampleIds();
  sequentialTraining(ctx, all, { readyS: inferred.endS, samplesPerMiniBatch, sampleOrder, balance: options.balance });
  return ctx.finish();
}
