import type { TaskLayout } from '../../scenario/scenario.js';
import { IterationContext } from '../iteration-context.js';
import { continuousGenerationPhase, cpuRewardPhase, forwardPhase, overheadPhase, scenarioEngine, staticGenerationPhase, trainPhase, type Phase } from '../phases.js';
import { hostLoadS, reshardS } from '../weight-sync.js';
import type { PoolRef } from '../../sim/types.js';

/**
 * The sequential plan shared by ReaLHF and RLHFuse-Base: every task has its own parallel layout
 * on the one co-located pool, stages run one after another — weight reallocation into the
 * generation layout, generation, (frozen-model loading), ref / reward / values forwards (with the
 * critic reallocated between its inference and training layouts), actor then critic 1F1B training.
 */
export interface SequentialPlanOptions {
  readonly generation: { readonly kind: 'continuous'; readonly assignment: 'contiguous' | 'round-robin' } | { readonly kind: 'static'; readonly microBatchesPerInstance: number };
  readonly admissionWatermark: number;
  /** Ref and reward weights live in host memory and are loaded for the inference stage (RLHFuse). */
  readonly frozenModelsInHostMemory: boolean;
  /** Balance DP groups by tokens in inference and training (RLHFuse). */
  readonly balance: boolean;
}

function layoutGpus(layout: Pick<TaskLayout, 'tp' | 'pp' | 'dp'>): number {
  return layout.tp * layout.pp * layout.dp;
}

export function runSequentialPlan(ctx: IterationContext, options: SequentialPlanOptions) {
  const { scenario, cost } = ctx;
  const all = ctx.allocator.allocate('cluster', ctx.totalGpus, 0);
  const gen = scenario.generation;
  const placementOf = (gpus: number) => (ctx.crossNode(0, gpus) ? 'other-node' : 'same-node');
  let clock = 0;
  const step = (phase: Phase) => {
    clock = phase.endS;
  };
  const layouts = scenario.layout;
  const wholeIteration = scenario.scope === 'iteration' && layouts !== undefined;
  if (wholeIteration) {
    const trainGpus = layoutGpus(layouts.actorTrain);
    const syncS = reshardS(cost, ctx.weightBytes('actor'), { train: layouts.actorTrain, generation: { tp: gen.tp, pp: 1 } }, 'hybrid-engine', placementOf(trainGpus));
    step(overheadPhase(ctx, { name: 'cluster', firstGpu: 0, gpus: Math.max(trainGpus, gen.tp * gen.instances) }, { task: 'weight-sync', stage: 'weight-sync', durationS: syncS, readyS: 0, model: scenario.models.actor }));
  }
  const engine = scenarioEngine(ctx, options.admissionWatermark);
  if (options.generation.kind === 'continuous') {
    step(continuousGenerationPhase(ctx, all, { tp: gen.tp, instances: gen.instances, readyS: clock, promptSharing: gen.promptSharing, assignment: options.generation.assignment, engine }));
  } else {
    const perInstance = Math.ceil(ctx.table.count / gen.instances);
    const batchSequences = Math.max(1, Math.ceil(perInstance / options.generation.microBatchesPerInstance));
    step(staticGenerationPhase(ctx, all, { tp: gen.tp, instances: gen.instances, readyS: clock, batchSequences, padPromptsToLongest: false, engine }));
  }
  if (!wholeIteration) return ctx.finish();

  const pool = (gpus: number): PoolRef => ({ name: 'cluster', firstGpu: 0, gpus });
  if (options.frozenModelsInHostMemory) {
    for (const [task, role, layout] of [
      ['load-ref', 'ref', layouts.ref],
      ['load-reward', 'reward', layouts.reward],
    ] as const) {
      if (!layout || !ctx.hasModel(role)) continue;
      const durationS = hostLoadS(cost, ctx.weightBytes(role), layout.dp, layoutGpus(layout));
      step(overheadPhase(ctx, pool(layoutGpus(layout)), { task, stage: 'model-load', durationS, readyS: clock, model: scenario.models[role]! }));
    }
  }
  step(forwardPhase(ctx, all, { task: 'ref', role: 'ref', layout: layouts.ref, readyS: clock, balance: options.balance }));
  if (layouts.reward && ctx.hasModel('reward')) step(forwardPhase(ctx, all, { task: 'reward', role: 'reward', layout: layouts.reward, readyS: clock, balance: options.balance }));
  else step(cpuRewardPhase(ctx, clock));
  const ppo = scenario.algorithm.kind === 'ppo' && layouts.criticInference !== undefined && layouts.criticTrain !== undefined;
  const criticBytes = ppo ? ctx.weightBytes('critic') : 0;
  if (ppo) {
    const inference = layouts.criticInference!;
    const train = layouts.criticTrain!;
    // The critic lives in its training layout between iterations; values need its inference layout.
    const toInferenceS = reshardS(cost, criticBytes, { train, generation: { tp: inference.tp, pp: inference.pp } }, 'hybrid-engine', placementOf(layoutGpus(train)));
    step(overheadPhase(ctx, pool(Math.max(layoutGpus(train), layoutGpus(inference))), { task: 'reshard-critic', stage: 'reallocation', durationS: toInferenceS, readyS: clock, model: scenario.models.critic! }));
    step(forwardPhase(ctx, all, { task: 'values', role: 'critic', layout: inference, readyS: clock, balance: options.balance }));
  }
  const samplesPerMiniBatch = ctx.samplesPerMiniBatch();
  const order = ctx.shuffledSampleIds();
  step(trainPhase(ctx, all, { task: 'update_actor', role: 'actor', layout: layouts.actorTrain, readyS: clock, mode: 'pipeline', balance: options.balance, samplesPerMiniBatch, sampleOrder: order }));
  if (ppo) {
    step(trainPhase(ctx, all, { task: 'update_critic', role: 'critic', layout: layouts.criticTrain!, readyS: clock, mode: 'pipeline', balance: options.balance, samplesPerMiniBatch, sampleOrder: order }));
  }
  return ctx.finish();
}
