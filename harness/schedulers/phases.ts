import type { TaskLayout } from '../scenario/scenario.js';
import { splitPool } from '../sim/gpu-pools.js';
import type { PoolRef } from '../sim/types.js';
import type { EngineBatching, ServingEngine } from '../cost/engine-eras.js';
import { scenarioEngineProfile, scenarioSharesPrompts } from '../scenario/serving-engine.js';
import { InputError } from '../util/input-error.js';
import { buildRequests, splitContiguous, splitRoundRobin } from './generation/requests.js';
import type { GenerationCluster } from './generation/cluster.js';
import { runContinuousGeneration, sumCounters } from './generation/run.js';
import { runStaticBatches, staticBatchLimit } from './generation/static-batching.js';
import type { EngineLimits, GenerationRequest } from './generation/types.js';
import { shardedForward, type ForwardSequenceParallel } from './inference/forward.js';
import type { IterationContext, ModelRole } from './iteration-context.js';
import { pipelineTrainStage, shardedDataParallelTrainStage, type PipelineParallelOptions, type ShardedDataParallelOptions, type TrainStageResult } from './training/train-stage.js';
import { splitEvenly } from './partition.js';

/**
 * The stage models applied to an iteration: each helper runs one phase on a pool, records its
 * spans on the timeline and its samples in the ledger, and returns when it started and ended.
 * Baselines compose them in sequence; fusion and serverless schedulers use the lower-level
 * models (generation cluster, forwards, training) directly where they interleave phases.
 */
export interface Phase {
  readonly startS: number;
  readonly endS: number;
}

export interface EngineSettings {
  readonly maxConcurrentSequences: number;
  readonly gpuMemoryUtilization: number;
  readonly maxBatchedTokens: number;
  /** vLLM keeps 1 % of KV blocks free when admitting. */
  readonly admissionWatermark: number;
}

/**
 * The scenario's engine settings (vLLM's names). `batching` is how the caller generates: a
 * continuous-batching scheduler refuses an engine profile that only runs static batches
 * (costModel.engine 'hf-generate'), naming the field and the schedulers that run it.
 */
export function scenarioEngine(ctx: IterationContext, admissionWatermark: number, batching: EngineBatching = 'continuous'): EngineSettings {
  const profile = scenarioEngineProfile(ctx.scenario);
  if (batching === 'continuous' && profile.batching === 'static') {
    throw new InputError({
      file: ctx.scenario.file ?? '(scenario)',
      field: 'costModel.engine',
      value: profile.id,
      message: `${ctx.scheduler} generates with continuous batching (vLLM / SGLang), but '${profile.id}' runs static padded batches: choose a continuous engine, or a scheduler whose framework generates with HF generate (deepspeed-chat; openrlhf with generation 'hf-generate')`,
    });
  }
  const g = ctx.scenario.generation;
  return { maxConcurrentSequences: g.maxConcurrentSequences, gpuMemoryUtilization: g.gpuMemoryUtilization, maxBatchedTokens: g.maxBatchedTokens, admissionWatermark };
}

/** Engine limits of one actor generation instance of TP `tp`: KV capacity from the cost model. */
export function engineLimits(ctx: IterationContext, tp: number, engine: EngineSettings): EngineLimits {
  const replica = ctx.replica('actor', { tp, pp: 1 });
  const kvCapacityTokens = Math.floor(replica.kvCapacityTokens(engine.gpuMemoryUtilization));
  if (!(kvCapacityTokens > 0)) {
    throw new InputError({
      file: ctx.scenario.file ?? '(scenario)',
      field: 'generation.gpuMemoryUtilization',
      value: engine.gpuMemoryUtilization,
      message: `${ctx.scenario.models.actor} at TP ${tp} leaves no KV cache on ${ctx.cost.gpu.id} at this memory utilisation`,
    });
  }
  return { maxConcurrentSequences: engine.maxConcurrentSequences, kvCapacityTokens, maxBatchedTokens: engine.maxBatchedTokens, admissionWatermark: engine.admissionWatermark };
}

