import type { TaskLayout } from '../../scenario/scenario.js';
import { IterationContext, type ModelRole } from '../iteration-context.js';
import { continuousGenerationPhase, cpuRewardPhase, forwardPhase, overheadPhase, scenarioEngine, trainPhase, type Phase } from '../phases.js';
import { ADMISSION_WATERMARK, booleanParameter, REFERENCE_POLICY, schedulerParameters } from '../parameters/index.js';
import { assertTrainingFits } from '../training/memory-check.js';
import type { SchedulerEntry } from '../types.js';
import { reshardS } from '../weight-sync.js';

const VERL_MEGATRON = 'volcengine/verl 028af31be124b2a8d6d9c3b9ddd9cbdd64a281df verl/trainer/config/ppo_megatron_trainer.yaml';

const megatronColocatedParameters = schedulerParameters('megatron-colocated', {
  admissionWatermark: ADMISSION_WATERMARK,
  referencePolicy: REFERENCE_POLICY,
  distributedOptimizer: booleanParameter({
    name: 'distributed-optimizer',
    default: true,
    why: `Megatron's distributed optimizer shards the fp32 optimizer state over the data-parallel ranks (gradients reduce-scattered, parameters all-gathered): ${VERL_MEGATRON} actor.megatron.use_distributed_optimizer True (critic too); NeMo-RL's Megatron policy sets it in its examples`,
  }),
  optimizerOffload: booleanParameter({
    name: 'optimizer-offload',
    default: false,
    why: `${VERL_MEGATRON} actor.megatron.optimizer_offload False; the large MoE recipes set it (CPU optimizer): the optimizer state and fp32 master copy leave GPU memory (memory feasibility); the host's Adam step is not priced`,
  }),
  paramOffload: booleanParameter({
    name: 'param-offload',
    default: false,
    why: `${VERL_MEGATRON} actor.megatron.param_offload False: Megatron's parameters and gradients go to host memory between phases, not while training, so the training peak is unchanged (cost/memory.ts); the copies are not priced`,
  }),
  vllmSleepMode: booleanParameter({
    name: 'vllm-sleep-mode',
    default: true,
    why: "the co-located engine sleeps between rollouts (weights offloaded to host memory, KV cache freed) and wakes before the next (reference §5.3; veRL's Megatron and FSDP workers share the sharding manager's sleep/wake)",
  }),
});

function layoutOf(layout: TaskLayout | undefined, fallback: TaskLayout): TaskLayout {
  return layout ?? fallback;
}

/**
 * A co-located synchronous RLHF step on Megatron-Core, as veRL's Megatron workers and NeMo-RL's
 * Megatron policy run it: every role on one GPU pool, calls one after another — switch to
 * rollout (the actor's Megatron shards gathered over its model-parallel group, TP × PP × EP, and
 * loaded into the engine), generate on the scenario's engine instances (continuous batching),
 * engine to sleep, reward, old log-prob, ref, values, update critic, update actor. Forwards run the
 * task's TP × PP layout; updates run Megatron's TP × PP (× CP) × DP with EP all-to-alls, 1F1B
 * (interleaved under VPP) and the distributed optimizer (training/train-stage.ts pipeline mode).
 * Each update is first checked for memory: a layout that cannot fit is refused with the numbers.
 * The frameworks' own per-call overheads (driver transfers, Python per micro-batch) are not
 * modelled here.
 */
