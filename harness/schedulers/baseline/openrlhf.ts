import { InputError } from '../../util/input-error.js';
import { IterationContext, type ModelRole } from '../iteration-context.js';
import { continuousGenerationPhase, cpuRewardPhase, forwardPhase, overheadPhase, scenarioEngine, trainPhase, type Phase } from '../phases.js';
import { ADMISSION_WATERMARK, numberParameter, schedulerParameters, ZERO3_COMMUNICATION_OVERLAP } from '../parameters/index.js';
import type { SchedulerEntry } from '../types.js';
import { broadcastWeightsS } from '../weight-sync.js';
import type { PoolRef } from '../../sim/types.js';

const openrlhfParameters = schedulerParameters('openrlhf', {
  engineGpuShare: numberParameter({
    name: 'engine-gpu-share',
    default: 0.5,
    unit: 'fraction of GPUs',
    why: "share of the cluster given to the vLLM engines; OpenRLHF's examples split roughly half to rollout",
    range: [0.05, 0.95],
  }),
  actorPoolShare: numberParameter({
    name: 'actor-pool-share',
    default: 0.5,
    unit: 'fraction of the non-engine GPUs',
    why: 'PPO: share of the remaining GPUs for the actor (+ colocated ref); the rest hold critic (+ colocated reward), as with --colocate_actor_ref --colocate_critic_reward',
    range: [0.1, 0.9],
  }),
  admissionWatermark: ADMISSION_WATERMARK,
  zero3CommunicationOverlap: ZERO3_COMMUNICATION_OVERLAP,
});

/**
 * OpenRLHF (Ray): separate GPU pools — vLLM engines, actor (+ ref), critic (+ reward). Each
 * iteration the actor's weights are NCCL-broadcast to the engines, the engines generate
 * (continuous batching), experience is made on the training-side pools in parallel (old log-prob
 * and ref on the actor pool; values and reward on the critic pool), then actor and critic train
 * concurrently with DeepSpeed ZeRO-3. Every pool is held (and paid for) the whole iteration.
 */
