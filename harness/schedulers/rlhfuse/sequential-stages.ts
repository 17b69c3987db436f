import type { TaskLayout } from '../../scenario/scenario.js';
import type { PoolRef } from '../../sim/types.js';
import type { IterationContext } from '../iteration-context.js';
import { continuousGenerationPhase, cpuRewardPhase, forwardPhase, overheadPhase, scenarioEngine, trainPhase, type Phase } from '../phases.js';
import { hostLoadS, reshardS } from '../weight-sync.js';
import { hasCpuReward, hasCriticInference } from './inference-roles.js';

/**
 * The unfused stages of RLHFuse-Base (harness/schedulers/baseline/sequential-plan.ts with
 * `balance: true` and continuous generation), for the ablations: `rlhfuse-intra` runs these
 * generation and inference stages, `rlhfuse-inter` the training stage. Kept step for step equal
 * to the baseline so an ablation differs from rlhfuse-base only in the fusion it adds (a test
 * pins this).
 */
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

export interface SequentialStageOptions {
  readonly readyS: number;
  readonly admissionWatermark: number;
  readonly assignment: 'contiguous' | 'round-robin';
  readonly frozenModelsInHostMemory: boolean;
}

/** Generation on every instance, then (whole-iteration scope) frozen-model loads, ref, reward, critic reshard and values, one after another. */
export function sequentialGenerationInference(ctx: IterationContext, pool: PoolRef, options: SequentialStageOptions): Phase {
  const gen = ctx.scenario.generation;
  const generation = continuousGenerationPhase(ctx, pool, {
    tp: gen.tp,
    instances: gen.instances,
    readyS: options.readyS,
    promptSharing: gen.promptSharing,
    assignment: options.assignment,
    engine: scenarioEngine(ctx, options.admissionWatermark),
  });
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
  step(forwardPhase(ctx, pool, { task: 'ref', role: 'ref', layout: layouts.ref, readyS: clock, balance: true }));
  if (!hasCpuReward(ctx)) step(forwardPhase(ctx, pool, { task: 'reward', role: 'reward', layout: layouts.reward!, readyS: clock, balance: true }));
  else step(cpuRewardPhase(ctx, clock));
  if (hasCriticInference(ctx)) {
    const inference = layouts.criticInference!;
    const train = layouts.criticTrain!;
    const toInferenceS = reshardS(ctx.cost, ctx.weightBytes('critic'), { train, generation: { tp: inference.tp, pp: inference.pp } }, 'hybrid-engine', placementOf(ctx, layoutGpus(train)));
    step(overheadPhase(ctx, sub(Math.max(layoutGpus(train), layoutGpus(inference))), { task: 'reshard-critic', stage: 'reallocation', durationS: toInferenceS, readyS: clock, model: ctx.scenario.models.critic! }));
    step(forwardPhase(ctx, pool, { task: 'values', role: 'critic', layout: inference, readyS: clock, balance: true }));
  }
  return { startS: generation.startS, endS: clock };
}

/** Actor then critic PPO updates, each 1F1B over its own layout (RLHFuse-Base's training). */
export function sequentialTraining(ctx: IterationContext, pool: PoolRef, readyS: number, samplesPerMiniBatch: number, sampleOrder: readonly number[]): Phase {
  const layouts = ctx.scenario.layout!;
  const actor = trainPhase(ctx, pool, { task: 'update_actor', role: 'actor', layout: layouts.actorTrain, readyS, mode: 'pipeline', balance: true, samplesPerMiniBatch, sampleOrder });
  if (!hasCriticInference(ctx)) return actor;
  const critic = trainPhase(ctx, pool, { task: 'update_critic', role: 'critic', layout: layouts.criticTrain!, readyS: actor.endS, mode: 'pipeline', balance: true, samplesPerMiniBatch, sampleOrder });
  return { startS: actor.startS, endS: critic.endS };
}
