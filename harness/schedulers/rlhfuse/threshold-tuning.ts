import type { CostModel } from '../../cost/types.js';
import type { Scenario } from '../../scenario/scenario.js';
import type { WorkloadIteration } from '../../traces/types.js';
import type { Rng } from '../../util/rng.js';
import { IterationContext } from '../iteration-context.js';
import { buildSampleTable } from '../samples.js';
import { engineLimits, scenarioEngine } from '../phases.js';
import { flatBatchLimit } from './flat-batch-limit.js';
import { fusedGenerationInference, type InterStageSettings } from './generation-inference.js';
import { referenceSequenceTokens } from './inference-roles.js';
import { ksDistance } from './length-drift.js';
import type { HistoryFold } from '../types.js';

/**
 * How RLHFuse picks its migration threshold (papers/rlhfuse.md §2.7): by offline simulation over
 * recent iterations' lengths, re-tuned as the lengths drift. Everything it reads is an explicit
 * input (the iterations replayed before this one); nothing is remembered between calls.
 */
export type FirstIterationRule = 'half-capacity' | 'paper-optimum';

export interface ThresholdPolicy {
  /** A threshold the scenario (or a sweep) fixed: used as is. */
  readonly fixed?: number;
  /** The migration-threshold parameter's value (the paper-optimum fallback). */
  readonly configured: number;
  readonly firstIteration: FirstIterationRule;
  readonly gridStep: number;
  readonly retuneDriftKs: number;
}

export interface ThresholdCandidate {
  readonly threshold: number;
  /** Generation + inference stage time of the tuning iteration at this threshold. */
  readonly stageS: number;
}

export type ThresholdDecision =
  | { readonly source: 'fixed'; readonly threshold: number }
  | { readonly source: 'first-iteration'; readonly rule: FirstIterationRule; readonly threshold: number }
  | { readonly source: 'tuned'; readonly threshold: number; readonly tunedOn: number; readonly curve: readonly ThresholdCandidate[] };

/** 0, step, 2·step, … up to the whole batch. */
export function thresholdGrid(step: number): number[] {
  const out: number[] = [];
  for (let k = 0; k * step <= 1 + 1e-12; k++) out.push(Math.round(k * step * 1e9) / 1e9);
  return out;
}

/** Response lengths of an iteration after the scenario's caps. */
function cappedLengths(scenario: Scenario, iteration: WorkloadIteration): Int32Array {
  return buildSampleTable(iteration.groups, scenario.lengths).responseTokens;
}

/** The earlier iteration the threshold in force is tuned on, and its tuning curve once computed. */
export interface TuningReference {
  /** Its position in the replay (0: the first iteration replayed). */
  readonly index: number;
  readonly iteration: WorkloadIteration;
  /** Its response lengths after the scenario's caps. */
  readonly lengths: Int32Array;
  /**
   * The generation + inference time at every candidate threshold, computed by the first
   * iteration that tunes on this reference and reused by the later ones: it is a function of
   * the reference, the scenario and the cost model alone (the inter-stage simulation draws no
   * random numbers), so every later iteration would compute the same curve.
   */
  curve?: readonly ThresholdCandidate[];
}

/** What RLHFuse carries between iterations: how many it has seen and the one it tunes on. */
export interface TuningHistory {
  readonly seen: number;
  readonly reference?: TuningReference;
}

/**
 * Which iteration the threshold in force was tuned on: the first one, then again any later
 * iteration whose lengths differ from the current reference's by more than `retuneDriftKs` (KS
 * distance). One step of the fold, so a replay never looks back over its iterations.
 */
export function addToTuningHistory(history: TuningHistory, scenario: Scenario, iteration: WorkloadIteration, retuneDriftKs: number): TuningHistory {
  const lengths = cappedLengths(scenario, iteration);
  const retune = !history.reference || ksDistance(lengths, history.reference.lengths) > retuneDriftKs;
  return { seen: history.seen + 1, ...(retune ? { reference: { index: history.seen, iteration, lengths } } : history.reference ? { reference: history.reference } : {}) };
}

