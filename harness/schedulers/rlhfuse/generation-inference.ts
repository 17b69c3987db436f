import type { Placement } from '../../cost/types.js';
import { scenarioSharesPrompts } from '../../scenario/serving-engine.js';
import { splitPool } from '../../sim/gpu-pools.js';
import type { PoolRef } from '../../sim/types.js';
import type { GenerationCluster } from '../generation/cluster.js';
import { buildRequests, splitContiguous, splitRoundRobin } from '../generation/requests.js';
import { createGenerationCluster } from '../generation/run.js';
import { streamForwards } from '../inference/streaming.js';
import type { SequenceState } from '../generation/types.js';
import type { IterationContext } from '../iteration-context.js';
import { assertRequestsFit, engineLimits, recordGeneration, scenarioEngine, type Phase } from '../phases.js';
import { hostLoadS, reshardS } from '../weight-sync.js';
import { flatBatchLimit } from './flat-batch-limit.js';
import { inferenceRoles, roleWorkShares, type InferenceRole } from './inference-roles.js';
import { kvBytesOf, timeKvMigration, type KvTransfer } from './kv-migration.js';
import { splitUnitsAmongRoles } from './role-split.js';
import { assignDestinations, chooseSurvivors, reservedTokens, survivorCount, type InstanceSnapshot, type KvReservation, type WorkProxy } from './survivors.js';

/** The inter-stage settings, from RLHFuse's resolved parameters (parameters.ts says what each decides). */
export interface InterStageSettings {
  readonly admissionWatermark: number;
  readonly assignment: 'contiguous' | 'round-robin';
  readonly frozenModelsInHostMemory: boolean;
  readonly flatBatchTolerance: number;
  readonly kvReservation: KvReservation;
  readonly workProxy: WorkProxy;
  readonly inferenceSplit: 'work-proportional' | 'equal';
  readonly weightsLoad: 'after-release' | 'prefetched';
  readonly releaseDrainedInstances: boolean;
}

export interface MigrationSummary {
  /** When the unfinished count reached the threshold (seconds from the iteration start). */
  readonly triggerS: number;
  readonly unfinished: number;
  readonly flatBatchLimit: number;
  /** m from the two constraints (and the engine's sequence limit). */
  readonly survivorsNeeded: number;
  readonly survivors: number;
  /** Instances handed to inference at the trigger (sources and already drained ones). */
  readonly freed: number;
  readonly migratedSamples: number;
  readonly migratedBytes: number;
  /** Longest time a source spent sending KV. */
  readonly longestSendS: number;
}

export interface InterStageOutcome extends Phase {
  readonly generationEndS: number;
  /** Undefined when the threshold was never reached (0) or the batch was empty. */
  readonly migration: MigrationSummary | undefined;
}

/** A generation instance once it serves inference: its GPUs and when it is free. */
interface Unit {
  readonly instance: number;
  readonly pool: PoolRef;
  freeS: number;
}

function lastBusyEndS(cluster: GenerationCluster, instance: number, fallbackS: number): number {
  let end = fallbackS;
  for (const [, to] of cluster.instances[instance]!.busyPeriods()) end = Math.max(end, to);
  return end;
}

/**
 * Runs the migration at the trigger: sizes and picks the survivors, moves the other instances'
 * unfinished sequences with their KV, records the senders' kv-migration spans. Returns the
 * summary and, per sender, when its KV is out and it is free for inference.
 */
