import type { TaskLayout } from '../../scenario/scenario.js';
import type { PoolRef } from '../../sim/types.js';
import type { IterationContext, ModelRole } from '../iteration-context.js';
import { forwardPhase, overheadPhase, trainPhase, type Phase } from '../phases.js';
import { parameterAllGatherS, ulyssesAllToAllSPerToken } from '../training/collectives.js';
import { booleanParameter, numberParameter, type ParameterValues } from '../parameters/index.js';
import { reshardS } from '../weight-sync.js';

/**
 * veRL's FSDP workers and single controller, as the veRL baseline and RLHFless's functions (built
 * on veRL) run them: every worker call is dispatched by the driver, may load its FSDP state from
 * host memory first, runs its forwards or update on FSDP (optionally hybrid-sharded, optionally
 * with Ulysses sequence parallelism and token-budget micro-batches), and the rollout switch
 * gathers the weights into a sleeping vLLM. Megatron layouts (TP or PP > 1) train with 1F1B.
 */
export const verlWorkerParameters = {
  balanceBatch: booleanParameter({
    name: 'balance-batch',
    default: true,
    why: 'veRL 0.3 default balance_batch=True: DP ranks get equal counts with balanced token sums (reference §5.3)',
  }),
  fsdpCommunicationOverlap: numberParameter({
    name: 'fsdp-communication-overlap',
    default: 0,
    unit: 'fraction',
    why: "share of FSDP's parameter all-gathers (training and inference forwards) and gradient reduce-scatters hidden behind compute by prefetching, never more than the compute; not measured for this setup, 0 is the pessimistic end",
    range: [0, 1],
  }),
  fsdpSize: numberParameter({
    name: 'fsdp-size',
    default: 0,
    unit: 'GPUs (0 = every GPU of the call)',
    why: "veRL fsdp_config.fsdp_size: −1 (default) shards parameters over every GPU of the worker group; a positive size is hybrid sharding (HSDP, a (ddp, fsdp) device mesh): all-gathers and reduce-scatters within groups of that size, gradients all-reduced across the groups, optimizer state 1/size per GPU (the DAPO recipes set 2)",
    range: [0, 4096],
    integer: true,
  }),
  gradientReduceBytes: numberParameter({
    name: 'gradient-reduce-bytes',
    default: 4,
    unit: 'bytes per parameter',
    why: "veRL's FSDP mixed precision computes in bf16 but reduces gradients in fp32 (fsdp_config.mixed_precision reduce_dtype default fp32); 2 for a bf16 reduction",
    range: [2, 4],
  }),
  paramOffload: booleanParameter({
    name: 'param-offload',
    default: false,
    why: 'veRL actor (and critic) fsdp_config.param_offload (default False): the FSDP parameters live in host memory between calls, loaded before each call and offloaded after it (the actor and critic hold fp32 parameters: veRL creates trainable models in fp32); the reference policy has its own switch (ref-param-offload); the DAPO recipes set True',
  }),
  refParamOffload: booleanParameter({
    name: 'ref-param-offload',
    default: false,
    why: 'veRL ref.fsdp_config.param_offload (default False): the reference policy’s bf16 FSDP parameters live in host memory between calls, loaded before each ref forward and offloaded after it; its own switch, apart from the actor’s (most recipes set it True)',
  }),
  optimizerOffload: booleanParameter({
    name: 'optimizer-offload',
    default: false,
    why: "veRL fsdp_config.optimizer_offload (default False): Adam's fp32 moments (8 bytes per parameter of the shard) are loaded for each update and offloaded after it; the DAPO recipes set True",
  }),
  ulyssesSp: numberParameter({
    name: 'ulysses-sp',
    default: 1,
    unit: 'GPUs',
    why: 'veRL ulysses_sequence_parallel_size (default 1): groups of this many GPUs split every micro-batch’s tokens and attention heads, with all-to-alls around each attention; data ranks are GPUs / size (the 7B DAPO recipes set 4)',
    range: [1, 64],
    integer: true,
  }),
  logProbMaxTokensPerGpu: numberParameter({
    name: 'log-prob-max-tokens-per-gpu',
    default: 0,
    unit: 'tokens (0 = fixed micro-batches)',
    why: "veRL log_prob_use_dynamic_bsz with log_prob_max_token_len_per_gpu (ref, old log-prob and values forwards): batches cut by tokens (× the Ulysses size) instead of by the layout's micro-batch sequences; off by default (the DAPO recipes use 3 × (max prompt + max response))",
    range: [0, 10_000_000],
    integer: true,
  }),
  ppoMaxTokensPerGpu: numberParameter({
    name: 'ppo-max-tokens-per-gpu',
    default: 0,
    unit: 'tokens (0 = fixed micro-batches)',
    why: "veRL use_dynamic_bsz with ppo_max_token_len_per_gpu (actor and critic updates): each rank's share of a mini-batch cut into ⌈tokens / (budget × Ulysses size)⌉ token-balanced micro-batches, every rank taking the largest count; off by default (the DAPO recipes use 2 × (max prompt + max response))",
    range: [0, 10_000_000],
    integer: true,
  }),
  removePadding: booleanParameter({
    name: 'remove-padding',
    default: true,
    why: "veRL use_remove_padding (from verl 569210e0, 2025-01-11): forwards and updates run on the unpadded, packed tokens (flash-attn varlen); off (and always before that commit), every sample occupies the batch's padded length, max prompt + max response, in every forward and update — the compute and the attention of the padding are paid",
  }),
  vllmSleepMode: booleanParameter({
    name: 'vllm-sleep-mode',
    default: true,
    why: 'veRL 0.3 with vLLM ≥ 0.7 puts the engine to sleep(level=1) after generation — KV cache dropped, weights offloaded to host memory — and wakes it before the next (weights back from host, then the new weights loaded tensor by tensor): reference §5.3',
  }),
  driverTransferNsPerPosition: numberParameter({
    name: 'driver-transfer-ns-per-position',
    default: 25,
    unit: 'ns per padded (sample × token) position',
    why: "veRL's single controller ships each call's DataProto through Ray: torch.save of the whole padded batch on the driver, torch.load on the workers (DataProto.__getstate__/__setstate__), every tensor padded to max prompt + max response; verl PR #3425 measured 2.58 s serialize + 0.74 s deserialize for a 6,400 × 20,480 batch = 25 ns per position (1.3 s, 10 ns, with its NumPy path). One full-batch transfer per call: the generated batch back, each compute call's batch out",
    range: [0, 100],
  }),
};

