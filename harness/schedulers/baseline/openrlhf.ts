import { InputError } from '../../util/input-error.js';
import { IterationContext, type ModelRole } from '../iteration-context.js';
import { continuousGenerationPhase, cpuRewardPhase, forwardPhase, overheadPhase, scenarioEngine, staticGenerationPhase, trainPhase, type Phase } from '../phases.js';
import { ADMISSION_WATERMARK, choiceParameter, numberParameter, parsedParameter, schedulerParameters, ZERO3_COMMUNICATION_OVERLAP } from '../parameters/index.js';
import { assertTrainingFits } from '../training/memory-check.js';
import type { SchedulerEntry } from '../types.js';
import { broadcastWeightsS } from '../weight-sync.js';
import type { PoolRef } from '../../sim/types.js';
import { layOutPools, parsePoolRatio, POOL_RATIO_EXPECTED, ratioGpus, type OpenrlhfPools, type PoolRatio, type PoolRole } from './openrlhf-pools.js';

const OPENRLHF_V030 = 'OpenRLHF d1d595a535c877de829cd133dc6a9d4763263094 (v0.3.0)';

const openrlhfParameters = schedulerParameters('openrlhf', {
  engineGpuShare: numberParameter({
    name: 'engine-gpu-share',
    default: 0.5,
    unit: 'fraction of GPUs',
    why: "share of the cluster given to the vLLM engines when pool-ratio is 'shares'; OpenRLHF's examples split roughly half to rollout",
    range: [0.05, 0.95],
  }),
  actorPoolShare: numberParameter({
    name: 'actor-pool-share',
    default: 0.5,
    unit: 'fraction of the non-engine GPUs',
    why: "PPO, pool-ratio 'shares': share of the remaining GPUs for the actor (+ colocated ref); the rest hold critic (+ colocated reward), as with --colocate_actor_ref --colocate_critic_reward",
    range: [0.1, 0.9],
  }),
  poolRatio: parsedParameter<PoolRatio>({
    name: 'pool-ratio',
    default: 'shares',
    unit: 'actor:critic:reward:ref:vllm',
    expected: POOL_RATIO_EXPECTED,
    why: `OpenRLHF gives every role its own placement group (--{actor,critic,reward,ref}_num_nodes × _num_gpus_per_node, --vllm_num_engines × --vllm_tensor_parallel_size: ${OPENRLHF_V030} examples/train_ppo_ray.py; its 7B example uses actor 4, critic 2, reward 1, ref 1 GPUs); a ratio sizes them in proportion to the cluster. 'shares' (default) splits by engine-gpu-share and actor-pool-share with ref on the actor's and reward on the critic's GPUs`,
    parse: parsePoolRatio,
  }),
  generation: choiceParameter({
    name: 'generation',
    default: 'vllm',
    unit: 'rollout engine',
    choices: ['vllm', 'hf-generate'],
    why: `OpenRLHF generates on vLLM engines when --vllm_num_engines is set; without it every actor rank runs HF generate on its micro-rollout batch (${OPENRLHF_V030} openrlhf/trainer/ppo_utils/experience_maker.py _generate_local / _generate_vllm), with DeepSpeed ZeRO-2 (ZeRO-3 is refused without vLLM: train_ppo_ray.py)`,
  }),
  microRolloutBatch: numberParameter({
    name: 'micro-rollout-batch-size',
    default: 8,
    unit: 'prompts per actor GPU',
    range: [1, 4096],
    integer: true,
    why: `${OPENRLHF_V030} train_ppo_ray.py --micro_rollout_batch_size default 8: the prompts one actor rank generates at once with HF generate (generation 'hf-generate')`,
  }),
  admissionWatermark: ADMISSION_WATERMARK,
  zero3CommunicationOverlap: ZERO3_COMMUNICATION_OVERLAP,
});

type Parameters_ = ReturnType<typeof openrlhfParameters.resolve>;

