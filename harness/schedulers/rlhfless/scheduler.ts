import type { Placement } from '../../cost/types.js';
import type { CostModel } from '../../cost/types.js';
import type { Scenario } from '../../scenario/scenario.js';
import { scenarioSharesPrompts } from '../../scenario/serving-engine.js';
import type { IterationResult } from '../../sim/types.js';
import type { WorkloadIteration } from '../../traces/types.js';
import type { Rng } from '../../util/rng.js';
import { buildRequests } from '../generation/requests.js';
import { IterationContext } from '../iteration-context.js';
import { assertRequestsFit, engineLimits, scenarioEngine } from '../phases.js';
import type { SchedulerParameterSet } from '../parameters/index.js';
import type { ReplayHistory } from '../types.js';
import { DecodeProfile } from './decode-profile.js';
import { runPreparationAndLearning } from './functions.js';
import { runServerlessGeneration } from './generation.js';
import { LengthHistory, lengthObservations } from './length-history.js';
import { resolveSettings, type rlhflessParameters, type RlhflessSettings } from './parameters.js';
import { planStep, type PlannerGroups, type PlannerInput, type StepPlan } from './planner.js';
import { predictLengths, type Predictions } from './predictor.js';
import { buildPrefixForest, choosePrefixDepth, prefillWork, PrefixUnion, sharedPrefixTokens, type PrefixDepthChoice, type PrefixForest } from './prefix-dedup.js';
import { DECODE_ACTORS_COUNTER, EXEC_COUNTER_PREFIX, PrewarmHistory, prewarmHistory } from './prewarm.js';

/**
 * Everything the planner decides before a step runs (RLHFless §1 steps 1–4), as plain data: the
 * predictions, the deduplicated prefill, and the actor plan. Pure: a function of the scenario,
 * the iteration, the cost model, the replay's history and a seeded stream.
 */
export interface StepDecision {
  readonly settings: RlhflessSettings;
  readonly predictions: Predictions;
  readonly forest: PrefixForest;
  readonly depth: PrefixDepthChoice;
  readonly prefillCapacity: number;
  /** Deduplicated prefix tokens per group. */
  readonly prefixTokens: Int32Array;
  readonly prefillActorTokens: number;
  readonly prefillActorPrefixes: number;
  readonly prefillActorS: number;
  readonly weightSyncS: Readonly<Record<Placement, number>>;
  readonly prefixUnion: PrefixUnion | undefined;
  readonly plan: StepPlan;
}

function prefillSeconds(replica: { prefillS(tokens: number, sequences: number): number }, tokensPerPrefix: Int32Array, maxBatchedTokens: number): number {
  let total = 0;
  let stepTokens = 0;
  let stepSequences = 0;
  for (const tokens of tokensPerPrefix) {
    if (tokens <= 0) continue;
    if (stepSequences > 0 && stepTokens + tokens > maxBatchedTokens) {
      total += replica.prefillS(stepTokens, stepSequences);
      stepTokens = 0;
      stepSequences = 0;
    }
    stepTokens += tokens;
    stepSequences++;
  }
  return stepSequences > 0 ? total + replica.prefillS(stepTokens, stepSequences) : total;
}