function migrate(
  ctx: IterationContext,
  cluster: GenerationCluster,
  instancePools: readonly PoolRef[],
  settings: InterStageSettings,
  limits: ReturnType<typeof engineLimits>,
  iterationStartS: number,
): { summary: MigrationSummary; sentUntilS: Map<number, number> } {
  const triggerS = cluster.nowS;
  const actor = ctx.replica('actor', { tp: ctx.scenario.generation.tp, pp: 1 });
  const maxResponse = ctx.scenario.lengths.maxResponseTokens;
  const reserve = (state: SequenceState) => reservedTokens(state, settings.kvReservation, maxResponse);
  const active: InstanceSnapshot[] = [];
  const sentUntilS = new Map<number, number>();
  for (const instance of cluster.instances) {
    if (instance.released) continue;
    if (instance.unfinished === 0) continue;
    active.push({ index: instance.index, states: instance.unfinishedStates(), residentKvTokens: instance.residentKvTokens(), remainingTokens: instance.remainingTokens() });
  }
  const unfinished = active.reduce((n, a) => n + a.states.length, 0);
  let context = 0;
  let reserved = 0;
  for (const a of active) for (const s of a.states) {
    context += s.promptTokens + s.generatedTokens;
    reserved += reserve(s);
  }
  const flat = unfinished > 0 ? flatBatchLimit(actor, context / unfinished, settings.flatBatchTolerance, limits.maxConcurrentSequences) : limits.maxConcurrentSequences;
  const count = survivorCount({
    unfinished,
    flatBatchLimit: flat,
    reservedKvTokens: reserved,
    kvCapacityTokens: Math.floor(limits.kvCapacityTokens * (1 - limits.admissionWatermark)),
    maxConcurrentSequences: limits.maxConcurrentSequences,
  });
  // Instances with nothing left leave generation at the trigger whatever happens to the others.
  let drained = 0;
  for (const instance of cluster.instances) {
    if (instance.released || instance.unfinished > 0) continue;
    cluster.release(instance.index, triggerS);
    drained++;
  }
  let migratedSamples = 0;
  let migratedBytes = 0;
  let longestSendS = 0;
  let survivors = active.length;
  if (unfinished > 0 && count.m < active.length) {
    const keep = new Set(chooseSurvivors(active, count.m, settings.workProxy));
    survivors = keep.size;
    const survivorSnapshots = active.filter((a) => keep.has(a.index));
    const taken: { source: number; atS: number; states: SequenceState[] }[] = [];
    for (const a of active) {
      if (keep.has(a.index)) continue;
      const { states, atS } = cluster.takeUnfinished(a.index, triggerS);
      cluster.release(a.index, atS);
      taken.push({ source: a.index, atS, states });
    }
    const sourceOf = new Map<number, { source: number; atS: number }>();
    for (const t of taken) for (const s of t.states) sourceOf.set(s.sampleId, t);
    const destinations = assignDestinations(
      taken.flatMap((t) => t.states),
      survivorSnapshots,
      reserve,
      limits.maxConcurrentSequences,
    );
    const transfers: KvTransfer[] = [];
    for (const [destination, states] of [...destinations].sort((a, b) => a[0] - b[0])) {
      const bySource = new Map<number, SequenceState[]>();
      for (const state of states) {
        const source = sourceOf.get(state.sampleId)!.source;
        if (!bySource.has(source)) bySource.set(source, []);
        bySource.get(source)!.push(state);
      }
      for (const [source, list] of [...bySource].sort((a, b) => a[0] - b[0])) {
        transfers.push({ source, destination, states: list, bytes: kvBytesOf(list, actor.kvBytesPerToken), startS: sourceOf.get(list[0]!.sampleId)!.atS });
      }
    }
    const nodeOf = (instance: number) => {
      const pool = instancePools[instance]!;
      const first = Math.floor(pool.firstGpu / ctx.gpusPerNode);
      return first === Math.floor((pool.firstGpu + pool.gpus - 1) / ctx.gpusPerNode) ? first : -1;
    };
    const placement = (a: number, b: number): Placement => (nodeOf(a) >= 0 && nodeOf(a) === nodeOf(b) ? 'same-node' : 'other-node');
    const timing = timeKvMigration(transfers, { cost: ctx.cost, kvBytesPerToken: actor.kvBytesPerToken, gpuShare: actor.kvBytesPerTokenPerGpu / actor.kvBytesPerToken, placement });
    const ordered = [...timing.transfers].sort((a, b) => a.arrivalS - b.arrivalS || a.destination - b.destination || a.source - b.source);
    for (const t of ordered) cluster.addSequences(t.destination, t.states, t.arrivalS);
    for (const t of taken) {
      const sendS = timing.sendS.get(t.source) ?? 0;
      if (sendS > 0) ctx.timeline.record(instancePools[t.source]!, { task: 'kv-migration', stage: 'kv-migration', model: ctx.scenario.models.actor }, t.atS, t.atS + sendS);
      sentUntilS.set(t.source, t.atS + sendS);
      longestSendS = Math.max(longestSendS, sendS);
      migratedSamples += t.states.length;
    }
    migratedBytes = transfers.reduce((sum, t) => sum + t.bytes, 0);
  } else if (unfinished > 0) {
    ctx.note(`migration skipped: the ${unfinished} unfinished samples need ${count.m} survivors (flat-batch limit ${flat}), no fewer than the ${active.length} instances still generating`);
  }
  return {
    summary: {
      triggerS: triggerS - iterationStartS,
      unfinished,
      flatBatchLimit: flat,
      survivorsNeeded: count.m,
      survivors,
      freed: drained + sentUntilS.size,
      migratedSamples,
      migratedBytes,
      longestSendS,
    },
    sentUntilS,
  };
}

/**
 * Streams every sample through the inference roles on the generation instances once they are
 * handed over (`units`, each freed at its own time): each unit serves one role (or several in
 * turn when units are fewer than roles), loads that role's weights, and its replicas take finished
 * samples from the role's shared queue. Returns when the last forward ended.
 */