export function runMegatronColocated(...args: Parameters<SchedulerEntry['run']>) {
  const [scenario, iteration, cost, rng] = args;
  const p = megatronColocatedParameters.resolve(scenario);
  const ctx = new IterationContext('megatron-colocated', scenario, iteration, cost, rng);
  const gen = scenario.generation;
  const generationGpus = gen.tp * gen.instances;
  const wholeIteration = scenario.scope === 'iteration' && scenario.layout !== undefined;
  const samplesPerMiniBatch = ctx.samplesPerMiniBatch();
  const memory = { engine: 'megatron' as const, distributedOptimizer: p.distributedOptimizer, optimizerOffload: p.optimizerOffload, paramOffload: p.paramOffload };
  const microBatchesPerPipeline = (layout: TaskLayout) => Math.max(1, Math.ceil(samplesPerMiniBatch / (layout.dp * layout.microBatchSamples)));
  const ppo = wholeIteration && scenario.algorithm.kind === 'ppo' && scenario.layout!.criticTrain !== undefined && scenario.layout!.criticInference !== undefined;
  if (wholeIteration) {
    const layouts = scenario.layout!;
    assertTrainingFits(ctx, 'actor', 'actorTrain', layouts.actorTrain, { ...memory, microBatches: microBatchesPerPipeline(layouts.actorTrain) });
    if (ppo) assertTrainingFits(ctx, 'critic', 'criticTrain', layouts.criticTrain!, { ...memory, microBatches: microBatchesPerPipeline(layouts.criticTrain!) });
  }
  const all = ctx.allocator.allocate('cluster', ctx.totalGpus, 0);
  const actorModel = scenario.models.actor;
  const engineShardBytes = ctx.replica('actor', { tp: gen.tp, pp: 1 }).weightBytesPerGpu;
  let clock = 0;
  if (wholeIteration) {
    const train = scenario.layout!.actorTrain;
    // Every GPU gathers the tensors its engine shard needs from the actor's model-parallel group (TP × PP, and EP for the experts).
    const group = { tp: train.tp, pp: train.pp, dp: train.ep ?? 1 };
    const placement = ctx.crossNode(0, train.tp * train.pp * (train.ep ?? 1)) ? 'other-node' : 'same-node';
    const gatherS = reshardS(cost, ctx.weightBytes('actor'), { train: group, generation: { tp: gen.tp, pp: 1 } }, 'gather-all', placement);
    const wakeS = p.vllmSleepMode ? cost.hostToGpuS(engineShardBytes * generationGpus, generationGpus) : 0;
    const loadS = cost.transferS(engineShardBytes, 'same-gpu');
    clock = overheadPhase(ctx, all, { task: 'weight-sync', stage: 'weight-sync', durationS: gatherS + wakeS + loadS, readyS: 0, model: actorModel }).endS;
  }
  const generated = continuousGenerationPhase(ctx, all, {
    tp: gen.tp,
    instances: gen.instances,
    readyS: clock,
    promptSharing: gen.promptSharing,
    assignment: 'contiguous',
    engine: scenarioEngine(ctx, p.admissionWatermark),
  });
  if (!wholeIteration) return ctx.finish();
  const layouts = scenario.layout!;
  clock = generated.endS;
  if (p.vllmSleepMode) {
    const sleepS = cost.hostToGpuS(engineShardBytes * generationGpus, generationGpus);
    clock = overheadPhase(ctx, { name: 'cluster', firstGpu: 0, gpus: generationGpus }, { task: 'weight-sync', stage: 'weight-sync', durationS: sleepS, readyS: clock, model: actorModel }).endS;
  }
  const step = (phase: Phase) => {
    clock = phase.endS;
  };
  const forward = (task: string, role: ModelRole, layout: TaskLayout) => step(forwardPhase(ctx, all, { task, role, layout, readyS: clock, balance: true }));
  if (layouts.reward && ctx.hasModel('reward')) forward('reward', 'reward', layouts.reward);
  else step(cpuRewardPhase(ctx, clock));
  forward('old_log_prob', 'actor', layoutOf(layouts.actorInference, layouts.actorTrain));
  if (p.referencePolicy) forward('ref', 'ref', layouts.ref);
  if (ppo) forward('values', 'critic', layouts.criticInference!);
  const sampleOrder = ctx.shuffledSampleIds();
  const train = (task: string, role: ModelRole, layout: TaskLayout) =>
    step(
      trainPhase(ctx, all, {
        task,
        role,
        layout,
        readyS: clock,
        mode: 'pipeline',
        balance: true,
        samplesPerMiniBatch,
        sampleOrder,
        pipeline: { distributedOptimizer: p.distributedOptimizer },
      }),
    );
  if (ppo) train('update_critic', 'critic', layouts.criticTrain!);
  train('update_actor', 'actor', layouts.actorTrain);
  return ctx.finish();
}

export const megatronColocated: SchedulerEntry = {
  name: 'megatron-colocated',
  description:
    'co-located synchronous step on Megatron-Core (veRL Megatron workers, NeMo-RL): one GPU pool, calls in sequence, weights gathered over the model-parallel group into a sleeping engine, Megatron TP/PP/VPP/CP/EP updates with the distributed optimizer, memory checked',
  sources: [VERL_MEGATRON, 'reference/hardware-and-models.md §5.3 (co-located call order, sleep/wake)', 'HybridFlow, arXiv 2409.19256', 'harness/cost/memory.ts (Megatron memory per GPU)'],
  assumptions: megatronColocatedParameters.assumptions,
  run: runMegatronColocated,
};