/** The planner's decision for one step (what the `rlhfless-planner` benchmark times). */
export function decideStep(ctx: IterationContext, settings: RlhflessSettings, history: ReplayHistory | undefined): StepDecision {
  const { scenario, table, cost } = ctx;
  const actorGpus = scenario.generation.tp;
  const replica = ctx.replica('actor', { tp: actorGpus, pp: 1 });
  const limits = engineLimits(ctx, actorGpus, scenarioEngine(ctx, settings.admissionWatermark));
  const groups = ctx.iteration.groups;
  const capTokens = scenario.lengths.maxResponseTokens;

  const lengthHistory = (settings.predictor.kind === 'ewma' || settings.predictor.kind === 'none') && history ? LengthHistory.of(history.state(lengthObservations), settings.groupReduction) : LengthHistory.empty();
  const predictions = predictLengths(groups, lengthHistory, { predictor: settings.predictor, ewmaWindow: settings.ewmaWindow, ewmaAlpha: settings.ewmaAlpha, groupReduction: settings.groupReduction, capTokens }, ctx.rng.fork('predictor'));

  const samples = new Int32Array(groups.length);
  const promptTokens = new Int32Array(groups.length);
  for (let g = 0; g < groups.length; g++) {
    samples[g] = table.firstSampleOfGroup[g + 1]! - table.firstSampleOfGroup[g]!;
    promptTokens[g] = samples[g]! > 0 ? table.promptTokens[table.firstSampleOfGroup[g]!]! : 0;
  }
  const forest = buildPrefixForest(groups.map((group, g) => ({ group, promptTokens: promptTokens[g]!, samples: samples[g]! })));
  const derivedCapacity = Math.min(limits.maxConcurrentSequences, Math.floor((limits.kvCapacityTokens * (1 - limits.admissionWatermark)) / Math.max(1, scenario.lengths.maxPromptTokens)));
  const prefillCapacity = settings.prefillBatchCapacity > 0 ? settings.prefillBatchCapacity : Math.max(1, derivedCapacity);
  const dedup = settings.techniques.deduplicatedPrefill;
  const depth = dedup ? choosePrefixDepth(forest, prefillCapacity) : { depthTokens: 0, distinctPrefixes: 0, belowShortestPrompt: false };
  const prefixTokens = sharedPrefixTokens(forest, depth.depthTokens);
  const work = prefillWork(forest, prefixTokens);
  const prefillActorS = prefillSeconds(replica, work.newTokens, limits.maxBatchedTokens);

  const sharing = scenarioSharesPrompts(scenario);
  const ownPrefillTokens = new Float64Array(groups.length);
  const promptKvTokens = new Float64Array(groups.length);
  for (let g = 0; g < groups.length; g++) {
    const prompt = promptTokens[g]!;
    const prefix = prefixTokens[g]!;
    const shared = sharing || prefix > 0;
    ownPrefillTokens[g] = prefix >= prompt && prefix > 0 ? 0 : (prompt - prefix) * (shared ? 1 : samples[g]!);
    promptKvTokens[g] = shared ? prompt : prompt * samples[g]!;
  }
  const plannerGroups: PlannerGroups = { samples, predictedTokens: predictions.tokens, promptTokens, ownPrefillTokens, promptKvTokens, prefixTokens };

  const iterationScope = scenario.scope === 'iteration' && scenario.layout !== undefined;
  const weights = ctx.weightBytes('actor');
  const weightSyncS: Record<Placement, number> = iterationScope
    ? { 'same-gpu': cost.transferS(weights, 'same-gpu'), 'same-node': cost.transferS(weights, 'same-node'), 'other-node': cost.transferS(weights, 'other-node') }
    : { 'same-gpu': 0, 'same-node': 0, 'other-node': 0 };
  const meanPrompt = Math.max(1, table.distinctPromptTokens / Math.max(1, groups.length));
  const probeTokens = limits.maxBatchedTokens;
  const prefillSPerToken = replica.prefillS(probeTokens, Math.max(1, Math.round(probeTokens / meanPrompt))) / probeTokens;
  const fit = Math.max(1, Math.floor(ctx.totalGpus / actorGpus));
  let minActors = settings.minActors;
  let maxActors = settings.maxActors > 0 ? Math.min(settings.maxActors, fit) : fit;
  if (!settings.techniques.actorScaling) minActors = maxActors = Math.min(fit, Math.max(1, scenario.generation.instances));
  minActors = Math.min(minActors, maxActors);
  const prefixUnion = forest.privateOnly ? undefined : new PrefixUnion(forest, prefixTokens);
  const input: PlannerInput = {
    groups: plannerGroups,
    order: settings.techniques.promptAssignment ? 'predicted' : 'trace',
    actorGpus,
    gpusPerNode: ctx.gpusPerNode,
    minActors,
    maxActors,
    lambda: settings.lambda,
    localityForm: settings.localityForm,
    timing: {
      prefillActorS,
      weightSyncS,
      kvTransferS: (tokens, placement) => cost.transferS(tokens * replica.kvBytesPerToken, placement),
      prefillSPerToken,
      kvUsableTokens: limits.kvCapacityTokens * (1 - limits.admissionWatermark),
      maxSequences: limits.maxConcurrentSequences,
    },
    profile: new DecodeProfile(replica),
    ...(prefixUnion ? { prefixUnion } : {}),
  };
  return {
    settings,
    predictions,
    forest,
    depth,
    prefillCapacity,
    prefixTokens,
    prefillActorTokens: work.tokens,
    prefillActorPrefixes: work.prefixes,
    prefillActorS,
    weightSyncS,
    prefixUnion,
    plan: planStep(input),
  };
}

