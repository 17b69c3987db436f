import type { ReplicaCost } from '../../cost/types.js';
import type { PoolRef } from '../../sim/types.js';
import { evaluateSchedule } from '../pipeline/evaluate.js';
import { oneFOneBOrders } from '../pipeline/one-f-one-b.js';
import type { NodeOrders, PipelineProblem, PipelineSpec } from '../pipeline/types.js';
import { chunk, splitBalanced, sumOf } from '../partition.js';
import type { IterationContext } from '../iteration-context.js';
import type { Phase } from '../phases.js';
import { fusedScheduleFor, type CachedFusedSchedule } from './fused-schedule-cache.js';
import { deriveFusedLayout, type FusedModelLayout, type FusedTrainingLayout } from './fused-layout.js';
import { fusedLayout, type FusedLayout } from './fused-pipeline/layout.js';
import { stageTimes, type StageTimes } from './stage-times.js';

const GIB = 1024 ** 3;

export interface FusedTrainingOptions {
  readonly readyS: number;
  readonly samplesPerMiniBatch: number;
  readonly sampleOrder: readonly number[];
  readonly searchEvaluations: number;
  readonly memoryReserveBytes: number;
}

export interface FusedTrainingOutcome extends Phase {
  /** Σ over mini-batches of the fused compute and, for comparison, of the two models' 1F1B compute run one after the other. */
  readonly fusedComputeS: number;
  readonly serialComputeS: number;
}

/** Samples per micro-batch, tokens per micro-batch: one pipeline's share of a mini-batch, as uniform micro-batches (as the 1F1B baseline does). */
interface PipelineShare {
  readonly microBatches: number;
  readonly tokens: number;
  readonly sequences: number;
}

function shareOf(ids: readonly number[], sequenceTokens: ArrayLike<number>, microBatchSamples: number): PipelineShare {
  const microBatches = ids.length === 0 ? 0 : Math.ceil(ids.length / microBatchSamples);
  return microBatches === 0 ? { microBatches, tokens: 0, sequences: 0 } : { microBatches, tokens: sumOf(ids, sequenceTokens) / microBatches, sequences: ids.length / microBatches };
}

/**
 * Pipelines side by side in one slot run in lockstep: a slot task lasts as long as the busiest of
 * them, so the bundle is taken as its most micro-batches at its largest micro-batch.
 */
function bundleShare(shares: readonly PipelineShare[]): PipelineShare {
  return {
    microBatches: Math.max(0, ...shares.map((s) => s.microBatches)),
    tokens: Math.max(0, ...shares.map((s) => s.tokens)),
    sequences: Math.max(0, ...shares.map((s) => s.sequences)),
  };
}

function pipelineTimes(times: StageTimes, share: Pick<PipelineShare, 'tokens' | 'sequences'>): Pick<PipelineSpec, 'forwardDurations' | 'backwardDurations' | 'activationPerMicroBatch'> {
  const stages = Array.from({ length: times.stages }, (_, s) => s);
  return {
    forwardDurations: stages.map((s) => times.forwardS(s, share.tokens, share.sequences)),
    backwardDurations: stages.map((s) => times.backwardS(s, share.tokens, share.sequences)),
    activationPerMicroBatch: stages.map((s) => times.activationBytes(s, share.tokens, share.sequences)),
  };
}

/** Training state bytes on one GPU of a replica: the cost model's figure when it has one, else bf16 weights + grads and Adam's 12 bytes sharded over DP. */
function trainingStateBytes(replica: ReplicaCost, dp: number): number {
  const withState = replica as ReplicaCost & { trainingStateBytesPerGpu?: (dp: number) => number };
  if (typeof withState.trainingStateBytesPerGpu === 'function') return withState.trainingStateBytesPerGpu(dp);
  const parameters = replica.weightBytesPerGpu / replica.model.bytesPerParameter;
  return parameters * (2 * replica.model.bytesPerParameter + 12 / Math.max(1, dp));
}

