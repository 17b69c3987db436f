import { createRng } from '../../../util/rng.js';
import { InputError } from '../../../util/input-error.js';
import { annealMakespan, annealMemory } from '../../pipeline/anneal.js';
import { ScheduleEvaluator } from '../../pipeline/evaluate.js';
import { listScheduleOrders, type ListScheduleRule } from '../../pipeline/list-schedule.js';
import { peakMemoryLowerBound } from '../../pipeline/memory-bound.js';
import { descendMemory, type MemoryProbe } from '../../pipeline/memory-descent.js';
import { compareScores, compareWithTolerance } from '../../pipeline/objective.js';
import { compileProblem, decodeOrders } from '../../pipeline/problem.js';
import { validateSchedule } from '../../pipeline/validate.js';
import { BudgetMeter } from '../../pipeline/search-budget.js';
import type { ScheduleScore, TaskRef } from '../../pipeline/types.js';
import { greedyOrderCodes } from './greedy.js';
import type { FusedLayout } from './layout.js';
import { latencyLowerBounds, memoryLowerBound, type LatencyLowerBounds } from './lower-bounds.js';
import { fusedMemoryStarts } from './memory-starts.js';
import { tiledStarts, tilingBase } from './tiled-start.js';

export interface FusedSearchOptions {
  readonly seed: number;
  /** Evaluations the makespan search may spend (the deterministic budget). */
  readonly latencyEvaluations?: number;
  /**
   * Evaluations of the memory phase (deterministic). Default `defaultMemoryEvaluations`: about
   * the same work, so about the same time, whatever the problem's size. The phase stops earlier
   * when no memory level is left to try (e.g. at the proven lower bound). On a long layout
   * (`tilingBase`) a quarter of this work (`TILE_BASE_SHARE`, counted as evaluations × tasks)
   * goes to the search of the short layout its tiled start comes from.
   */
  readonly memoryEvaluations?: number;
  /** Wall-clock cap for the whole search, in seconds; a safety net, not the normal stop. */
  readonly timeBudgetS?: number;
  /** Milliseconds clock (injectable for tests). */
  readonly now?: () => number;
  /** Told whenever the best makespan improves. */
  readonly onImprove?: (makespan: number, evaluations: number) => void;
  /** Told every few thousand evaluations which phase is running and how far it is. */
  readonly onProgress?: (phase: 'latency' | 'memory', evaluations: number, budget: number) => void;
  /** Told after every memory cap the memory phase tried. */
  readonly onMemoryProbe?: (probe: MemoryProbe) => void;
  /** Whether a long layout's memory phase also starts from a short layout's schedule, tiled (default true; see tiled-start.ts). */
  readonly tiledStarts?: boolean;
}

export const DEFAULT_LATENCY_EVALUATIONS = 3_000_000;

/**
 * The memory phase's default work, in task evaluations (schedule evaluations × tasks per
 * schedule): an evaluation's cost grows with the task count, so a fixed amount of work takes
 * about the same time on any problem (about 10 s on one loaded core of the development machine).
 */
export const DEFAULT_MEMORY_WORK = 400_000_000;

/**
 * Below this many memory-phase evaluations the memory-capped search cannot finish one probe, so
 * the artifact's memory pass (`annealMemory`, which improves step by step) runs instead.
 */
export const MIN_DESCENT_EVALUATIONS = 20_000;

/** Share of the memory phase's work (evaluations × tasks) a long layout spends on the short layout it is tiled from. */
export const TILE_BASE_SHARE = 0.25;

/** Default memory-phase evaluations for a problem of `taskCount` tasks (at least 50,000). */
export function defaultMemoryEvaluations(taskCount: number): number {
  return Math.max(50_000, Math.round(DEFAULT_MEMORY_WORK / Math.max(1, taskCount)));
}

export interface FusedScheduleSummary {
  readonly codes: Int32Array[];
  readonly orders: TaskRef[][];
  readonly score: ScheduleScore;
  /** Whether its node memory stays within the problem's memory limit (always true without one). */
  readonly withinMemoryLimit: boolean;
}