function countDecision(ctx: IterationContext, decision: StepDecision): void {
  const { plan, predictions, depth } = decision;
  ctx.count(DECODE_ACTORS_COUNTER, plan.actors.length);
  ctx.count('actor_candidates', plan.candidates.length);
  ctx.count('locality_infeasible_candidates', plan.candidates.filter((c) => !c.feasible).length);
  ctx.count('predicted_from_history', predictions.fromHistory);
  ctx.count('predicted_from_reference_answer', predictions.fromReference);
  ctx.count('predicted_from_fallback', predictions.fromFallback);
  ctx.count('prefix_depth_tokens', depth.depthTokens);
  ctx.count('prefill_actor_tokens', decision.prefillActorTokens);
  ctx.count('prefill_actor_prefixes', decision.prefillActorPrefixes);
  if (plan.choice.noneFeasible && plan.candidates.length > 1) ctx.note('no actor count met the locality constraint; the least violating one was chosen');
  if (depth.belowShortestPrompt) ctx.note('no prefix depth from the shortest prompt up fits the prefill capacity; a shallower depth was searched [X]');
  if (decision.settings.techniques.deduplicatedPrefill && depth.depthTokens === 0 && decision.forest.sharedEnd.some((end) => end > 0)) ctx.note('no prefix depth fits the prefill capacity: deduplicated prefill skipped this step');
}

/** One RLHFless step under a registry variant's parameters. Pure given its inputs, history included. */
export function runRlhfless(
  parameters: SchedulerParameterSet<typeof rlhflessParameters>,
  scenario: Scenario,
  iteration: WorkloadIteration,
  cost: CostModel,
  rng: Rng,
  history?: ReplayHistory,
): IterationResult {
  const settings = resolveSettings(parameters, scenario);
  const ctx = new IterationContext(parameters.scheduler, scenario, iteration, cost, rng);
  if (ctx.table.count === 0) return ctx.finish();
  const actorGpus = scenario.generation.tp;
  const limits = engineLimits(ctx, actorGpus, scenarioEngine(ctx, settings.admissionWatermark));
  assertRequestsFit(ctx, buildRequests(ctx.table, scenarioSharesPrompts(scenario)), limits, actorGpus);
  const decision = decideStep(ctx, settings, history);
  countDecision(ctx, decision);

  const iterationScope = scenario.scope === 'iteration' && scenario.layout !== undefined;
  const prewarm = history ? history.state(prewarmHistory) : PrewarmHistory.empty();
  const replica = ctx.replica('actor', { tp: actorGpus, pp: 1 });
  const generation = runServerlessGeneration(ctx, {
    actors: decision.plan.actors,
    groups: { prefixTokens: decision.prefixTokens, sharePrompt: () => scenarioSharesPrompts(scenario) },
    actorGpus,
    limits,
    stepCost: replica,
    kvBytesPerToken: replica.kvBytesPerToken,
    settings,
    weightSyncS: decision.weightSyncS,
    prefillActorS: decision.prefillActorS,
    coldStartS: iterationScope ? settings.coldStartS : 0,
    warmActors: iterationScope ? prewarm.warmDecodeActors : Infinity,
    // The decode actors follow the previous step's learner: needed at this step's start.
    predictedNeedS: prewarm.hasHistory ? settings.prewarmBufferS : undefined,
    prefixUnion: decision.prefixUnion,
    transferS: (bytes, placement) => cost.transferS(bytes, placement),
  });
  ctx.counters[`${EXEC_COUNTER_PREFIX}generation`] = generation.endS;
  if (!iterationScope) return ctx.finish();

  const gpuFreeAtS = new Float64Array(ctx.totalGpus);
  decision.plan.actors.forEach((actor, k) => {
    for (let gpu = actor.firstGpu; gpu < actor.firstGpu + actorGpus; gpu++) gpuFreeAtS[gpu] = generation.releaseS[k]!;
  });
  runPreparationAndLearning({ ctx, gpuFreeAtS, prewarm, coldStartS: settings.coldStartS, modelLoadS: settings.modelLoadS, prewarmBufferS: settings.prewarmBufferS }, generation.endS);
  return ctx.finish();
}