/** Refuses (with the scenario field to change) a request the instance's KV cache can never hold. */
export function assertRequestsFit(ctx: IterationContext, requests: readonly GenerationRequest[], limits: EngineLimits, tp: number): void {
  let worst = 0;
  let worstSeqs = 0;
  for (const request of requests) {
    let need = request.promptTokens;
    for (const response of request.responseTokens) need += Math.max(1, response) + 1;
    worst = Math.max(worst, need);
    worstSeqs = Math.max(worstSeqs, request.sampleIds.length);
  }
  const file = ctx.scenario.file ?? '(scenario)';
  if (worstSeqs > limits.maxConcurrentSequences) {
    throw new InputError({
      file,
      field: 'generation.maxConcurrentSequences',
      value: limits.maxConcurrentSequences,
      message: `a prompt group of ${worstSeqs} samples shares one request (prompt sharing) but an instance runs at most ${limits.maxConcurrentSequences} sequences`,
    });
  }
  const usable = limits.kvCapacityTokens * (1 - limits.admissionWatermark);
  if (worst > usable) {
    throw new InputError({
      file,
      field: 'generation.gpuMemoryUtilization',
      value: ctx.scenario.generation.gpuMemoryUtilization,
      message: `one generation instance (${ctx.scenario.models.actor}, TP ${tp}) holds ${limits.kvCapacityTokens} KV tokens, but a request needs ${worst}: raise the memory utilisation or the TP degree`,
    });
  }
}

export interface ContinuousGenerationOptions {
  readonly tp: number;
  readonly instances: number;
  readonly readyS: number;
  /** The framework submits a group's samples as one request (n-sampling); the engine's prefix cache shares them anyway (scenarioSharesPrompts). */
  readonly promptSharing: boolean;
  readonly assignment: 'contiguous' | 'round-robin';
  readonly engine: EngineSettings;
  readonly task?: string;
}

/** vLLM-style generation on `instances` TP groups from the start of `pool`; returns per-sample finish times too. */
export function continuousGenerationPhase(ctx: IterationContext, pool: PoolRef, options: ContinuousGenerationOptions): Phase & { finishTimeS: Float64Array } {
  const instancePools = splitPool(pool, options.tp, options.instances, `${options.task ?? 'generate'}/`);
  const startS = Math.max(options.readyS, ctx.timeline.freeAtS({ name: pool.name, firstGpu: pool.firstGpu, gpus: options.tp * options.instances }));
  const limits = engineLimits(ctx, options.tp, options.engine);
  const requests = buildRequests(ctx.table, options.promptSharing || scenarioSharesPrompts(ctx.scenario));
  assertRequestsFit(ctx, requests, limits, options.tp);
  const assignment = options.assignment === 'contiguous' ? splitContiguous(requests, options.instances) : splitRoundRobin(requests, options.instances);
  const run = runContinuousGeneration({ cost: ctx.replica('actor', { tp: options.tp, pp: 1 }), limits, assignment, sampleCount: ctx.table.count, startS });
  recordGeneration(ctx, run.cluster, instancePools, startS, options.task ?? 'generate');
  return { startS, endS: Math.max(startS, run.endS), finishTimeS: run.cluster.finishTimeS };
}

/**
 * Records a generation cluster's work once it has run: a span per instance busy period on its
 * pool, each sample's 'generate' phase in the ledger (from `startS` to its finish), and the
 * engines' counters. Fusion and serverless schedulers that drive a cluster themselves call this.
 */
export function recordGeneration(ctx: IterationContext, cluster: GenerationCluster, instancePools: readonly PoolRef[], startS: number, task = 'generate'): void {
  cluster.instances.forEach((instance, i) => {
    for (const [from, to] of instance.busyPeriods()) ctx.timeline.record(instancePools[i]!, { task, stage: 'generation', model: ctx.scenario.models.actor }, from, to);
  });
  for (let id = 0; id < ctx.table.count; id++) {
    const finishS = cluster.finishTimeS[id]!;
    if (!Number.isNaN(finishS)) ctx.ledger.mark('generate', id, startS, finishS);
  }
  const counters = sumCounters(cluster.instances.map((instance) => instance.counters));
  ctx.count('preemptions', counters.preemptions);
  ctx.count('recomputed_tokens', counters.recomputedTokens);
  ctx.count('prefill_tokens', counters.prefillTokens);
  ctx.count('decode_steps', counters.decodeSteps);
}