export interface VerlWorkerSettings {
  readonly balance: boolean;
  readonly overlap: number;
  /** 0: shard over every GPU of the call. */
  readonly fsdpSize: number;
  readonly gradientReduceBytes: number;
  readonly paramOffload: boolean;
  readonly refParamOffload: boolean;
  readonly optimizerOffload: boolean;
  readonly removePadding: boolean;
  readonly ulyssesSp: number;
  readonly logProbMaxTokensPerGpu: number;
  readonly ppoMaxTokensPerGpu: number;
  readonly vllmSleepMode: boolean;
  readonly driverSPerPosition: number;
}

/** The worker settings from the resolved parameters of any set that composes `verlWorkerParameters`. */
export function verlWorkerSettings(p: ParameterValues<typeof verlWorkerParameters>): VerlWorkerSettings {
  return {
    balance: p.balanceBatch,
    overlap: p.fsdpCommunicationOverlap,
    fsdpSize: p.fsdpSize,
    gradientReduceBytes: p.gradientReduceBytes,
    paramOffload: p.paramOffload,
    refParamOffload: p.refParamOffload,
    optimizerOffload: p.optimizerOffload,
    removePadding: p.removePadding,
    ulyssesSp: p.ulyssesSp,
    logProbMaxTokensPerGpu: p.logProbMaxTokensPerGpu,
    ppoMaxTokensPerGpu: p.ppoMaxTokensPerGpu,
    vllmSleepMode: p.vllmSleepMode,
    driverSPerPosition: p.driverTransferNsPerPosition * 1e-9,
  };
}

/** veRL runs FSDP workers for layouts without TP or PP, Megatron workers otherwise. */
export function isFsdpLayout(layout: Pick<TaskLayout, 'tp' | 'pp' | 'ep' | 'cp'>): boolean {
  return layout.tp === 1 && layout.pp === 1 && (layout.ep ?? 1) === 1 && (layout.cp ?? 1) === 1;
}