/** One fused group's pipeline problem: the large model's pipeline and the small model's, each with its own micro-batch count and stage times. */
function groupLayout(
  layout: FusedTrainingLayout,
  large: { share: PipelineShare; times: ReturnType<typeof pipelineTimes> },
  smalls: readonly { share: PipelineShare; times: ReturnType<typeof pipelineTimes> }[],
  sendDuration: number,
  memoryLimit: number | undefined,
): FusedLayout {
  const base = fusedLayout({
    ppLarge: layout.large.pp,
    ppSmall: layout.small.pp,
    microBatchesLarge: large.share.microBatches,
    microBatchesSmall: 1,
    large: { name: layout.large.role, forward: large.times.forwardDurations, backward: large.times.backwardDurations, activationPerMicroBatch: large.times.activationPerMicroBatch },
    small: { name: layout.small.role, forward: smalls[0]!.times.forwardDurations, backward: smalls[0]!.times.backwardDurations, activationPerMicroBatch: smalls[0]!.times.activationPerMicroBatch },
    sendDuration,
    ...(memoryLimit !== undefined ? { memoryLimit } : {}),
  });
  const pipelines = base.problem.pipelines.map((pipeline, p) => (p === 0 ? pipeline : { ...pipeline, microBatches: smalls[p - 1]!.share.microBatches, ...smalls[p - 1]!.times }));
  return { ...base, problem: { ...base.problem, pipelines } };
}

function workOf(problem: PipelineProblem): number {
  let work = 0;
  for (const p of problem.pipelines) for (let s = 0; s < p.stageNodes.length; s++) work += p.microBatches * (p.forwardDurations[s]! + p.backwardDurations[s]!);
  return work;
}

/** Each model's 1F1B alone, one after the other (the unfused reference, on the same rescaled layout). */
function serialMakespan(problem: PipelineProblem): number {
  const byModel = new Map<string, number>();
  for (const pipeline of problem.pipelines) {
    const alone: PipelineProblem = { nodeCount: problem.nodeCount, pipelines: [pipeline], ...(problem.sendDuration !== undefined ? { sendDuration: problem.sendDuration } : {}) };
    const evaluation = evaluateSchedule(alone, oneFOneBOrders(alone));
    if (!evaluation.feasible) throw new Error(`1F1B of ${pipeline.model} is infeasible (${evaluation.reason})`);
    byModel.set(pipeline.model, Math.max(byModel.get(pipeline.model) ?? 0, evaluation.makespan));
  }
  return [...byModel.values()].reduce((a, b) => a + b, 0);
}

/** Per-pipeline share of one mini-batch and its cost-model stage times. */
export interface PipelineLoad {
  readonly share: PipelineShare;
  readonly times: ReturnType<typeof pipelineTimes>;
}

/**
 * Everything the fused training stage needs that does not depend on the mini-batch: the fused
 * layout, both models' per-stage times from their layer splits, the activation memory cap, and
 * the offline schedule for a pipeline shape (searched once with the reference stage times).
 */
export interface FusedTrainingModel {
  readonly layout: FusedTrainingLayout;
  /** Activation bytes per GPU the schedule may hold (undefined: no cap). */
  readonly memoryCapBytes: number | undefined;
  readonly largeReplica: ReplicaCost;
  readonly smallReplica: ReplicaCost;
  /** The load of a lockstep bundle of pipelines, given each one's samples of the mini-batch (its DP share), for the large or small model. */
  load(which: 'large' | 'small', idsPerPipeline: readonly (readonly number[])[], sequenceTokens: ArrayLike<number>): PipelineLoad;
  /** One fused group's problem: the large pipeline and its PP_L / PP_S small ones. */
  groupProblem(large: PipelineLoad, smalls: readonly PipelineLoad[], withCap: boolean): FusedLayout;
  /** The offline schedule of a shape (undefined when no schedule fits the memory cap; the reason is noted). */
  scheduleFor(largeMicroBatches: number, smallMicroBatches: readonly number[]): CachedFusedSchedule | undefined;
}