export interface FusedSearchResult {
  readonly best: FusedScheduleSummary;
  readonly greedy: FusedScheduleSummary;
  readonly bounds: LatencyLowerBounds;
  /** The serial-1F1B stage-0 peak (the artifact's "theoretically best" memory, a reference, not a bound). */
  readonly memoryLowerBound: number;
  /** A proven lower bound on the peak memory of any schedule with the best makespan (`peakMemoryLowerBound`). */
  readonly provenMemoryLowerBound: number;
  /** The construction the makespan search started from (see `constructionRules`). */
  readonly startedFrom: string;
  readonly evaluations: { readonly latency: number; readonly memory: number };
  /** Evaluations and seconds until the final makespan was first reached (0 evaluations: a construction had it; the seconds then count building the constructions). */
  readonly latencyReachedAfter: { readonly evaluations: number; readonly seconds: number };
  /** Memory-phase evaluations, and seconds since the search began, until the final peak memory was first reached (0: the memory phase's start had it). */
  readonly memoryReachedAfter: { readonly evaluations: number; readonly seconds: number };
  /** Peak memory of the schedule the memory phase started from (the lowest among those with the latency phase's makespan). */
  readonly memoryStartPeak: number;
  /** Every memory cap the memory phase tried, in order. */
  readonly memoryProbes: readonly MemoryProbe[];
  readonly seconds: number;
  /** What ended the latency search. */
  readonly stoppedBy: 'lower-bound' | 'evaluation-budget' | 'time-budget';
  /** Whether the wall-clock cap cut either phase short: then the result depends on machine speed. */
  readonly timeBudgetBound: boolean;
}

/**
 * Constructions tried before any local search: the artifact greedy, and critical-path list
 * schedules (earliest start, then longest remaining chain) under in-flight caps of k × 1F1B's
 * (k set separately for the two models), with and without the greedy's "small model only fills
 * gaps" filter. Low k keeps memory near 1F1B's; high k lets early stages run ahead, which the
 * bottleneck bound b3 needs. Plus each model in its own 1F1B order, interleaved by earliest start
 * (memory near 1F1B's, the start of the memory phase). 75 list schedules, well under a second on
 * the published instances.
 */
export function constructionRules(layout: Pick<FusedLayout, 'largePipeline' | 'smallPipelines'>): { name: string; rule: ListScheduleRule }[] {
  const small = new Set(layout.smallPipelines);
  const rules: { name: string; rule: ListScheduleRule }[] = [{ name: 'greedy', rule: { priority: 'backward-first', fillOnly: small } }];
  const everyPipeline = new Set([layout.largePipeline, ...layout.smallPipelines]);
  for (const fill of [false, true]) {
    rules.push({ name: `1F1B per model, interleaved by earliest start${fill ? ', small fills gaps' : ''}`, rule: { priority: 'backward-first', oneFOneBPipelines: everyPipeline, ...(fill ? { fillOnly: small } : {}) } });
  }
  const factors = [1, 1.5, 2, 3, 4, Infinity];
  const label = (factor: number) => (factor === Infinity ? 'none' : `${factor}x`);
  for (const fill of [false, true]) {
    for (const largeFactor of factors) {
      for (const smallFactor of factors) {
        const byPipeline = new Map<number, number>([[layout.largePipeline, largeFactor], ...layout.smallPipelines.map((p): [number, number] => [p, smallFactor])]);
        rules.push({
          name: `longest-tail${fill ? ', small fills gaps' : ''}, in-flight cap large ${label(largeFactor)} small ${label(smallFactor)} of 1F1B`,
          rule: { priority: 'longest-tail', inFlightFactorByPipeline: byPipeline, ...(fill ? { fillOnly: small } : {}) },
        });
      }
    }
  }
  return rules;
}

/**
 * Finds a fused schedule in two phases, each on its own evaluation budget:
 * 1. latency: constructions, then simulated annealing on makespan until the latency lower bound
 *    or the budget;
 * 2. memory: at that makespan, lowers the peak activation memory by memory-capped searches
 *    (`descendMemory`, started from `fusedMemoryStarts`), down to the proven lower bound if it
 *    gets there. This replaces the artifact's memory pass (annealing memory at a fixed makespan,
 *    `annealMemory`), which crawls on the thin set of lower-bound schedules; that pass only runs
 *    when the budget is below `MIN_DESCENT_EVALUATIONS`. A long layout (at least 3 × its short
 *    base, `tilingBase`) also starts from the short layout's schedule with its middle period
 *    repeated (`tiled-start.ts`), annealed first: per task, the long layout's own budget buys too
 *    few evaluations to get near it (exp 3's layout at 3,072 tasks, seed 1: peak 45 untiled at
 *    the default, 18.85 tiled).
 * Never worse than the greedy (it is one of the starts). Every returned schedule passes the
 * independent validator. Deterministic for a seed and evaluation budgets as long as the time
 * budget does not bind.
 */
