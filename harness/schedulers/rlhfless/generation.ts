import type { Placement } from '../../cost/types.js';
import type { PoolRef } from '../../sim/types.js';
import { GenerationCluster } from '../generation/cluster.js';
import { GenerationInstance } from '../generation/instance.js';
import type { EngineLimits, GenerationRequest, GenerationStepCost, SampleFinish, SequenceState } from '../generation/types.js';
import type { IterationContext } from '../iteration-context.js';
import { recordGeneration } from '../phases.js';
import { chooseDestinations, freeSlots, groupStates, migratedKvTokens, othersHaveRoom, reachedCutThreshold } from './cut-and-migrate.js';
import type { RlhflessSettings } from './parameters.js';
import type { ActorEstimate } from './planner.js';
import type { PrefixUnion } from './prefix-dedup.js';
import { invocationTiming } from './prewarm.js';

/**
 * Runs one step's generation the serverless way: each decode actor is a function with its own
 * GPUs, billed from allocation to release. Actor 1 shares the learner's home GPUs with the prefill
 * actor; the others are allocated (and started cold unless pre-warmed), receive the weights and
 * their prefixes' KV over the link their placement implies, then decode. An actor is released the
 * moment it has nothing left, or when it is cut (its unfinished responses move to live actors).
 */
export interface GenerationGroupPlan {
  /** Deduplicated prefix tokens per group (0: prefilled by its decode actor). */
  readonly prefixTokens: Int32Array;
  /** Whether a group's samples share their prompt on the decode actor (vLLM n-sampling). */
  readonly sharePrompt: (group: number) => boolean;
}

export interface ServerlessGenerationInput {
  readonly actors: readonly ActorEstimate[];
  readonly groups: GenerationGroupPlan;
  readonly actorGpus: number;
  readonly limits: EngineLimits;
  readonly stepCost: GenerationStepCost;
  readonly kvBytesPerToken: number;
  readonly settings: RlhflessSettings;
  /** Weight sync by placement relative to the learner's home GPUs (all 0 when generation is simulated alone). */
  readonly weightSyncS: Readonly<Record<Placement, number>>;
  readonly prefillActorS: number;
  /** Cold start of actors 2..N; 0 when generation is simulated alone. */
  readonly coldStartS: number;
  /** Actors 2..warmActors are pre-warmed (need predicted at `predictedNeedS`); the rest start on demand. */
  readonly warmActors: number;
  readonly predictedNeedS: number | undefined;
  readonly prefixUnion: PrefixUnion | undefined;
  readonly transferS: (bytes: number, placement: Placement) => number;
}

export interface ServerlessGenerationResult {
  readonly endS: number;
  /** GPUs each actor held and when it was released. */
  readonly releaseS: Float64Array;
}

function linkBetween(aFirstGpu: number, bFirstGpu: number, gpus: number, gpusPerNode: number): Placement {
  const nodes = (first: number) => [Math.floor(first / gpusPerNode), Math.floor((first + gpus - 1) / gpusPerNode)];
  const [a0, a1] = nodes(aFirstGpu);
  const [b0, b1] = nodes(bFirstGpu);
  return a0 === a1 && b0 === b1 && a0 === b0 ? 'same-node' : 'other-node';
}

/** A step cost whose decode steps also read `extraContextPerSequence` prefix tokens per sequence (prefix KV held once per actor). */
function withPrefixContext(cost: GenerationStepCost, extraContextPerSequence: number): GenerationStepCost {
  if (extraContextPerSequence <= 0) return cost;
  return {
    prefillS: (tokens, sequences, squared) => cost.prefillS(tokens, sequences, squared),
    decodeStepS: (batch, context) => cost.decodeStepS(batch, context + batch * extraContextPerSequence),
    decodeStepsS: (batch, context, steps) => cost.decodeStepsS(batch, context + batch * extraContextPerSequence, steps),
  };
}

interface ActorSetup {
  readonly instance: GenerationInstance;
  readonly allocateS: number;
  readonly pool: PoolRef;
  readonly given: number;
}