/** GPUs one parameter is sharded over, for a call on `gpus` GPUs. */
export function fsdpShardGroup(settings: VerlWorkerSettings, gpus: number): number {
  return settings.fsdpSize > 0 ? Math.min(settings.fsdpSize, gpus) : gpus;
}

/** Bytes per parameter veRL holds a role's FSDP parameters in: fp32 for the trained models (actor, critic), the model's own (bf16) for the frozen ones. */
function heldBytesPerParameter(ctx: IterationContext, role: ModelRole): number {
  return role === 'actor' || role === 'critic' ? 4 : ctx.model(role).bytesPerParameter;
}

function parametersOf(ctx: IterationContext, role: ModelRole): number {
  return ctx.weightBytes(role) / ctx.model(role).bytesPerParameter;
}

/** One direction of the host ↔ GPU copy of a role's offloaded FSDP state on a call of `gpus` GPUs (each GPU its shard, in parallel). */
export function offloadedStateS(ctx: IterationContext, settings: VerlWorkerSettings, role: ModelRole, gpus: number, withOptimizer: boolean): number {
  const shard = fsdpShardGroup(settings, gpus);
  const offloaded = role === 'ref' ? settings.refParamOffload : settings.paramOffload;
  let bytesPerParameter = offloaded ? heldBytesPerParameter(ctx, role) : 0;
  if (withOptimizer && settings.optimizerOffload) bytesPerParameter += 8;
  if (bytesPerParameter === 0) return 0;
  const perGpu = (parametersOf(ctx, role) * bytesPerParameter) / shard;
  return ctx.cost.hostToGpuS(perGpu * gpus, gpus);
}

/** Padded positions of the batch veRL's DataProto carries: every sample padded to max prompt + max response. */
function paddedPositions(ctx: IterationContext): number {
  return ctx.table.count * (ctx.scenario.lengths.maxPromptTokens + ctx.scenario.lengths.maxResponseTokens);
}

/** Without remove-padding every sample occupies the padded length of the batch (max prompt + max response); undefined when the tokens are packed. */
export function paddedSequenceTokens(ctx: IterationContext, settings: VerlWorkerSettings): Int32Array | undefined {
  if (settings.removePadding) return undefined;
  return new Int32Array(ctx.table.count).fill(ctx.scenario.lengths.maxPromptTokens + ctx.scenario.lengths.maxResponseTokens);
}

/** The driver shipping one call's padded batch through Ray (serialize, deserialize); the GPUs wait. Recorded on the driver under the call's task. */
export function driverTransferPhase(ctx: IterationContext, settings: VerlWorkerSettings, task: string, readyS: number): Phase {
  const durationS = paddedPositions(ctx) * settings.driverSPerPosition;
  if (durationS <= 0) return { startS: readyS, endS: readyS };
  return ctx.timeline.record({ name: 'driver', firstGpu: 0, gpus: 0 }, { task, stage: 'data-transfer' }, readyS, readyS + durationS);
}

function hostCopyPhase(ctx: IterationContext, pool: PoolRef, task: string, durationS: number, readyS: number, model: string | undefined): Phase {
  if (durationS <= 0) return { startS: readyS, endS: readyS };
  return overheadPhase(ctx, pool, { task, stage: 'model-load', durationS, readyS, ...(model ? { model } : {}) });
}

function taskPool(pool: PoolRef, gpus: number): PoolRef {
  return { name: pool.name, firstGpu: pool.firstGpu, gpus };
}

function sequenceParallelOf(ctx: IterationContext, settings: VerlWorkerSettings, role: ModelRole, gpus: number) {
  const degree = Math.max(1, settings.ulyssesSp);
  if (degree <= 1) return undefined;
  if (gpus % degree !== 0) throw new Error(`veRL: ${gpus} GPUs do not split into Ulysses groups of ${degree}`);
  const placement = degree > ctx.gpusPerNode ? 'other-node' : 'same-node';
  return { degree, sPerToken: ulyssesAllToAllSPerToken(ctx.cost, ctx.model(role), degree, placement) };
}

export interface VerlCallOptions {
  readonly task: string;
  readonly role: ModelRole;
  readonly layout: TaskLayout;
  readonly readyS: number;
}

/**
 * A forward call (reward, old log-prob, ref, values): the driver dispatches the batch, the FSDP
 * parameters come from host memory when offloaded, each forward batch all-gathers the parameters
 * over the shard group, and the parameters go back to host memory after.
 */