export interface StaticGenerationOptions {
  readonly tp: number;
  readonly instances: number;
  readonly readyS: number;
  /** Samples per generation batch on one instance (capped by what the KV cache holds at the length caps). */
  readonly batchSequences: number;
  readonly padPromptsToLongest: boolean;
  readonly engine: EngineSettings;
  /** The engine whose overheads the batches pay, when the framework's engine is not the scenario's (OpenRLHF without vLLM: 'hf-generate'). */
  readonly servingEngine?: ServingEngine;
  /** Samples in the order batches take them (default: trace order). */
  readonly sampleOrder?: readonly number[];
}

/** Static-batch generation (DeepSpeed-Chat's hybrid engine): each instance runs its contiguous share in fixed batches. */
export function staticGenerationPhase(ctx: IterationContext, pool: PoolRef, options: StaticGenerationOptions): Phase {
  const instancePools = splitPool(pool, options.tp, options.instances, 'generate/');
  const startS = Math.max(options.readyS, ctx.timeline.freeAtS({ name: pool.name, firstGpu: pool.firstGpu, gpus: options.tp * options.instances }));
  const limits = engineLimits(ctx, options.tp, options.engine);
  const fits = staticBatchLimit(limits.kvCapacityTokens, ctx.scenario.lengths.maxPromptTokens, ctx.scenario.lengths.maxResponseTokens);
  if (fits < 1) {
    throw new InputError({
      file: ctx.scenario.file ?? '(scenario)',
      field: 'lengths.maxResponseTokens',
      value: ctx.scenario.lengths.maxResponseTokens,
      message: `one sequence at the length caps does not fit the KV cache of a TP-${options.tp} instance (${limits.kvCapacityTokens} tokens)`,
    });
  }
  const batchSequences = Math.min(options.batchSequences, fits);
  if (batchSequences < options.batchSequences) ctx.note(`static generation batches cut from ${options.batchSequences} to ${batchSequences} sequences to fit the KV cache at the length caps`);
  const ids = options.sampleOrder ?? Array.from({ length: ctx.table.count }, (_, i) => i);
  const shares = splitEvenly(ids, options.instances);
  const finishTimeS = new Float64Array(ctx.table.count);
  const replica = ctx.replica('actor', { tp: options.tp, pp: 1, ...(options.servingEngine ? { servingEngine: options.servingEngine } : {}) });
  let endS = startS;
  shares.forEach((share, i) => {
    const run = runStaticBatches(replica, ctx.table, share, { batchSequences, padPromptsToLongest: options.padPromptsToLongest }, startS, finishTimeS);
    for (const batch of run.batches) {
      ctx.timeline.record(instancePools[i]!, { task: 'generate', stage: 'generation', model: ctx.scenario.models.actor, detail: { sequences: batch.sampleIds.length, decodeSteps: batch.decodeSteps } }, batch.startS, batch.endS);
    }
    endS = Math.max(endS, run.endS);
  });
  for (let id = 0; id < ctx.table.count; id++) ctx.ledger.mark('generate', id, startS, finishTimeS[id]!);
  return { startS, endS };
}

export interface ForwardOptions {
  /** Task name (veRL's: 'ref', 'reward', 'values', 'old_log_prob'). */
  readonly task: string;
  readonly role: ModelRole;
  readonly layout: Pick<TaskLayout, 'tp' | 'pp' | 'dp' | 'microBatchSamples'>;
  readonly readyS: number;
  readonly balance: boolean;
  /** Added to every forward batch (ZeRO-3 / FSDP parameter all-gather). */
  readonly perBatchOverheadS?: number;
  /** Share of `perBatchOverheadS` hidden behind the batch's compute (prefetching), never more than the compute; default 0. */
  readonly communicationOverlap?: number;
  /** Token budget per GPU of a forward batch (dynamic batch size; batches still hold at most `microBatchSamples`); default none. */
  readonly maxTokensPerGpu?: number;
  /** Ulysses sequence parallelism: dp / degree replicas of degree GPUs each split every batch's tokens. */
  readonly sequenceParallel?: ForwardSequenceParallel;
  /** Tokens each sample occupies in the forward (default: its prompt + response; a padded batch gives every sample the padded length). */
  readonly sequenceTokens?: ArrayLike<number>;
}