/** What the tuning fold reads of a scenario: the drift that re-tunes, and whether the scenario fixes the threshold (then nothing is kept). */
export interface TuningPolicyOf {
  (scenario: Scenario): { readonly retuneDriftKs: number; readonly fixed: boolean };
}

/** RLHFuse's tuning history as a replay fold (one per scheduler: the drift is its own parameter). */
export function tuningHistory(policyOf: TuningPolicyOf): HistoryFold<TuningHistory> {
  return {
    name: 'rlhfuse/tuning-reference',
    scope: 'scheduler',
    initial: () => ({ seen: 0 }),
    add: (history, iteration, _result, scenario) => {
      const policy = policyOf(scenario);
      return policy.fixed ? { seen: history.seen + 1 } : addToTuningHistory(history, scenario, iteration, policy.retuneDriftKs);
    },
  };
}

/** The index (in `previous`) of the iteration the threshold in force was tuned on. */
export function tuningIterationIndex(scenario: Scenario, previous: readonly WorkloadIteration[], retuneDriftKs: number): number {
  let history: TuningHistory = { seen: 0 };
  for (const iteration of previous) history = addToTuningHistory(history, scenario, iteration, retuneDriftKs);
  return history.reference?.index ?? 0;
}

/** Generation + inference time of one iteration at one threshold, in a scratch context (nothing recorded anywhere else). */
export function simulateInterStageS(scenario: Scenario, iteration: WorkloadIteration, cost: CostModel, rng: Rng, settings: InterStageSettings, threshold: number): number {
  const ctx = new IterationContext('rlhfuse/threshold-tuning', scenario, iteration, cost, rng);
  const pool = ctx.allocator.allocate('cluster', ctx.totalGpus, 0);
  const stage = fusedGenerationInference(ctx, pool, { readyS: 0, threshold, settings });
  return stage.endS - stage.startS;
}

/** The half-capacity rule: the threshold at which constraint (a) lets half the instances go, from the batch size, layout and cost model alone. */
export function halfCapacityThreshold(ctx: IterationContext, settings: InterStageSettings): number {
  const gen = ctx.scenario.generation;
  const limits = engineLimits(ctx, gen.tp, scenarioEngine(ctx, settings.admissionWatermark));
  const flat = flatBatchLimit(ctx.replica('actor', { tp: gen.tp, pp: 1 }), referenceSequenceTokens(ctx), settings.flatBatchTolerance, limits.maxConcurrentSequences);
  const samples = Math.max(1, ctx.table.count);
  return Math.min(1, (Math.floor(gen.instances / 2) * flat) / samples);
}

export function decideThreshold(ctx: IterationContext, policy: ThresholdPolicy, settings: InterStageSettings, history: TuningHistory): ThresholdDecision {
  if (policy.fixed !== undefined) return { source: 'fixed', threshold: policy.fixed };
  const reference = history.reference;
  if (!reference) {
    const threshold = policy.firstIteration === 'half-capacity' ? halfCapacityThreshold(ctx, settings) : policy.configured;
    return { source: 'first-iteration', rule: policy.firstIteration, threshold };
  }
  const rng = ctx.rng.fork('threshold-tuning');
  reference.curve ??= thresholdGrid(policy.gridStep).map((threshold) => ({ threshold, stageS: simulateInterStageS(ctx.scenario, reference.iteration, ctx.cost, rng.fork(threshold), settings, threshold) }));
  const curve = reference.curve;
  let best = curve[0]!;
  for (const candidate of curve) if (candidate.stageS < best.stageS - 1e-9 * Math.max(1, best.stageS)) best = candidate;
  return { source: 'tuned', threshold: best.threshold, tunedOn: reference.iteration.iteration, curve };
}