export function verlForwardPhase(ctx: IterationContext, pool: PoolRef, settings: VerlWorkerSettings, options: VerlCallOptions): Phase {
  const { task, role, layout } = options;
  const dispatched = driverTransferPhase(ctx, settings, task, options.readyS);
  if (!isFsdpLayout(layout)) {
    const padded = paddedSequenceTokens(ctx, settings);
    const phase = forwardPhase(ctx, pool, { task, role, layout, readyS: dispatched.endS, balance: settings.balance, ...(padded ? { sequenceTokens: padded } : {}) });
    return { startS: dispatched.startS, endS: phase.endS };
  }
  const gpus = layout.dp;
  const model = ctx.scenario.models[role];
  const loadS = offloadedStateS(ctx, settings, role, gpus, false);
  const loaded = hostCopyPhase(ctx, taskPool(pool, gpus), task, loadS, dispatched.endS, model);
  const shard = fsdpShardGroup(settings, gpus);
  const gatherS = parameterAllGatherS(ctx.cost, ctx.weightBytes(role), shard, ctx.crossNode(pool.firstGpu, shard));
  const sequenceParallel = sequenceParallelOf(ctx, settings, role, gpus);
  const padded = paddedSequenceTokens(ctx, settings);
  const phase = forwardPhase(ctx, pool, {
    task,
    role,
    layout,
    readyS: loaded.endS,
    ...(padded ? { sequenceTokens: padded } : {}),
    balance: settings.balance,
    perBatchOverheadS: gatherS,
    communicationOverlap: settings.overlap,
    ...(settings.logProbMaxTokensPerGpu > 0 ? { maxTokensPerGpu: settings.logProbMaxTokensPerGpu } : {}),
    ...(sequenceParallel ? { sequenceParallel } : {}),
  });
  const offloaded = hostCopyPhase(ctx, taskPool(pool, gpus), task, loadS, phase.endS, model);
  return { startS: dispatched.startS, endS: offloaded.endS };
}

export interface VerlTrainOptions extends VerlCallOptions {
  readonly samplesPerMiniBatch: number;
  /** The shuffled order Megatron (pipeline) layouts take their mini-batches in. */
  readonly sampleOrder: readonly number[];
}

/**
 * An update call (update actor, update critic): dispatch, parameters and optimizer state from
 * host memory when offloaded, then FSDP training where each data rank takes its mini-batches in
 * order from its own part of the (balanced) batch — veRL partitions the batch over the ranks once
 * and each rank splits its part with batch.split(ppo_mini_batch_size), no shuffle — and the state
 * back to host memory.
 */
export function verlTrainPhase(ctx: IterationContext, pool: PoolRef, settings: VerlWorkerSettings, options: VerlTrainOptions): Phase {
  const { task, role, layout } = options;
  const dispatched = driverTransferPhase(ctx, settings, task, options.readyS);
  if (!isFsdpLayout(layout)) {
    const padded = paddedSequenceTokens(ctx, settings);
    const phase = trainPhase(ctx, pool, {
      task,
      role,
      layout,
      readyS: dispatched.endS,
      mode: 'pipeline',
      balance: settings.balance,
      samplesPerMiniBatch: options.samplesPerMiniBatch,
      sampleOrder: options.sampleOrder,
      // veRL's Megatron workers use Megatron's distributed optimizer (verl/trainer/config/ppo_megatron_trainer.yaml at 6642bb2e: use_distributed_optimizer True).
      pipeline: { distributedOptimizer: true },
      ...(padded ? { sequenceTokens: padded } : {}),
    });
    return { startS: dispatched.startS, endS: phase.endS };
  }
  const gpus = layout.dp;
  const model = ctx.scenario.models[role];
  const stateS = offloadedStateS(ctx, settings, role, gpus, true);
  const loaded = hostCopyPhase(ctx, taskPool(pool, gpus), task, stateS, dispatched.endS, model);
  const sequenceParallel = sequenceParallelOf(ctx, settings, role, gpus);
  const ranks = gpus / (sequenceParallel?.degree ?? 1);
  const padded = paddedSequenceTokens(ctx, settings);
  const phase = trainPhase(ctx, pool, {
    task,
    role,
    layout,
    readyS: loaded.endS,
    mode: 'sharded',
    ...(padded ? { sequenceTokens: padded } : {}),
    balance: settings.balance,
    samplesPerMiniBatch: options.samplesPerMiniBatch,
    communicationOverlap: settings.overlap,
    rankSamples: ctx.dataParallelShards(ranks, settings.balance),
    sharded: {
      shardGroup: fsdpShardGroup(settings, gpus),
      gradientBytesPerParameter: settings.gradientReduceBytes,
      ...(sequenceParallel ? { sequenceParallel: sequenceParallel.degree, sequenceParallelSPerToken: sequenceParallel.sPerToken } : {}),
      ...(settings.ppoMaxTokensPerGpu > 0 ? { microBatchTokensPerGpu: settings.ppoMaxTokensPerGpu } : {}),
    },
  });
  const offloaded = hostCopyPhase(ctx, taskPool(pool, gpus), task, stateS, phase.endS, model);
  return { startS: dispatched.startS, endS: offloaded.endS };
}