/** Inference forwards of one model over every sample, data-parallel over `layout.dp` replicas from the start of `pool`. */
export function forwardPhase(ctx: IterationContext, pool: PoolRef, options: ForwardOptions): Phase {
  const { tp, pp, dp } = options.layout;
  const sp = Math.max(1, options.sequenceParallel?.degree ?? 1);
  if (dp % sp !== 0) throw new Error(`${options.task}: ${dp} data-parallel GPUs do not split into sequence-parallel groups of ${sp}`);
  const replicas = dp / sp;
  const replicaPools = splitPool(pool, tp * pp * sp, replicas, `${options.task}/`);
  const taskPool = { name: pool.name, firstGpu: pool.firstGpu, gpus: tp * pp * dp };
  const startS = Math.max(options.readyS, ctx.timeline.freeAtS(taskPool));
  const replica = ctx.replica(options.role, { tp, pp });
  const shards = ctx.dataParallelShards(replicas, options.balance);
  const maxTokens = options.maxTokensPerGpu !== undefined && options.maxTokensPerGpu > 0 ? options.maxTokensPerGpu * sp : Infinity;
  const perBatch = { seconds: options.perBatchOverheadS ?? 0, overlap: options.communicationOverlap ?? 0 };
  const result = shardedForward(replica, shards, options.sequenceTokens ?? ctx.sequenceTokens, { maxSequences: options.layout.microBatchSamples, maxTokens }, perBatch, sp > 1 ? options.sequenceParallel : undefined);
  const model = ctx.scenario.models[options.role];
  result.shards.forEach((shard, r) => {
    const endS = startS + result.replicaS[r]!;
    ctx.timeline.record(replicaPools[r]!, { task: options.task, stage: 'inference', ...(model ? { model } : {}) }, startS, endS);
    ctx.ledger.markMany(options.task, shard, startS, endS);
  });
  // The task holds all its GPUs until its slowest replica ends (the next call waits for it).
  const endS = startS + result.durationS;
  ctx.timeline.record(taskPool, { task: options.task, stage: 'inference' }, endS, endS);
  return { startS, endS };
}

export interface TrainOptions {
  readonly task: string;
  readonly role: ModelRole;
  /** Pipeline mode also reads the optional ep, cp and vpp (train-stage.ts TrainLayout). */
  readonly layout: Pick<TaskLayout, 'tp' | 'pp' | 'dp' | 'microBatchSamples' | 'ep' | 'cp' | 'vpp'>;
  readonly readyS: number;
  /** 'pipeline': TP × PP × DP with 1F1B (Megatron, ReaLHF, RLHFuse). 'sharded': ZeRO-3 / FSDP over dp GPUs. */
  readonly mode: 'pipeline' | 'sharded';
  readonly balance: boolean;
  readonly samplesPerMiniBatch: number;
  /** Sharded mode: share of parameter/gradient collectives hidden behind compute. */
  readonly communicationOverlap?: number;
  /** Sample order mini-batches take (defaults to the context's shuffled order). */
  readonly sampleOrder?: readonly number[];
  /** Sharded mode: how the ranks shard and communicate, and how they form micro-batches (see ShardedDataParallelOptions). */
  readonly sharded?: Pick<
    ShardedDataParallelOptions,
    'shardGroup' | 'gradientBytesPerParameter' | 'sequenceParallel' | 'sequenceParallelSPerToken' | 'sequenceParallelPasses' | 'microBatchTokensPerGpu' | 'zeroStage' | 'paramOffload' | 'optimizerOffload'
  >;
  /** Sharded mode: each data rank's samples, from which it takes its mini-batches in order (veRL); default: global mini-batches split over the ranks. */
  readonly rankSamples?: readonly (readonly number[])[];
  /** Tokens each sample occupies in training (default: its prompt + response; a padded batch gives every sample the padded length). */
  readonly sequenceTokens?: ArrayLike<number>;
  /** Pipeline mode: Megatron's distributed optimizer, and the passes that pay EP / CP communication (see PipelineParallelOptions). */
  readonly pipeline?: Pick<PipelineParallelOptions, 'distributedOptimizer' | 'communicationPasses'>;
}