/** GPUs per pool from the parameters: the ratio's, or the shares' (engines first, then actor and critic). */
function poolGpus(ctx: IterationContext, p: Parameters_, ppo: boolean, wholeIteration: boolean): Record<PoolRole, number> {
  const scenario = ctx.scenario;
  const gen = scenario.generation;
  const hf = p.generation === 'hf-generate';
  const file = scenario.file ?? '(scenario)';
  const problem = (message: string, field: 'poolRatio' | 'engineGpuShare' | 'generation' = 'poolRatio', value: unknown = scenario.schedulerParameters['openrlhf']?.['pool-ratio']) =>
    new InputError({ file, field: openrlhfParameters.field(field), value, message });
  if (!wholeIteration) {
    // Generation only: every GPU generates.
    return { actor: hf ? ctx.totalGpus : 0, critic: 0, reward: 0, ref: 0, vllm: hf ? 0 : Math.floor(ctx.totalGpus / gen.tp) * gen.tp };
  }
  if (p.poolRatio.kind === 'ratio') {
    const split = ratioGpus(p.poolRatio.weights, ctx.totalGpus);
    if ('problem' in split) throw problem(split.problem);
    const gpus = split.gpus;
    if (hf && gpus.vllm > 0) throw problem(`gives ${gpus.vllm} GPUs to vLLM engines, but generation is 'hf-generate' (the actor generates): set the vllm weight to 0`);
    if (!hf && gpus.vllm === 0) throw problem("gives no GPUs to vLLM engines: set a vllm weight, or generation 'hf-generate'");
    if (gpus.vllm % gen.tp !== 0) throw problem(`gives ${gpus.vllm} GPUs to vLLM engines, not a multiple of generation.tp ${gen.tp}`);
    if (!ppo && gpus.critic > 0) throw problem(`gives ${gpus.critic} GPUs to a critic, but ${scenario.algorithm.kind.toUpperCase()} has none: set the critic weight to 0`);
    if (ppo && gpus.critic === 0) throw problem('gives the critic no GPUs: PPO trains one');
    if (!ctx.hasModel('reward') && gpus.reward > 0) throw problem(`gives ${gpus.reward} GPUs to a reward model, but the scenario has none (a rule-based reward on the CPU): set the reward weight to 0`);
    return gpus;
  }
  const instances = hf ? 0 : Math.max(1, Math.floor((p.engineGpuShare * ctx.totalGpus) / gen.tp));
  const engineGpus = instances * gen.tp;
  const rest = ctx.totalGpus - engineGpus;
  if (rest < (ppo ? 2 : 1)) throw problem(`leaves ${rest} GPUs for the training pools of a ${ctx.totalGpus}-GPU cluster`, 'engineGpuShare', p.engineGpuShare);
  const actor = ppo ? Math.min(rest - 1, Math.max(1, Math.round(rest * p.actorPoolShare))) : rest;
  return { actor, critic: rest - actor, reward: 0, ref: 0, vllm: engineGpus };
}

/**
 * OpenRLHF (Ray): separate GPU pools for the vLLM engines, the actor, the reference, the critic
 * and the reward model, each its own placement group unless colocated (pool-ratio; by default the
 * engines take a share and ref / reward share the actor's / critic's GPUs). Each iteration the
 * actor's weights are NCCL-broadcast to the engines, the engines generate (continuous batching),
 * experience is made on the training-side pools in parallel (old log-prob on the actor, ref
 * log-prob on the ref pool, values on the critic, reward on the reward pool; colocated roles one
 * after the other), then actor and critic train concurrently with DeepSpeed ZeRO-3. Without vLLM
 * (generation 'hf-generate') every actor rank generates its micro-rollout batches with HF
 * generate — static, left-padded batches, eager PyTorch (engine profile 'hf-generate') — and the
 * models run ZeRO-2. Every pool is held (and paid for) the whole iteration.
 */