/** Builds actor k: allocation, transfers before decode, and its queue (resident prefixes first, then prompts to prefill). */
function setUpActor(ctx: IterationContext, input: ServerlessGenerationInput, k: number, prefillEndS: number): ActorSetup {
  const actor = input.actors[k]!;
  const { table } = ctx;
  const pool: PoolRef = { name: `decode/${k + 1}`, firstGpu: actor.firstGpu, gpus: input.actorGpus };
  const record = (task: string, stage: 'weight-sync' | 'kv-migration' | 'generation', from: number, to: number) => {
    if (to > from) ctx.timeline.record(pool, { task, stage, model: ctx.scenario.models.actor }, from, to);
  };
  // Resident prefixes (whole prompt shipped) while the actor has room; prompts it prefills itself.
  const resident: SequenceState[] = [];
  const requests: GenerationRequest[] = [];
  const shippedGroups: number[] = [];
  const usableKv = input.limits.kvCapacityTokens * (1 - input.limits.admissionWatermark);
  let kv = 0;
  let running = 0;
  let partialPrefix = 0;
  let samples = 0;
  for (const g of actor.groups) {
    const first = table.firstSampleOfGroup[g]!;
    const end = table.firstSampleOfGroup[g + 1]!;
    const n = end - first;
    samples += n;
    const prompt = table.promptTokens[first]!;
    const prefix = input.groups.prefixTokens[g]!;
    const ids = Array.from({ length: n }, (_, i) => first + i);
    const responses = ids.map((id) => table.responseTokens[id]!);
    if (prefix > 0 && prefix >= prompt && running + n <= input.limits.maxConcurrentSequences && kv + prompt + n <= usableKv) {
      for (const id of ids) resident.push({ sampleId: id, groupIndex: g, promptTokens: prompt, responseTokens: table.responseTokens[id]!, generatedTokens: 0, kvResident: true });
      kv += prompt + n;
      running += n;
      shippedGroups.push(g);
    } else if (prefix > 0 && prefix < prompt) {
      // The shared prefix arrives as KV; the actor prefills the rest of the prompt itself.
      requests.push({ groupIndex: g, promptTokens: prompt - prefix, sampleIds: ids, responseTokens: responses });
      partialPrefix += prefix * n;
      shippedGroups.push(g);
    } else if ((prefix > 0 || input.groups.sharePrompt(g)) && n <= input.limits.maxConcurrentSequences) {
      // Shared prompt that no longer fits as resident KV: the actor prefills it once for the group.
      if (prefix > 0) ctx.count('dedup_groups_prefilled_locally');
      requests.push({ groupIndex: g, promptTokens: prompt, sampleIds: ids, responseTokens: responses });
    } else {
      if (prefix > 0) ctx.count('dedup_groups_prefilled_locally');
      for (let i = 0; i < n; i++) requests.push({ groupIndex: g, promptTokens: prompt, sampleIds: [ids[i]!], responseTokens: [responses[i]!] });
    }
  }
  const kvTokens = input.prefixUnion ? input.prefixUnion.tokens(shippedGroups, 0, shippedGroups.length) : shippedGroups.reduce((sum, g) => sum + input.groups.prefixTokens[g]!, 0);
  const prefixHeldTokens = partialPrefix > 0 && input.prefixUnion ? input.prefixUnion.tokens(shippedGroups.filter((g) => input.groups.prefixTokens[g]! < table.promptTokens[table.firstSampleOfGroup[g]!]!), 0, shippedGroups.length) : 0;

  // Timing before decode: actor 1 has the learner's weights in place and the prefill actor beside it.
  let allocateS = 0;
  let decodeStartS: number;
  const syncS = input.weightSyncS[actor.placement];
  if (k === 0) {
    record('weight-sync', 'weight-sync', 0, syncS);
    record('prefill', 'generation', syncS, prefillEndS);
    decodeStartS = Math.max(syncS, prefillEndS);
  } else {
    const warm = k < input.warmActors;
    const timing = invocationTiming({ neededAtS: 0, gpusFreeAtS: 0, coldStartS: input.coldStartS, loadS: 0, predictedNeedS: warm ? input.predictedNeedS : undefined });
    allocateS = timing.allocateS;
    if (!warm && input.coldStartS > 0) ctx.count('cold_starts');
    const syncEndS = timing.runStartS + syncS;
    record('weight-sync', 'weight-sync', timing.runStartS, syncEndS);
    let readyS = syncEndS;
    if (kvTokens > 0) {
      const kvS = input.transferS(kvTokens * input.kvBytesPerToken, actor.placement);
      const kvStartS = Math.max(syncEndS, prefillEndS);
      record('kv-transfer', 'kv-migration', kvStartS, kvStartS + kvS);
      readyS = kvStartS + kvS;
    }
    decodeStartS = readyS;
  }
  ctx.count('kv_transfer_tokens', k === 0 ? 0 : kvTokens);
  const limits = prefixHeldTokens > 0 ? { ...input.limits, kvCapacityTokens: Math.max(1, input.limits.kvCapacityTokens - prefixHeldTokens) } : input.limits;
  const instance = new GenerationInstance(k, withPrefixContext(input.stepCost, samples > 0 ? partialPrefix / samples : 0), limits, decodeStartS);
  if (resident.length > 0) instance.addSequences(resident, { sharePrompts: true });
  if (requests.length > 0) instance.enqueue(requests);
  return { instance, allocateS, pool, given: samples };
}