export interface RolloutSwitchOptions {
  readonly actorTrain: TaskLayout;
  readonly generationTp: number;
  /** GPUs the vLLM engines occupy. */
  readonly generationGpus: number;
  readonly readyS: number;
}

/**
 * Switching the pool to rollout (reference §5.3; inside veRL's `gen` timer): the FSDP parameters
 * from host memory when offloaded, the full state dict gathered on every GPU ((tpd − 1)/(tpd) of
 * the model, 'gather-all'), vLLM's offloaded weights woken from host memory, the new weights
 * loaded into vLLM's TP shards (a device copy), the FSDP parameters back to host memory.
 */
export function verlRolloutSwitchPhase(ctx: IterationContext, settings: VerlWorkerSettings, options: RolloutSwitchOptions): Phase {
  const { actorTrain } = options;
  const trainGpus = actorTrain.tp * actorTrain.pp * actorTrain.dp;
  const gpus = Math.max(trainGpus, options.generationGpus);
  const placement = ctx.crossNode(0, trainGpus) ? 'other-node' : 'same-node';
  const modelBytes = ctx.weightBytes('actor');
  const fsdp = isFsdpLayout(actorTrain);
  const paramsS = fsdp ? offloadedStateS(ctx, settings, 'actor', trainGpus, false) : 0;
  const gatherS = reshardS(ctx.cost, modelBytes, { train: actorTrain, generation: { tp: options.generationTp, pp: 1 } }, 'gather-all', placement);
  const engineShardBytes = ctx.replica('actor', { tp: options.generationTp, pp: 1 }).weightBytesPerGpu;
  const wakeS = settings.vllmSleepMode ? ctx.cost.hostToGpuS(engineShardBytes * options.generationGpus, options.generationGpus) : 0;
  const loadIntoEngineS = ctx.cost.transferS(engineShardBytes, 'same-gpu');
  const durationS = paramsS + gatherS + wakeS + loadIntoEngineS + paramsS;
  return overheadPhase(ctx, { name: 'cluster', firstGpu: 0, gpus }, { task: 'weight-sync', stage: 'weight-sync', durationS, readyS: options.readyS, model: ctx.scenario.models.actor });
}

/**
 * After generation (still inside veRL's `gen` timer): vLLM's sleep(level=1) offloads its weights to
 * host memory (the KV cache is dropped), then the driver collects the generated, padded batch.
 */
export function verlRolloutEndPhase(ctx: IterationContext, settings: VerlWorkerSettings, generationTp: number, generationGpus: number, readyS: number): Phase {
  let clock = readyS;
  if (settings.vllmSleepMode) {
    const engineShardBytes = ctx.replica('actor', { tp: generationTp, pp: 1 }).weightBytesPerGpu;
    const sleepS = ctx.cost.hostToGpuS(engineShardBytes * generationGpus, generationGpus);
    clock = overheadPhase(ctx, { name: 'cluster', firstGpu: 0, gpus: generationGpus }, { task: 'weight-sync', stage: 'weight-sync', durationS: sleepS, readyS: clock, model: ctx.scenario.models.actor }).endS;
  }
  clock = driverTransferPhase(ctx, settings, 'generate', clock).endS;
  return { startS: readyS, endS: clock };
}