export function runOpenrlhf(...args: Parameters<SchedulerEntry['run']>) {
  const [scenario, iteration, cost, rng] = args;
  const p = openrlhfParameters.resolve(scenario);
  const ctx = new IterationContext('openrlhf', scenario, iteration, cost, rng);
  const gen = scenario.generation;
  const ppo = scenario.algorithm.kind === 'ppo' && scenario.layout?.criticTrain !== undefined && scenario.layout.criticInference !== undefined;
  const wholeIteration = scenario.scope === 'iteration' && scenario.layout !== undefined;
  const instances = wholeIteration ? Math.max(1, Math.floor((p.engineGpuShare * ctx.totalGpus) / gen.tp)) : Math.floor(ctx.totalGpus / gen.tp);
  const engineGpus = instances * gen.tp;
  const rest = ctx.totalGpus - engineGpus;
  if (wholeIteration && rest < (ppo ? 2 : 1)) {
    throw new InputError({
      file: scenario.file ?? '(scenario)',
      field: openrlhfParameters.field('engineGpuShare'),
      value: p.engineGpuShare,
      message: `leaves ${rest} GPUs for the training pools of a ${ctx.totalGpus}-GPU cluster`,
    });
  }
  const actorGpus = ppo ? Math.min(rest - 1, Math.max(1, Math.round(rest * p.actorPoolShare))) : rest;
  const criticGpus = rest - actorGpus;
  const engines = ctx.allocator.allocate('engines', engineGpus, 0);
  let clock = 0;
  if (wholeIteration) {
    const actorPool = ctx.allocator.allocate('actor', actorGpus, 0);
    if (criticGpus > 0) ctx.allocator.allocate('critic', criticGpus, 0);
    // NCCL broadcast of the actor's weights from the actor pool to every engine.
    const syncS = broadcastWeightsS(cost, ctx.weightBytes('actor'), ctx.crossNode(0, engineGpus + actorGpus) ? 'other-node' : 'same-node');
    const span: PoolRef = { name: 'engines+actor', firstGpu: engines.firstGpu, gpus: engineGpus + actorPool.gpus };
    clock = overheadPhase(ctx, span, { task: 'weight-sync', stage: 'weight-sync', durationS: syncS, readyS: 0, model: scenario.models.actor }).endS;
  }
  const generated = continuousGenerationPhase(ctx, engines, {
    tp: gen.tp,
    instances,
    readyS: clock,
    promptSharing: gen.promptSharing,
    assignment: 'contiguous',
    engine: scenarioEngine(ctx, p.admissionWatermark),
  });
  if (instances !== gen.instances) ctx.note(`openrlhf runs ${instances} vLLM engines of TP ${gen.tp} on its engine pool (scenario: ${gen.instances})`);
  if (!wholeIteration) return ctx.finish();
  const layouts = scenario.layout!;
  const actorPool: PoolRef = { name: 'actor', firstGpu: engineGpus, gpus: actorGpus };
  const criticPool: PoolRef = { name: 'critic', firstGpu: engineGpus + actorGpus, gpus: criticGpus };
  const crossNode = (pool: PoolRef) => ctx.crossNode(pool.firstGpu, pool.gpus);
  const overlap = p.zero3CommunicationOverlap;
  // DeepSpeed ZeRO-3 everywhere: every GPU of a pool is a DP rank that all-gathers parameters per forward batch.
  const forwardOn = (pool: PoolRef, task: string, role: ModelRole, microBatchSamples: number, readyS: number): Phase =>
    forwardPhase(ctx, pool, {
      task,
      role,
      layout: { tp: 1, pp: 1, dp: pool.gpus, microBatchSamples },
      readyS,
      balance: false,
      perBatchOverheadS: 0.5 * cost.allReduceS(ctx.weightBytes(role), pool.gpus, crossNode(pool)),
      communicationOverlap: overlap,
    });
  const actorInference = layouts.actorInference ?? layouts.actorTrain;
  let actorSide = forwardOn(actorPool, 'old_log_prob', 'actor', actorInference.microBatchSamples, generated.endS);
  actorSide = forwardOn(actorPool, 'ref', 'ref', layouts.ref.microBatchSamples, actorSide.endS);
  let criticSide: Phase = { startS: generated.endS, endS: generated.endS };
  if (ppo) criticSide = forwardOn(criticPool, 'values', 'critic', layouts.criticInference!.microBatchSamples, generated.endS);
  const rewardPool = ppo ? criticPool : actorPool;
  const rewardReady = ppo ? criticSide.endS : actorSide.endS;
  const reward = layouts.reward && ctx.hasModel('reward') ? forwardOn(rewardPool, 'reward', 'reward', layouts.reward.microBatchSamples, rewardReady) : cpuRewardPhase(ctx, generated.endS);
  if (ppo) criticSide = { startS: criticSide.startS, endS: Math.max(criticSide.endS, reward.endS) };
  else actorSide = { startS: actorSide.startS, endS: Math.max(actorSide.endS, reward.endS) };
  // Training needs every experience: both sides must be done.
  const experienceDoneS = Math.max(actorSide.endS, criticSide.endS, reward.endS);
  const samplesPerMiniBatch = ctx.samplesPerMiniBatch();
  const order = ctx.shuffledSampleIds();
  const trainOn = (pool: PoolRef, task: string, role: ModelRole, microBatchSamples: number) =>
    trainPhase(ctx, pool, {
      task,
      role,
      layout: { tp: 1, pp: 1, dp: pool.gpus, microBatchSamples },
      readyS: experienceDoneS,
      mode: 'sharded',
      balance: false,
      samplesPerMiniBatch,
      communicationOverlap: overlap,
      sampleOrder: order,
    });
  trainOn(actorPool, 'update_actor', 'actor', layouts.actorTrain.microBatchSamples);
  if (ppo) trainOn(criticPool, 'update_critic', 'critic', layouts.criticTrain!.microBatchSamples);
  return ctx.finish();
}

export const openrlhf: SchedulerEntry = {
  name: 'openrlhf',
  description: 'OpenRLHF: separate pools for vLLM engines, actor (+ref) and critic (+reward); experience and training run concurrently across pools; NCCL weight broadcast',
  sources: ['OpenRLHF, arXiv 2405.11143', 'reference/hardware-and-models.md §5.4'],
  assumptions: openrlhfParameters.assumptions,
  run: runOpenrlhf,
};