function runInferenceOnUnits(ctx: IterationContext, units: Unit[], finishTimeS: Float64Array, settings: InterStageSettings, generationEndS: number): number {
  const roles = inferenceRoles(ctx);
  const shares = settings.inferenceSplit === 'equal' ? roles.map(() => 1) : roleWorkShares(ctx, roles);
  const order = [...units].sort((a, b) => a.freeS - b.freeS || a.instance - b.instance);
  const rolesOfUnit = splitUnitsAmongRoles(order.length, shares);
  const arrivals = Array.from({ length: ctx.table.count }, (_, id) => ({ sampleId: id, readyS: finishTimeS[id]! })).sort((a, b) => a.readyS - b.readyS || a.sampleId - b.sampleId);
  let endS = generationEndS;
  roles.forEach((role, r) => {
    const serving = order.filter((_, u) => rolesOfUnit[u]!.includes(r));
    const replicaPools: PoolRef[] = [];
    const readyS: number[] = [];
    const unitOfReplica: Unit[] = [];
    const layout = replicaLayout(ctx, role, serving[0]!.pool.gpus);
    const replica = ctx.replica(role.role, layout);
    for (const unit of serving) {
      const count = Math.floor(unit.pool.gpus / replica.gpus);
      const loadS = weightsLoadS(ctx, role, count, count * replica.gpus, settings);
      if (loadS > 0) {
        const critic = role.role === 'critic';
        ctx.timeline.record(
          { name: `${role.task}/unit${unit.instance}`, firstGpu: unit.pool.firstGpu, gpus: count * replica.gpus },
          { task: critic ? 'reshard-critic' : `load-${role.task}`, stage: critic ? 'reallocation' : 'model-load', model: ctx.scenario.models[role.role]! },
          unit.freeS,
          unit.freeS + loadS,
        );
      }
      for (let k = 0; k < count; k++) {
        replicaPools.push({ name: `${role.task}/unit${unit.instance}/${k}`, firstGpu: unit.pool.firstGpu + k * replica.gpus, gpus: replica.gpus });
        readyS.push(unit.freeS + loadS);
        unitOfReplica.push(unit);
      }
    }
    const result = streamForwards(replica, readyS, arrivals, ctx.sequenceTokens, { maxSequences: role.layout.microBatchSamples, maxTokens: Infinity });
    const model = ctx.scenario.models[role.role];
    for (const batch of result.batches) {
      ctx.timeline.record(replicaPools[batch.replica]!, { task: role.task, stage: 'inference', ...(model ? { model } : {}) }, batch.startS, batch.endS);
      ctx.ledger.markMany(role.task, batch.sampleIds, batch.startS, batch.endS);
    }
    result.freeS.forEach((free, k) => {
      const unit = unitOfReplica[k]!;
      unit.freeS = Math.max(unit.freeS, free);
      endS = Math.max(endS, free);
    });
  });
  if (ctx.hasCpuReward()) endS = Math.max(endS, streamCpuReward(ctx, finishTimeS));
  return endS;
}

/** The role's own inference layout when one replica fits on a generation instance; else one replica as wide as the instance (noted). */
function replicaLayout(ctx: IterationContext, role: InferenceRole, unitGpus: number): { tp: number; pp: number } {
  if (role.layout.tp * role.layout.pp <= unitGpus) return { tp: role.layout.tp, pp: role.layout.pp };
  ctx.note(`${role.task}: its inference layout (TP ${role.layout.tp} × PP ${role.layout.pp}) is wider than a generation instance; it runs at TP ${unitGpus} on freed instances`);
  return { tp: unitGpus, pp: 1 };
}

/** Frozen weights from host memory (RLHFuse keeps ref/reward there); the critic resharded from its training layout. */
function weightsLoadS(ctx: IterationContext, role: InferenceRole, replicas: number, gpus: number, settings: InterStageSettings): number {
  if (settings.weightsLoad === 'prefetched') return 0;
  if (role.role === 'critic') {
    const train = ctx.scenario.layout!.criticTrain!;
    const trainGpus = train.tp * train.pp * train.dp;
    return reshardS(ctx.cost, ctx.weightBytes('critic'), { train, generation: { tp: role.layout.tp, pp: role.layout.pp } }, 'hybrid-engine', ctx.crossNode(0, trainGpus) ? 'other-node' : 'same-node');
  }
  return settings.frozenModelsInHostMemory ? hostLoadS(ctx.cost, ctx.weightBytes(role.role), replicas, gpus) : 0;
}