export function buildFusedTrainingModel(ctx: IterationContext, searchEvaluations: number, memoryReserveBytes: number): FusedTrainingModel | undefined {
  const layouts = ctx.scenario.layout!;
  const derived = deriveFusedLayout(layouts.actorTrain, layouts.criticTrain!, ctx.weightBytes('actor'), ctx.weightBytes('critic'));
  if (!derived.ok) {
    ctx.note(`intra-stage fusion not applied: ${derived.reason}; actor and critic train one after the other`);
    return undefined;
  }
  const layout = derived.layout;
  const replicaAt = (role: FusedModelLayout['role']) => (l: { tp: number; pp: number }) => ctx.replica(role, l);
  const largeTimes = stageTimes(replicaAt(layout.large.role), layout.large.tp, layout.large.pp);
  const smallTimes = stageTimes(replicaAt(layout.small.role), layout.small.tp, layout.small.pp);
  const largeReplica = ctx.replica(layout.large.role, { tp: layout.large.tp, pp: layout.large.pp });
  const smallReplica = ctx.replica(layout.small.role, { tp: layout.small.tp, pp: layout.small.pp });
  const limit = ctx.cost.gpu.memoryBytes - trainingStateBytes(largeReplica, layout.large.dp) - trainingStateBytes(smallReplica, layout.small.dp) - memoryReserveBytes;
  if (!(limit > 0)) ctx.note(`the two models' training state leaves no activation memory on a ${ctx.cost.gpu.id}: the fused schedule runs without a memory cap`);
  const memoryCapBytes = limit > 0 ? limit : undefined;
  const sendS = (tokens: number) => Math.max(largeReplica.pipelineSendS(tokens), smallReplica.pipelineSendS(tokens));
  const groupProblem = (large: PipelineLoad, smalls: readonly PipelineLoad[], withCap: boolean) =>
    groupLayout(layout, large, smalls, sendS(Math.max(large.share.tokens, ...smalls.map((s) => s.share.tokens))), withCap ? memoryCapBytes : undefined);
  // The offline search's reference: every sequence half the caps long, micro-batches of the layouts' size.
  const referenceTokens = (ctx.scenario.lengths.maxPromptTokens + ctx.scenario.lengths.maxResponseTokens) / 2;
  const reference = (m: FusedModelLayout, times: StageTimes, microBatches: number): PipelineLoad => {
    const share = { microBatches, tokens: referenceTokens * m.microBatchSamples, sequences: m.microBatchSamples };
    return { share, times: pipelineTimes(times, share) };
  };
  return {
    layout,
    memoryCapBytes,
    largeReplica,
    smallReplica,
    load: (which, idsPerPipeline, sequenceTokens) => {
      const m = which === 'large' ? layout.large : layout.small;
      const share = bundleShare(idsPerPipeline.map((ids) => shareOf(ids, sequenceTokens, m.microBatchSamples)));
      return { share, times: pipelineTimes(which === 'large' ? largeTimes : smallTimes, share) };
    },
    groupProblem,
    scheduleFor: (largeMicroBatches, smallMicroBatches) => {
      const problem = groupProblem(reference(layout.large, largeTimes, largeMicroBatches), smallMicroBatches.map((m) => reference(layout.small, smallTimes, m)), true);
      try {
        return fusedScheduleFor(problem, searchEvaluations);
      } catch (error) {
        ctx.note(`no fused schedule fits the memory cap (${error instanceof Error ? error.message : String(error)}): those mini-batches train unfused`);
        return undefined;
      }
    },
  };
}

/**
 * RLHFuse's intra-stage fusion (papers/rlhfuse.md §3): per PPO mini-batch, the actor's and the
 * critic's forward and backward passes run together as one fused bidirectional pipeline schedule
 * on the same stage slots, then both models' gradient syncs and optimizer steps. The schedule is
 * searched offline once per pipeline shape (reference stage times; memoised) and evaluated with
 * each mini-batch's own cost-model stage times; the slowest fused group sets the mini-batch time.
 * Returns undefined (with a note) when the layouts cannot be fused; the caller trains unfused.
 */