type Action = { readonly kind: 'release' | 'cut'; readonly actor: number } | { readonly kind: 'global-cut' };

/** Runs generation for the planned actors; records spans, ledger, allocations and counters. */
export function runServerlessGeneration(ctx: IterationContext, input: ServerlessGenerationInput): ServerlessGenerationResult {
  const settings = input.settings;
  const prefillEndS = input.prefillActorS > 0 ? input.weightSyncS['same-gpu'] + input.prefillActorS : 0;
  const setups = input.actors.map((_, k) => setUpActor(ctx, input, k, prefillEndS));
  const instances = setups.map((s) => s.instance);
  const given = Float64Array.from(setups, (s) => s.given);
  const live = setups.map(() => true);
  const received = setups.map(() => false);
  const releaseS = new Float64Array(setups.length).fill(Number.NaN);
  const pending = new Set<number>(setups.map((_, k) => k));
  const blocked = new Set<number>();
  const cluster = new GenerationCluster(instances, ctx.table.count, (finish: SampleFinish) => pending.add(finish.instance));
  const perActor = settings.techniques.cutAndMigrate && settings.migrationScope === 'per-actor';
  const globalCut = settings.techniques.cutAndMigrate && settings.migrationScope === 'global-one';
  let globalDone = false;
  const totalSamples = ctx.table.count;

  let liveCount = setups.length;
  // An actor's sequence slots (slotCapacity): the responses it started the step with, or the engine's limit.
  const slotsOf = Float64Array.from(setups, (s) => (settings.slotCapacity === 'assigned' ? Math.min(s.given, input.limits.maxConcurrentSequences) : input.limits.maxConcurrentSequences));
  const freeSlotsOf = (j: number) => freeSlots(slotsOf[j]!, instances[j]!.unfinished, instances[j]!.freeSequenceSlots);
  // Free slots and KV over the live actors, summed at most once per check (the cut rule needs the others' room).
  let room: { slots: number; kv: number } | undefined;
  const othersHaveRoomFor = (i: number) => {
    if (!room) {
      room = { slots: 0, kv: 0 };
      instances.forEach((x, j) => {
        if (!live[j]) return;
        room!.slots += freeSlotsOf(j);
        room!.kv += x.freeKvTokens;
      });
    }
    const own = instances[i]!;
    return othersHaveRoom(own, room.slots - freeSlotsOf(i), room.kv - own.freeKvTokens);
  };
  const cuttable = (i: number) => perActor && live[i]! && liveCount > 1 && (settings.cascade || !received[i]) && reachedCutThreshold(instances[i]!, given[i]!, settings.tau);
  const findAction = (): Action | undefined => {
    room = undefined;
    if (globalCut && !globalDone && liveCount > 1 && cluster.finishedCount >= settings.tau * totalSamples - 1e-9) return { kind: 'global-cut' };
    for (const i of pending) {
      if (!live[i]) {
        pending.delete(i);
        continue;
      }
      if (instances[i]!.unfinished === 0) return { kind: 'release', actor: i };
      if (cuttable(i)) {
        if (othersHaveRoomFor(i)) return { kind: 'cut', actor: i };
        blocked.add(i);
      }
      pending.delete(i);
    }
    for (const i of blocked) {
      if (!cuttable(i)) {
        blocked.delete(i);
        continue;
      }
      if (othersHaveRoomFor(i)) return { kind: 'cut', actor: i };
    }
    return undefined;
  };

  const release = (i: number, atS: number) => {
    releaseS[i] = cluster.release(i, atS);
    live[i] = false;
    liveCount--;
    pending.delete(i);
    blocked.delete(i);
  };

  /** Moves every unfinished sequence of `source` to `targets` (all live) and releases it once its KV is sent. */
  const migrate = (source: number, targets: readonly number[], rule: 'most-free-kv' | 'fewest-running' | 'single') => {
    const { states, atS } = cluster.takeUnfinished(source, cluster.nowS);
    const groups = groupStates(states);
    const offered = targets.map((j) => ({ freeSequenceSlots: freeSlotsOf(j), freeKvTokens: instances[j]!.freeKvTokens, runningSequences: instances[j]!.runningSequences }));
    const destinations = rule === 'single' ? groups.map(() => 0) : chooseDestinations(groups, offered, rule);
    let sentUntilS = atS;
    targets.forEach((j, t) => {
      const moving = groups.filter((_, gi) => destinations[gi] === t).flat();
      if (moving.length === 0) return;
      let arrivalS = atS;
      let sending = moving;
      if (settings.migrationMode === 'kv-transfer') {
        const tokens = groupStates(moving).reduce((sum, g) => sum + migratedKvTokens(g), 0);
        const link = linkBetween(setups[source]!.pool.firstGpu, setups[j]!.pool.firstGpu, input.actorGpus, ctx.gpusPerNode);
        arrivalS = atS + (tokens > 0 ? input.transferS(tokens * input.kvBytesPerToken, link) : 0);
        ctx.count('migrated_kv_tokens', tokens);
      } else {
        sending = moving.map((s) => ({ ...s, kvResident: false }));
      }
      const added = cluster.addSequences(j, sending, arrivalS, { sharePrompts: true });
      sentUntilS = Math.max(sentUntilS, arrivalS);
      given[j] = given[j]! + moving.length;
      received[j] = true;
      pending.add(j);
      ctx.count('migrated_sequences', moving.length);
      ctx.count('migrated_without_room', added.queued - moving.filter((s) => !s.kvResident).length);
    });
    if (sentUntilS > atS) ctx.timeline.record(setups[source]!.pool, { task: 'kv-migration', stage: 'kv-migration', model: ctx.scenario.models.actor }, atS, sentUntilS);
    ctx.count('cuts');
    release(source, sentUntilS);
  };

  for (;;) {
    let action: Action | undefined;
    cluster.runUntil(() => (action = findAction()) !== undefined);
    if (action === undefined) break;
    const chosen: Action = action;
    if (chosen.kind === 'release') release(chosen.actor, instances[chosen.actor]!.clockS);
    else if (chosen.kind === 'cut') {
      const targets = instances.map((_, j) => j).filter((j) => j !== chosen.actor && live[j]);
      migrate(chosen.actor, targets, settings.migrationDestination);
    } else {
      // RLHFless's model of RLHFuse: every live actor stops; all unfinished responses go to ONE
      // actor — the one holding the most unfinished responses, so the least data moves [X].
      globalDone = true;
      const liveActors = instances.map((_, j) => j).filter((j) => live[j]);
      const survivor = liveActors.reduce((best, j) => (instances[j]!.unfinished > instances[best]!.unfinished ? j : best), liveActors[0]!);
      for (const j of liveActors) if (j !== survivor && instances[j]!.unfinished > 0) migrate(j, [survivor], 'single');
    }
  }
  setups.forEach((_, i) => {
    if (live[i]) release(i, instances[i]!.clockS);
  });

  recordGeneration(ctx, cluster, setups.map((s) => s.pool), 0);
  let endS = 0;
  setups.forEach((setup, i) => {
    ctx.allocator.allocate(setup.pool.name, input.actorGpus, setup.allocateS, { firstGpu: setup.pool.firstGpu });
    ctx.allocator.release(setup.pool.name, Math.max(setup.allocateS, releaseS[i]!));
    endS = Math.max(endS, releaseS[i]!);
  });
  return { endS, releaseS };
}