/** A rule-based reward on the driver's CPU, one group at a time, as soon as all of a group's samples are generated. */
function streamCpuReward(ctx: IterationContext, finishTimeS: Float64Array): number {
  const groups = ctx.iteration.groups.map((group, g) => {
    let readyS = 0;
    for (let id = ctx.table.firstSampleOfGroup[g]!; id < ctx.table.firstSampleOfGroup[g + 1]!; id++) readyS = Math.max(readyS, finishTimeS[id]!);
    return { g, readyS, durationS: group.rewardLatencyS ?? 0 };
  });
  groups.sort((a, b) => a.readyS - b.readyS || a.g - b.g);
  let clock = 0;
  for (const { g, readyS, durationS } of groups) {
    const startS = Math.max(clock, readyS);
    clock = startS + durationS;
    ctx.timeline.record({ name: 'driver', firstGpu: 0, gpus: 0 }, { task: 'reward', stage: 'inference' }, startS, clock);
    for (let id = ctx.table.firstSampleOfGroup[g]!; id < ctx.table.firstSampleOfGroup[g + 1]!; id++) ctx.ledger.mark('reward', id, startS, clock);
  }
  return clock;
}

/**
 * RLHFuse's inter-stage fusion (papers/rlhfuse.md §2): generation on every instance until the
 * unfinished samples fall to `threshold` × the batch; then m survivors keep the tail (constraints
 * (a) flat decode batch and (b) KV memory), the other instances' unfinished sequences move to
 * them with their KV, and the freed GPUs run ref / reward / critic forwards on finished samples,
 * streaming the tail samples in as they finish. The stage ends with the last forward.
 */
export function fusedGenerationInference(ctx: IterationContext, pool: PoolRef, options: { readonly readyS: number; readonly threshold: number; readonly settings: InterStageSettings }): InterStageOutcome {
  const { settings } = options;
  const gen = ctx.scenario.generation;
  const instancePools = splitPool(pool, gen.tp, gen.instances, 'generate/');
  const startS = Math.max(options.readyS, ctx.timeline.freeAtS({ name: pool.name, firstGpu: pool.firstGpu, gpus: gen.tp * gen.instances }));
  const limits = engineLimits(ctx, gen.tp, scenarioEngine(ctx, settings.admissionWatermark));
  const requests = buildRequests(ctx.table, scenarioSharesPrompts(ctx.scenario));
  assertRequestsFit(ctx, requests, limits, gen.tp);
  const assignment = settings.assignment === 'contiguous' ? splitContiguous(requests, gen.instances) : splitRoundRobin(requests, gen.instances);
  const cluster = createGenerationCluster({ cost: ctx.replica('actor', { tp: gen.tp, pp: 1 }), limits, assignment, sampleCount: ctx.table.count, startS });

  const thresholdCount = Math.floor(options.threshold * ctx.table.count + 1e-9);
  const triggered = thresholdCount > 0 && ctx.table.count > 0 && cluster.runUntil((c) => c.unfinishedCount <= thresholdCount);
  const migrated = triggered ? migrate(ctx, cluster, instancePools, settings, limits, ctx.timeline.originS) : undefined;
  const migration = migrated?.summary;
  cluster.drain();
  recordGeneration(ctx, cluster, instancePools, startS);
  ctx.count('migrated_without_room', cluster.instances.reduce((n, i) => n + i.counters.migratedWithoutRoom, 0));
  if (migration) {
    ctx.count('migration_trigger_s', migration.triggerS);
    ctx.count('survivor_instances', migration.survivors);
    ctx.count('freed_instances', migration.freed);
    ctx.count('migrated_samples', migration.migratedSamples);
    ctx.count('kv_migration_bytes', migration.migratedBytes);
    ctx.count('flat_batch_limit', migration.flatBatchLimit);
  }

  const drainS = cluster.instances.map((_, i) => lastBusyEndS(cluster, i, startS));
  const generationEndS = Math.max(startS, ...drainS);
  if (ctx.scenario.scope !== 'iteration' || !ctx.scenario.layout) return { startS, endS: generationEndS, generationEndS, migration };

  // When each instance is handed to inference: a sender once its KV is out; otherwise when it has
  // drained, but not before the trigger unless release-drained-instances (the paper hands GPUs
  // over at migration); with no trigger at all, when generation ends.
  const triggerS = migration ? migration.triggerS + ctx.timeline.originS : undefined;
  const handedOverS = (i: number): number => {
    const sent = migrated?.sentUntilS.get(i);
    if (sent !== undefined) return sent;
    if (settings.releaseDrainedInstances) return drainS[i]!;
    return triggerS === undefined ? generationEndS : Math.max(drainS[i]!, triggerS);
  };
  const units: Unit[] = instancePools.map((p, i) => ({ instance: i, pool: p, freeS: handedOverS(i) }));
  const endS = runInferenceOnUnits(ctx, units, cluster.finishTimeS, settings, generationEndS);
  return { startS, endS, generationEndS, migration };
}