export function searchFusedSchedule(layout: FusedLayout, options: FusedSearchOptions): FusedSearchResult {
  const now = options.now ?? (() => performance.now());
  const startedMs = now();
  const compiled = compileProblem(layout.problem);
  const evaluator = new ScheduleEvaluator(compiled);
  const bounds = latencyLowerBounds(layout.problem);
  const rng = createRng(options.seed);
  const deadlineMs = options.timeBudgetS !== undefined ? startedMs + options.timeBudgetS * 1000 : undefined;
  const clock = { now, ...(deadlineMs !== undefined ? { deadlineMs } : {}) };
  const latencyBudget = options.latencyEvaluations ?? DEFAULT_LATENCY_EVALUATIONS;
  const latencyMeter = new BudgetMeter({ maxEvaluations: latencyBudget, ...clock, onTick: (evaluations) => options.onProgress?.('latency', evaluations, latencyBudget) });

  const summarize = (codes: Int32Array[]): FusedScheduleSummary => {
    const feasible = evaluator.run(codes);
    if (!feasible && evaluator.infeasibleReason !== 'memory-limit') throw new Error(`fused search: a constructed schedule ${evaluator.infeasibleReason} (a bug)`);
    return { codes, orders: decodeOrders(codes), score: evaluator.score(), withinMemoryLimit: feasible };
  };

  const greedy = summarize(greedyOrderCodes(compiled, layout));
  const constructions = constructionRules(layout)
    .map(({ name, rule }) => ({ name, summary: name === 'greedy' ? greedy : summarize(listScheduleOrders(compiled, rule)) }))
    .filter(({ summary }) => summary.withinMemoryLimit);
  if (constructions.length === 0) {
    throw new InputError({ file: 'fused pipeline spec', field: 'memoryLimit', value: layout.problem.memoryLimit, message: 'no constructed schedule fits in this memory limit, not even one capped at 1F1B in-flight counts' });
  }
  constructions.sort((a, b) => compareScores(a.summary.score, b.summary.score));
  const start = constructions[0]!;

  // Until annealing improves on it, the best makespan is the constructions' (reached once they are built).
  let latencyReachedMs = now();
  let latencyReachedEvaluations = 0;
  const annealed = annealMakespan(evaluator, start.summary.codes, {
    rng: rng.fork('makespan'),
    meter: latencyMeter,
    target: bounds.lowerBound,
    onImprove: (score, evaluations) => {
      latencyReachedMs = now();
      latencyReachedEvaluations = evaluations;
      options.onImprove?.(score.makespan, evaluations);
    },
  });
  const latencyEndedMs = now();
  const reachedBound = compareWithTolerance(annealed.score.makespan, bounds.lowerBound) <= 0;

  // Memory phase, on its own budget: from the lowest-memory schedule among those with the
  // makespan just found, memory-capped searches that keep that makespan (see `descendMemory`).
  const makespan = annealed.score.makespan;
  const requestedMemoryEvaluations = options.memoryEvaluations ?? defaultMemoryEvaluations(compiled.taskCount);
  // Tiled only when the long layout's own descent still gets its minimum after the base's share.
  const tilingLayout = (1 - TILE_BASE_SHARE) * requestedMemoryEvaluations >= MIN_DESCENT_EVALUATIONS && options.tiledStarts !== false ? tilingBase(layout) : undefined;
  // The short layout's search takes TILE_BASE_SHARE of the memory phase's work (evaluations × tasks), the long one the rest.
  const tiling =
    tilingLayout === undefined
      ? undefined
      : { base: tilingLayout, baseEvaluations: Math.round((TILE_BASE_SHARE * requestedMemoryEvaluations * compiled.taskCount) / compileProblem(tilingLayout.problem).taskCount) };
  const memoryEvaluations = tiling === undefined ? requestedMemoryEvaluations : requestedMemoryEvaluations - Math.round(TILE_BASE_SHARE * requestedMemoryEvaluations);
  const memoryMeter = new BudgetMeter({ maxEvaluations: memoryEvaluations, ...clock, onTick: (evaluations) => options.onProgress?.('memory', evaluations, memoryEvaluations) });
  const memoryStart = [annealed, ...constructions.map(({ summary }) => ({ orders: summary.codes, score: summary.score }))]
    .filter((candidate) => compareWithTolerance(candidate.score.makespan, makespan) === 0)
    .sort((a, b) => compareScores(a.score, b.score))[0]!;
  const provenMemoryLowerBound = peakMemoryLowerBound(layout.problem, makespan);
  const constructed = fusedMemoryStarts(layout, compiled, makespan);
  // A long layout also starts from the schedule of a short one, repeated in its middle (see
  // tiled-start.ts); finding it costs a share of the memory phase's work.
  const tiled = tiling ? tiledStarts(layout, tiling.base, searchFusedSchedule(tiling.base, { seed: options.seed, memoryEvaluations: tiling.baseEvaluations, now }).best.codes) : [];
  let memoryReachedMs = now();
  let memoryReachedEvaluations = 0;
  const reduced =
    memoryEvaluations >= MIN_DESCENT_EVALUATIONS
      ? descendMemory(evaluator, memoryStart.orders, {
          rng: rng.fork('memory'),
          meter: memoryMeter,
          makespanCap: makespan,
          startsFor: (memoryCap) => [...constructed(memoryCap), ...tiled],
          ...(tiled.length > 0 ? { carriedStart: tiled[0]! } : {}),
          memoryLowerBound: provenMemoryLowerBound,
          ladderStart: memoryLowerBound(layout.problem),
          ...(options.onMemoryProbe !== undefined ? { onProbe: options.onMemoryProbe } : {}),
          onImprove: (_score, evaluations) => {
            memoryReachedMs = now();
            memoryReachedEvaluations = evaluations;
          },
        })
      : memoryEvaluations > 0
        ? { ...annealMemory(evaluator, memoryStart.orders, { rng: rng.fork('memory'), meter: memoryMeter, makespanCap: makespan, evaluations: memoryEvaluations }), probes: [] }
        : { orders: memoryStart.orders, score: memoryStart.score, probes: [] };
  if (memoryEvaluations > 0 && memoryEvaluations < MIN_DESCENT_EVALUATIONS && compareScores(reduced.score, memoryStart.score) < 0) {
    memoryReachedMs = now();
    memoryReachedEvaluations = memoryMeter.evaluations;
  }

  const timedOut = latencyMeter.timedOut || memoryMeter.timedOut;
  const best = summarize(reduced.orders);
  // Every returned schedule goes through the independent validator: a failure is a harness bug.
  for (const [what, summary] of [
    ['searched', best],
    ['greedy', greedy],
  ] as const) {
    const report = validateSchedule(layout.problem, summary.orders, summary.withinMemoryLimit ? {} : { memoryLimit: Infinity });
    if (!report.valid) throw new Error(`fused search: the ${what} schedule fails validation (a bug): ${report.problems.slice(0, 3).join('; ')}`);
    if (compareWithTolerance(report.makespan, summary.score.makespan) !== 0) throw new Error(`fused search: the ${what} makespan ${summary.score.makespan} is ${report.makespan} when recomputed (a bug)`);
  }
  return {
    best,
    greedy,
    bounds,
    memoryLowerBound: memoryLowerBound(layout.problem),
    provenMemoryLowerBound,
    startedFrom: start.name,
    evaluations: { latency: latencyMeter.evaluations, memory: memoryMeter.evaluations },
    latencyReachedAfter: { evaluations: latencyReachedEvaluations, seconds: (latencyReachedMs - startedMs) / 1000 },
    memoryReachedAfter: { evaluations: memoryReachedEvaluations, seconds: (Math.max(memoryReachedMs, latencyEndedMs) - startedMs) / 1000 },
    memoryStartPeak: memoryStart.score.peakMemory,
    memoryProbes: reduced.probes,
    seconds: (Math.max(latencyEndedMs, now()) - startedMs) / 1000,
    stoppedBy: reachedBound ? 'lower-bound' : latencyMeter.timedOut ? 'time-budget' : 'evaluation-budget',
    timeBudgetBound: timedOut,
  };
}