/** One model's PPO update over the batch: a span per mini-batch over the task's GPUs, pipeline bubbles as in-span idle time. */
export function trainPhase(ctx: IterationContext, pool: PoolRef, options: TrainOptions): Phase & { result: TrainStageResult } {
  const { tp, pp, dp, ep, cp, vpp } = options.layout;
  const gpus = options.mode === 'sharded' ? dp : tp * pp * (cp ?? 1) * dp;
  const taskPool: PoolRef = { name: `${options.task}`, firstGpu: pool.firstGpu, gpus };
  const startS = Math.max(options.readyS, ctx.timeline.freeAtS(taskPool));
  const input = {
    sampleIds: options.sampleOrder ?? ctx.shuffledSampleIds(),
    sequenceTokens: options.sequenceTokens ?? ctx.sequenceTokens,
    samplesPerMiniBatch: options.samplesPerMiniBatch,
    microBatchSamples: options.layout.microBatchSamples,
    balanceDataParallel: options.balance,
    epochs: ctx.scenario.algorithm.ppoEpochs,
    ...(options.rankSamples ? { rankSamples: options.rankSamples } : {}),
  };
  const crossNode = ctx.crossNode(pool.firstGpu, gpus);
  const result =
    options.mode === 'sharded'
      ? shardedDataParallelTrainStage(ctx.replica(options.role, { tp: 1, pp: 1 }), ctx.cost, { dp, crossNode, communicationOverlap: options.communicationOverlap ?? 0, ...options.sharded }, input)
      : pipelineTrainStage(ctx.replica(options.role, { tp, pp }), { tp, pp, dp, ...(ep !== undefined ? { ep } : {}), ...(cp !== undefined ? { cp } : {}), ...(vpp !== undefined ? { vpp } : {}) }, crossNode, input, { cost: ctx.cost, gpusPerNode: ctx.gpusPerNode, ...options.pipeline });
  const model = ctx.scenario.models[options.role];
  let clock = startS;
  for (const mb of result.miniBatches) {
    const endS = clock + mb.durationS;
    ctx.timeline.record(
      taskPool,
      { task: options.task, stage: 'training', ...(model ? { model } : {}), idleS: mb.idleS, detail: { miniBatch: mb.index, epoch: mb.epoch, microBatches: mb.microBatches, samples: mb.sampleIds.length } },
      clock,
      endS,
    );
    ctx.ledger.markMany(mb.epoch === 0 ? options.task : `${options.task}#epoch${mb.epoch + 1}`, mb.sampleIds, clock, endS);
    clock = endS;
  }
  return { startS, endS: clock, result };
}

export interface OverheadOptions {
  readonly task: string;
  readonly stage: 'weight-sync' | 'model-load' | 'reallocation' | 'kv-migration';
  readonly durationS: number;
  readonly readyS: number;
  readonly model?: string;
}

/** A transfer (weight sync, frozen-model load, reshard) occupying a pool. */
export function overheadPhase(ctx: IterationContext, pool: PoolRef, options: OverheadOptions): Phase {
  const placed = ctx.timeline.run(pool, { task: options.task, stage: options.stage, durationS: options.durationS, readyS: options.readyS, ...(options.model ? { model: options.model } : {}) });
  return placed;
}

/**
 * A rule-based reward computed on the driver's CPU (no reward model): the trace's per-group
 * reward latency, groups scored one after another (veRL 0.3's reward function loop).
 */
export function cpuRewardPhase(ctx: IterationContext, readyS: number): Phase {
  let durationS = 0;
  for (const group of ctx.iteration.groups) durationS += group.rewardLatencyS ?? 0;
  const placed = ctx.timeline.record({ name: 'driver', firstGpu: 0, gpus: 0 }, { task: 'reward', stage: 'inference' }, readyS, readyS + durationS);
  for (let id = 0; id < ctx.table.count; id++) ctx.ledger.mark('reward', id, placed.startS, placed.endS);
  return placed;
}