export function runOpenrlhf(...args: Parameters<SchedulerEntry['run']>) {
  const [scenario, iteration, cost, rng] = args;
  const p = openrlhfParameters.resolve(scenario);
  const ctx = new IterationContext('openrlhf', scenario, iteration, cost, rng);
  const gen = scenario.generation;
  const hf = p.generation === 'hf-generate';
  const ppo = scenario.algorithm.kind === 'ppo' && scenario.layout?.criticTrain !== undefined && scenario.layout.criticInference !== undefined;
  const wholeIteration = scenario.scope === 'iteration' && scenario.layout !== undefined;
  const gpus = poolGpus(ctx, p, ppo, wholeIteration);
  const pools: OpenrlhfPools = layOutPools(gpus);
  const overlap = p.zero3CommunicationOverlap;
  const zeroStage = hf ? 2 : 3;
  if (wholeIteration) {
    const layouts = scenario.layout!;
    // DeepSpeed ZeRO over each training pool (every GPU a data-parallel rank).
    const zero = (pool: PoolRef, microBatchSamples: number) => ({ tp: 1, pp: 1, dp: pool.gpus, microBatchSamples });
    assertTrainingFits(ctx, 'actor', 'actorTrain', zero(pools.actor, layouts.actorTrain.microBatchSamples), { engine: hf ? 'zero2' : 'zero3' });
    if (ppo && pools.critic) assertTrainingFits(ctx, 'critic', 'criticTrain', zero(pools.critic, layouts.criticTrain!.microBatchSamples), { engine: hf ? 'zero2' : 'zero3' });
  }

  // Colocated roles share a pool: allocate each pool once.
  const allocated = new Set<string>();
  const allocate = (pool: PoolRef | undefined) => {
    if (pool && !allocated.has(pool.name)) {
      allocated.add(pool.name);
      ctx.allocator.allocate(pool.name, pool.gpus, 0);
    }
  };
  allocate(pools.engines);
  let clock = 0;
  if (wholeIteration) {
    for (const pool of [pools.actor, pools.ref, pools.critic, pools.reward]) allocate(pool);
    if (pools.engines) {
      // NCCL broadcast of the actor's weights from the actor pool to every engine.
      const engines = pools.engines;
      const syncS = broadcastWeightsS(cost, ctx.weightBytes('actor'), ctx.crossNode(0, engines.gpus + pools.actor.gpus) ? 'other-node' : 'same-node');
      const span: PoolRef = { name: 'engines+actor', firstGpu: engines.firstGpu, gpus: engines.gpus + pools.actor.gpus };
      clock = overheadPhase(ctx, span, { task: 'weight-sync', stage: 'weight-sync', durationS: syncS, readyS: 0, model: scenario.models.actor }).endS;
    }
  } else if (!pools.engines) allocate(pools.actor);

  let generated: Phase;
  if (hf) {
    const actorPool = pools.actor;
    generated = staticGenerationPhase(ctx, actorPool, {
      tp: 1,
      instances: actorPool.gpus,
      readyS: clock,
      batchSequences: Math.max(1, Math.round(p.microRolloutBatch * ctx.samplesPerPrompt)),
      padPromptsToLongest: true,
      engine: scenarioEngine(ctx, p.admissionWatermark, 'static'),
      servingEngine: 'hf-generate',
    });
    ctx.note(`openrlhf generates with HF generate on its ${actorPool.gpus} actor GPUs (static batches of ${p.microRolloutBatch} prompts per GPU, engine profile 'hf-generate'); the KV room is generation.gpuMemoryUtilization of a GPU`);
  } else {
    const engines = pools.engines!;
    const instances = engines.gpus / gen.tp;
    generated = continuousGenerationPhase(ctx, engines, {
      tp: gen.tp,
      instances,
      readyS: clock,
      promptSharing: gen.promptSharing,
      assignment: 'contiguous',
      engine: scenarioEngine(ctx, p.admissionWatermark),
    });
    if (instances !== gen.instances) ctx.note(`openrlhf runs ${instances} vLLM engines of TP ${gen.tp} on its engine pool (scenario: ${gen.instances})`);
  }
  if (!wholeIteration) return ctx.finish();

  const layouts = scenario.layout!;
  const crossNode = (pool: PoolRef) => ctx.crossNode(pool.firstGpu, pool.gpus);
  // Each pool runs its calls one after another; pools run concurrently.
  const poolFreeS = new Map<string, number>();
  const readyOn = (pool: PoolRef) => Math.max(generated.endS, poolFreeS.get(pool.name) ?? 0);
  const forwardOn = (pool: PoolRef, task: string, role: ModelRole, microBatchSamples: number): Phase => {
    const phase = forwardPhase(ctx, pool, {
      task,
      role,
      layout: { tp: 1, pp: 1, dp: pool.gpus, microBatchSamples },
      readyS: readyOn(pool),
      balance: false,
      // ZeRO-3 all-gathers the parameters for every forward batch; ZeRO-2 holds them whole.
      perBatchOverheadS: zeroStage === 3 ? 0.5 * cost.allReduceS(ctx.weightBytes(role), pool.gpus, crossNode(pool)) : 0,
      communicationOverlap: overlap,
    });
    poolFreeS.set(pool.name, phase.endS);
    return phase;
  };
  const actorInference = layouts.actorInference ?? layouts.actorTrain;
  const phases: Phase[] = [forwardOn(pools.actor, 'old_log_prob', 'actor', actorInference.microBatchSamples), forwardOn(pools.ref, 'ref', 'ref', layouts.ref.microBatchSamples)];
  if (ppo) phases.push(forwardOn(pools.critic!, 'values', 'critic', layouts.criticInference!.microBatchSamples));
  if (layouts.reward && ctx.hasModel('reward')) phases.push(forwardOn(pools.reward ?? pools.actor, 'reward', 'reward', layouts.reward.microBatchSamples));
  else phases.push(cpuRewardPhase(ctx, generated.endS));
  // Training needs every experience: all pools must be done.
  const experienceDoneS = Math.max(generated.endS, ...phases.map((phase) => phase.endS));
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
      ...(zeroStage === 2 ? { sharded: { zeroStage: 2 as const } } : {}),
    });
  trainOn(pools.actor, 'update_actor', 'actor', layouts.actorTrain.microBatchSamples);
  if (ppo) trainOn(pools.critic!, 'update_critic', 'critic', layouts.criticTrain!.microBatchSamples);
  return ctx.finish();
}

export const openrlhf: SchedulerEntry = {
  name: 'openrlhf',
  description:
    'OpenRLHF: separate pools for vLLM engines, actor, ref, critic and reward (pool-ratio, or shares with ref on the actor and reward on the critic); experience and training run concurrently across pools; NCCL weight broadcast; without vLLM the actor generates with HF generate',
  sources: ['OpenRLHF, arXiv 2405.11143', 'reference/hardware-and-models.md §5.4', `${OPENRLHF_V030} examples/train_ppo_ray.py, openrlhf/trainer/ppo_utils/experience_maker.py, openrlhf/models/actor.py`],
  assumptions: openrlhfParameters.assumptions,
  run: runOpenrlhf,
};