export function fusedTrainingPhase(ctx: IterationContext, pool: PoolRef, options: FusedTrainingOptions): FusedTrainingOutcome | undefined {
  const model = buildFusedTrainingModel(ctx, options.searchEvaluations, options.memoryReserveBytes);
  if (!model) return undefined;
  const { layout, largeReplica, smallReplica } = model;
  const cap = model.memoryCapBytes;
  const fusedGpus = layout.groupGpus * layout.groups;
  const taskPool: PoolRef = { name: 'update_actor+update_critic', firstGpu: pool.firstGpu, gpus: fusedGpus };
  const startS = Math.max(options.readyS, ctx.timeline.freeAtS(taskPool));
  // Per fused group: one bundle of the large model, PP_L / PP_S bundles of the small one; a bundle is `lockstep` DP pipelines.
  const smallPerGroup = layout.large.pp / layout.small.pp;
  const bundle = (groups: readonly (readonly number[])[], index: number, size: number) => groups.slice(index * size, (index + 1) * size);
  const epochs = ctx.scenario.algorithm.ppoEpochs;
  let clock = startS;
  let fusedComputeS = 0;
  let serialComputeS = 0;
  let shapes = 0;
  const seenShapes = new Set<string>();
  for (let epoch = 0; epoch < epochs; epoch++) {
    chunk([...options.sampleOrder], Math.max(1, options.samplesPerMiniBatch)).forEach((ids, index) => {
      const largeGroups = splitBalanced(ids, ctx.sequenceTokens, layout.large.dp);
      const smallGroups = splitBalanced(ids, ctx.sequenceTokens, layout.small.dp);
      let computeS = 0;
      let serialS = 0;
      let work = 0;
      for (let g = 0; g < layout.groups; g++) {
        const large = model.load('large', bundle(largeGroups, g, layout.large.lockstep), ctx.sequenceTokens);
        const smalls = Array.from({ length: smallPerGroup }, (_, k) => model.load('small', bundle(smallGroups, g * smallPerGroup + k, layout.small.lockstep), ctx.sequenceTokens));
        const shares = [large.share, ...smalls.map((s) => s.share)];
        if (shares.every((s) => s.microBatches === 0)) continue;
        // A pipeline with no samples this mini-batch (tiny batches) is built with one empty micro-batch and then dropped.
        const atLeastOne = (l: PipelineLoad): PipelineLoad => (l.share.microBatches > 0 ? l : { ...l, share: { ...l.share, microBatches: 1 } });
        const problem = model.groupProblem(atLeastOne(large), smalls.map(atLeastOne), false).problem;
        // Pipelines with no samples this mini-batch drop out (tiny batches); the rest run fused.
        const present: PipelineProblem = { ...problem, pipelines: problem.pipelines.filter((_, p) => shares[p]!.microBatches > 0) };
        const serial = serialMakespan(present);
        let makespan = serial;
        if (present.pipelines.length === problem.pipelines.length) {
          const key = shares.map((s) => s.microBatches).join(',');
          if (!seenShapes.has(key)) {
            seenShapes.add(key);
            shapes++;
          }
          const schedule = model.scheduleFor(large.share.microBatches, smalls.map((s) => s.share.microBatches));
          if (schedule) {
            const evaluation = evaluateSchedule({ ...present, ...(cap !== undefined ? { memoryLimit: cap } : {}) }, schedule.orders as NodeOrders);
            if (evaluation.feasible) makespan = evaluation.makespan;
            else ctx.note(`the offline fused schedule is infeasible at a mini-batch's actual sizes (${evaluation.reason}): that group trains unfused`);
          }
        }
        computeS = Math.max(computeS, makespan);
        serialS = Math.max(serialS, serial);
        work += workOf(present);
      }
      const crossNode = ctx.crossNode(pool.firstGpu, fusedGpus);
      const updateS =
        largeReplica.gradientSyncS(layout.large.dp, crossNode) +
        largeReplica.optimizerStepS(layout.large.dp) +
        smallReplica.gradientSyncS(layout.small.dp, crossNode) +
        smallReplica.optimizerStepS(layout.small.dp);
      const endS = clock + computeS + updateS;
      const idleS = Math.max(0, computeS - work / (layout.groups * layout.large.pp));
      ctx.timeline.record(
        taskPool,
        { task: 'update_actor+update_critic', stage: 'training', idleS, detail: { miniBatch: index, epoch, samples: ids.length, fusedComputeS: computeS, serialComputeS: serialS } },
        clock,
        endS,
      );
      const suffix = epoch === 0 ? '' : `#epoch${epoch + 1}`;
      ctx.ledger.markMany(`update_actor${suffix}`, ids, clock, endS);
      ctx.ledger.markMany(`update_critic${suffix}`, ids, clock, endS);
      fusedComputeS += computeS;
      serialComputeS += serialS;
      clock = endS;
    });
  }
  ctx.count('fused_schedule_shapes', shapes);
  ctx.note(
    `intra-stage fusion: ${layout.large.role} (PP ${layout.large.pp}) and ${layout.small.role} (${layout.large.pp / layout.small.pp} × PP ${layout.small.pp}) share ${layout.groups} group(s) of ${layout.large.pp} ${layout.slotGpus}-GPU slots (TP ${layout.large.tp} ${layout.large.role} × ${layout.large.lockstep}, TP ${layout.small.tp} ${layout.small.role} × ${layout.small.lockstep} per slot); ` +
      `activation memory cap ${cap !== undefined ? `${(cap / GIB).toFixed(1)} GiB per GPU` : 'none'}`,
  );
  return { startS, endS: clock, fusedComputeS, serialComputeS };
}
