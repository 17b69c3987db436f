import type { Rng } from '../../util/rng.js';
import { annealMakespan, durationScale } from './anneal.js';
import type { ScheduleEvaluator } from './evaluate.js';
import { listScheduleOrders } from './list-schedule.js';
import { compareScores, compareWithTolerance } from './objective.js';
import type { CompiledProblem } from './problem.js';
import type { BudgetMeter } from './search-budget.js';
import type { ScheduleScore } from './types.js';

/**
 * Lowering peak activation memory at a fixed makespan, with memory as the constraint and
 * latency as the objective: for a per-node memory cap M, build schedules that respect M
 * (constructions), then anneal their makespan down to the target without ever crossing M
 * (`annealMakespan` with `memoryCap`). Reaching the target shows that M is feasible.
 *
 * Why not anneal memory at a fixed makespan (the artifact's memory pass, `annealMemory`)? At the
 * latency lower bound the schedules with that makespan are a thin set: nearly every move leaves
 * it, so the pass crawls. The makespan landscape under a memory cap is smooth enough for the
 * critical-path annealing that finds the lower bound in the first place.
 *
 * Three phases share one evaluation budget (the first two take turns, a rung then a probe):
 * 1. **Ladder**, from below, with the starts that keep a pipeline's own sequences (if any; else
 *    all): start at a low cap (the serial-1F1B peak, or the proven memory lower bound if higher),
 *    anneal the best start there, and while the target is missed relax the cap a step and go on
 *    annealing the same schedule (it fits every higher cap). The step doubles after a rung that
 *    did not shorten the makespan, when fresh constructions are raced against the carried
 *    schedule; two such rungs in a row end the ladder. The first cap that reaches the target is
 *    close to the lowest feasible one, and every evaluation is spent near it. At most
 *    `ladderShare` of the budget.
 * 2. **Top-down**: bisection between the ladder's start and the best peak (the first probe only
 *    a third of the way down) while probes of half a cycle reach the target (loose caps are
 *    quick to meet); the first miss ends it.
 *    On a small budget (below `STEP_DOWN_BELOW`) a third turn, **step-down**: the best schedule
 *    list-scheduled again under a cap a little below its peak, with its own start times as
 *    release times, annealed for a cycle; the step grows after a success and shrinks after a miss.
 * 3. **Refinement**: bisection between the highest cap that failed and the best peak, each probe
 *    racing the best start of each group, schedules kept from missed caps included. A near miss
 *    (within `nearMissGap` of the target) is tried above first and retried later; when every
 *    level has failed and budget is left, the bisection starts over from the proven bound.
 */
export interface DescentStart {
  /** What built it (for reports). */
  readonly name: string;
  readonly orders: Int32Array[];
  /** Pipelines whose per-node F/B sequences the annealing keeps (see `annealMakespan`). */
  readonly keepSequences?: ReadonlySet<number>;
  /**
   * Starts of one group race each other; each probe races the best of every group. Default:
   * 'kept' for starts with `keepSequences`, else 'free'.
   */
  readonly group?: string;
}

export interface MemoryDescentOptions {
  readonly rng: Rng;
  readonly meter: BudgetMeter;
  /** The makespan every returned schedule keeps (within tolerance). */
  readonly makespanCap: number;
  /** Start schedules for a memory cap (any that exceed it or deadlock are dropped). */
  readonly startsFor: (memoryCap: number) => readonly DescentStart[];
  /** A proven lower bound on the peak (see `peakMemoryLowerBound`): no cap below it is tried. */
  readonly memoryLowerBound?: number;
  /** Where the ladder starts (e.g. the serial-1F1B peak); default the memory lower bound. */
  readonly ladderStart?: number;
  /**
   * A schedule with a low peak but a makespan above the target (e.g. a long schedule tiled from
   * a short one): annealed first, under caps rising from its peak (phase 0).
   */
  readonly carriedStart?: DescentStart;
  /** Share of the budget the carried start's rungs may spend (default 0.8). */
  readonly carriedShare?: number;
  /** Ladder step, as a share of the ladder's first cap (default 0.025). */
  readonly ladderStep?: number;
  /** Share of the budget the ladder may spend (default 0.65). */
  readonly ladderShare?: number;
  /** Evaluations per ladder rung and per cooling cycle of the probes (default a quarter of the budget, within 5,000–100,000). */
  readonly cycleEvaluations?: number;
  /** Evaluations of each start's pilot run when starts are raced (default a sixth of a cycle, at most 15,000). */
  readonly pilotEvaluations?: number;
  /** Evaluations one refinement probe may spend (default 3 cycles). */
  readonly probeEvaluations?: number;
  /** Cooling cycles in a row without a shorter makespan after which a probe's racer is dropped (default 2). */
  readonly patience?: number;
  /** A failed probe whose best makespan is within this share of the makespan cap is a near miss (default 0.01). */
  readonly nearMissGap?: number;
  /** Share of the annealing's critical moves that are block moves (default 0.6). */
  readonly blockMoveShare?: number;
  /** Times the refinement tries again, once every level has failed, while budget is left: the near misses first, then every level above the proven bound (default 3). */
  readonly retries?: number;
  /**
   * Whether steps down from the best (see `stepDown`) take turns with the ladder and the top-down
   * probes. Default: when the budget is below `STEP_DOWN_BELOW` evaluations.
   */
  readonly stepDownFromBest?: boolean;
  /** Misses in a row one memory level below the best after which the steps down from the best end (default 2). */
  readonly stepDownPatience?: number;
  /** Told after every ladder rung and probe. */
  readonly onProbe?: (probe: MemoryProbe) => void;
  /** Told whenever the best peak memory falls (with the evaluations spent so far on the meter). */
  readonly onImprove?: (score: ScheduleScore, evaluations: number) => void;
}

export interface MemoryProbe {
  readonly phase: 'carried' | 'ladder' | 'top-down' | 'step-down' | 'refine';
  /** The per-node memory cap tried. */
  readonly memoryCap: number;
  /** Whether a schedule within the cap reached the makespan cap. */
  readonly reached: boolean;
  /** Best makespan found within the cap, and that schedule's peak memory (Infinity: no start fit the cap). */
  readonly makespan: number;
  readonly peakMemory: number;
  /** The start the annealing ran from. */
  readonly startedFrom: string;
  /** Evaluations the probe spent. */
  readonly evaluations: number;
}

export interface MemoryDescentOutcome {
  readonly orders: Int32Array[];
  readonly score: ScheduleScore;
  readonly probes: readonly MemoryProbe[];
  /** Evaluations spent (on the meter) when the returned peak memory was first reached. */
  readonly evaluationsAtBest: number;
}

interface Found {
  readonly name: string;
  readonly orders: Int32Array[];
  readonly score: ScheduleScore;
  readonly keepSequences?: ReadonlySet<number>;
  readonly group?: string;
}

/**
 * Every memory a node can hold: sums over its pipelines of (micro-batches in flight × the
 * stage's activation), sorted, distinct, within (above, below). Memory is counted at the end of
 * each task, so a node's peak is one of them.
 */
export function memoryLevels(compiled: CompiledProblem, above: number, below: number): number[] {
  const { nodeCount, pipelineCount, stageOnNode, chainMemoryDelta, microBatches } = compiled;
  const all = new Set<number>();
  const key = (value: number) => Number(value.toPrecision(12));
  for (let node = 0; node < nodeCount; node++) {
    let sums = [0];
    for (let p = 0; p < pipelineCount; p++) {
      const stage = stageOnNode[node * pipelineCount + p]!;
      if (stage < 0) continue;
      const activation = chainMemoryDelta[p]![stage]!;
      if (activation <= 0) continue;
      const next = new Set<number>();
      for (const sum of sums) {
        for (let k = 0; k <= microBatches[p]!; k++) {
          const value = key(sum + k * activation);
          if (compareWithTolerance(value, below) >= 0) break;
          next.add(value);
        }
      }
      sums = [...next];
    }
    for (const sum of sums) all.add(sum);
  }
  return [...all].filter((value) => compareWithTolerance(value, above) > 0).sort((a, b) => a - b);
}

/** Cooling cycle of the carried start's annealing: short cycles reheat often, which a schedule far above the target needs. */
const CARRIED_CYCLE_EVALUATIONS = 30_000;

/**
 * Budgets below this many evaluations step down from the best between ladder rungs and top-down
 * probes (`stepDownFromBest`). The ladder spends up to 150,000 evaluations per rung and pays off
 * only over several rungs; on a budget of a few cycles stepping down from the best gets further.
 * A tiling base's search gets about 195,000-260,000 (a quarter of the default work): on
 * FlexFusion exp 4's layout at 195,313 evaluations, seeds 1-3, the peak went from 19.55 / 19.6 /
 * 20.55 to 18.85 / 17.95 / 18.9; on exp 1's at 260,417 from 15.95 / 15.95 / 15.85 to 15.85 /
 * 15.95 / 15.95. On full default budgets it is mixed (forced on, seed 1: exp 0 16 -> 16, exp 3
 * 18.75 -> 19.55, exp 4 17.9 -> 17.6), so they keep the old order.
 */
export const STEP_DOWN_BELOW = 300_000;

const middle = (levels: readonly number[]) => levels[Math.floor((levels.length - 1) / 2)]!;

/** Among schedules within the makespan cap, the better: lower peak, then the §3.5 order (makespan, sum of node peaks, ...). */
function lowerMemory(a: ScheduleScore, b: ScheduleScore): boolean {
  return (compareWithTolerance(a.peakMemory, b.peakMemory) || compareScores(a, b)) < 0;
}

/**
 * Lowers the peak memory of `start` (a schedule with makespan ≤ `makespanCap`) until the memory
 * levels left to try run out or the meter's budget does. Deterministic for the rng's seed and the
 * meter's evaluation budget.
 */
export function descendMemory(evaluator: ScheduleEvaluator, start: Int32Array[], options: MemoryDescentOptions): MemoryDescentOutcome {
  const { meter, makespanCap } = options;
  const compiled = evaluator.compiled;
  if (!evaluator.run(start) || compareWithTolerance(evaluator.makespan, makespanCap) > 0) throw new Error('descendMemory: the start is infeasible or above the makespan cap');
  // Small budgets (a scheduler's quick search) get shorter cycles, so the phases still take turns.
  const budget = meter.remaining;
  const cycle = options.cycleEvaluations ?? Math.round(Math.min(100_000, Math.max(5_000, budget / 4)));
  const pilot = options.pilotEvaluations ?? Math.round(Math.min(15_000, cycle / 6));
  let best: Found = { name: 'start', orders: start.map((order) => order.slice()), score: evaluator.score() };
  let evaluationsAtBest = meter.evaluations;
  const probes: MemoryProbe[] = [];
  // Schedules from caps that missed the target: they fit every higher cap.
  const pool: Found[] = [];
  const floor = options.memoryLowerBound ?? 0;
  // Caps at or below this are below the proven bound or failed clearly.
  const failedBelowAtStart = floor - 1e-6 * Math.max(1, floor);
  let failedBelow = failedBelowAtStart;
  // Caps at or below this came close without reaching the target: tried after those above.
  let nearMissAt = failedBelow;
  let runIndex = 0;

  const reachedCap = (found: Found) => compareWithTolerance(found.score.makespan, makespanCap) <= 0;
  const kept = (found: Found) => found.keepSequences !== undefined;
  const anneal = (found: Found, memoryCap: number, evaluations: number, cycleEvaluations = evaluations): Found => {
    const outcome = annealMakespan(evaluator, found.orders, {
      rng: options.rng.fork(`run ${runIndex++}`),
      meter: meter.slice(evaluations),
      target: makespanCap,
      memoryCap,
      cycleEvaluations,
      blockMoveShare: options.blockMoveShare ?? 0.6,
      ...(found.keepSequences !== undefined ? { keepSequences: found.keepSequences } : {}),
    });
    return { ...found, orders: outcome.orders, score: outcome.score };
  };
  const activationStep = Math.max(...compiled.chainMemoryDelta.flatMap((deltas) => [...deltas].filter((delta) => delta > 0)));
  const repairSlack = durationScale(compiled);
  /**
   * `found` list-scheduled again under `memoryCap`, each task released one forward's time
   * (`durationScale`) before its start in `found`: where the cap does not bite nearly the same
   * schedule, where it does forwards wait. Without the slack the list schedule keeps the tight
   * start times and ends further from the makespan's reach (exp 4, from a 16.85 schedule to
   * cap 16.8: reached 366 in 0 of 3 seeds within 100,000 evaluations; with it, in 2).
   */
  const repaired = (found: Found, memoryCap: number): Found | undefined => {
    if (!evaluator.run(found.orders)) return undefined;
    const release = new Float64Array(compiled.taskCount);
    for (let index = 0; index < release.length; index++) release[index] = Math.max(0, evaluator.startOf(index) - repairSlack);
    const orders = listScheduleOrders(compiled, { priority: 'longest-tail', memoryCap, releaseTimes: release });
    if (!evaluator.run(orders) || compareWithTolerance(evaluator.peakMemory, memoryCap) > 0) return undefined;
    return { name: `repaired ${found.name.replace(/^repaired /, '')}`, orders, score: evaluator.score(), group: 'repaired' };
  };
  const constructionsFor = (memoryCap: number): Found[] => {
    const built: Found[] = [];
    for (const candidate of options.startsFor(memoryCap)) {
      if (!evaluator.run(candidate.orders) || compareWithTolerance(evaluator.peakMemory, memoryCap) > 0) continue;
      built.push({ ...candidate, score: evaluator.score() });
    }
    return built;
  };
  /** The best of each group (keeping sequences or not), each after a pilot run, best first. */
  const pilotedGroups = (candidates: readonly Found[], memoryCap: number): Found[] => {
    const groupOf = (found: Found) => found.group ?? (kept(found) ? 'kept' : 'free');
    // Kept before free (the order the race has always had), then any other group.
    const groups = ['kept', 'free', ...[...new Set(candidates.map(groupOf))].filter((group) => group !== 'kept' && group !== 'free').sort()];
    const racers = groups
      .map((group) => candidates.filter((found) => groupOf(found) === group).sort((a, b) => compareScores(a.score, b.score))[0])
      .filter((racer): racer is Found => racer !== undefined);
    if (racers.length <= 1) return racers;
    const after: Found[] = [];
    for (const racer of racers) {
      const found = reachedCap(racer) || meter.exhausted ? racer : anneal(racer, memoryCap, pilot);
      if (reachedCap(found)) return [found];
      after.push(found);
    }
    return after.sort((a, b) => compareScores(a.score, b.score));
  };
  const record = (phase: MemoryProbe['phase'], memoryCap: number, result: Found | undefined, spentBefore: number): boolean => {
    const reached = result !== undefined && reachedCap(result);
    const probe: MemoryProbe = {
      phase,
      memoryCap,
      reached,
      makespan: result?.score.makespan ?? Infinity,
      peakMemory: result?.score.peakMemory ?? Infinity,
      startedFrom: result?.name ?? 'none fits',
      evaluations: meter.evaluations - spentBefore,
    };
    probes.push(probe);
    options.onProbe?.(probe);
    if (reached && lowerMemory(result!.score, best.score)) {
      best = result!;
      evaluationsAtBest = meter.evaluations;
      options.onImprove?.(best.score, meter.evaluations);
    }
    if (!reached && result !== undefined) pool.push({ ...result, name: `carried ${result.name.replace(/^carried /, '')}` });
    return reached;
  };
  /**
   * One probe: the best start of each group (schedules carried from missed caps included),
   * piloted, then annealed in cycles, best first, until one reaches the target, a racer stalls
   * `patience` cycles, or `budget` evaluations are spent.
   */
  const probe = (memoryCap: number, budget: number): Found | undefined => {
    const stopAt = meter.evaluations + budget;
    const fitting = pool.filter((found) => compareWithTolerance(found.score.peakMemory, memoryCap) <= 0);
    const racers = pilotedGroups([...fitting, ...constructionsFor(memoryCap)], memoryCap);
    let result = racers[0];
    for (const racer of racers) {
      let found = racer;
      let stale = 0;
      while (!reachedCap(found) && stale < (options.patience ?? 2) && meter.evaluations < stopAt && !meter.exhausted) {
        const next = anneal(found, memoryCap, Math.min(cycle, stopAt - meter.evaluations));
        stale = compareWithTolerance(next.score.makespan, found.score.makespan) < 0 ? 0 : stale + 1;
        found = next;
      }
      if (result === undefined || compareScores(found.score, result.score) < 0) result = found;
      if (reachedCap(found) || meter.evaluations >= stopAt) break;
    }
    return result;
  };

  // 0. A carried start (a long schedule tiled from a short one: low peak, makespan above the
  // target): annealed under rising caps, one more micro-batch's activation per rung, until it
  // reaches the target. Its misses prove nothing about lower caps; its schedules join the pool.
  if (options.carriedStart !== undefined && evaluator.run(options.carriedStart.orders)) {
    let carried: Found = { ...options.carriedStart, orders: options.carriedStart.orders.map((order) => order.slice()), score: evaluator.score() };
    const carriedCycle = Math.min(cycle, CARRIED_CYCLE_EVALUATIONS);
    const stopAt = meter.evaluations + Math.floor((options.carriedShare ?? 0.8) * meter.remaining);
    // At its own peak the carried schedule has no room to move; from two micro-batches' activation above it, it has.
    const firstCap = carried.score.makespan <= makespanCap ? carried.score.peakMemory : carried.score.peakMemory + 2 * activationStep;
    let memoryCap = memoryLevels(compiled, failedBelow, best.score.peakMemory).find((level) => compareWithTolerance(level, firstCap) >= 0);
    while (memoryCap !== undefined && meter.evaluations < stopAt && !meter.exhausted) {
      const spentBefore = meter.evaluations;
      carried = anneal(carried, memoryCap, Math.min(2 * carriedCycle, stopAt - meter.evaluations), carriedCycle);
      if (record('carried', memoryCap, carried, spentBefore)) break;
      const above = memoryCap + 2 * activationStep;
      memoryCap = memoryLevels(compiled, memoryCap, best.score.peakMemory).find((level) => compareWithTolerance(level, above) >= 0);
    }
  }

  // 1 and 2, interleaved: a ladder rung, then a top-down probe, and so on. Which of the two gets
  // down (and how fast) depends on the instance, so neither waits for the other.
  const ladderFrom = Math.max(options.ladderStart ?? floor, floor);
  const ladderStopAt = meter.evaluations + Math.floor((options.ladderShare ?? 0.65) * meter.remaining);
  let rungCap = memoryLevels(compiled, failedBelow, best.score.peakMemory).find((level) => compareWithTolerance(level, ladderFrom) >= 0);
  const baseStep = (options.ladderStep ?? 0.025) * (rungCap ?? 0);
  let step = baseStep;
  let state: Found | undefined;
  let stalled = true;
  let stallsInARow = 0;
  let ladderOn = true;
  let firstRung = true;
  let topDownOn = true;
  let topDownProbes = 0;
  const ladderRung = () => {
    if (rungCap === undefined || compareWithTolerance(rungCap, best.score.peakMemory) >= 0 || stallsInARow >= 2 || meter.evaluations >= ladderStopAt) {
      ladderOn = false;
      return;
    }
    const memoryCap = rungCap;
    const spentBefore = meter.evaluations;
    if (stalled) {
      // First rung, or the carried schedule stalled: race it against fresh constructions for this cap.
      const fresh = constructionsFor(memoryCap);
      const climbers = fresh.some(kept) ? fresh.filter(kept) : fresh;
      state = [...(state !== undefined ? [state] : []), ...climbers].sort((a, b) => compareScores(a.score, b.score))[0];
    }
    const before = state?.score.makespan ?? Infinity;
    // The first rung (at the lowest cap, usually infeasible) only warms the carried schedule up;
    // later rungs get one and a half cycles: one schedule annealed at a tight cap needs longer
    // than a probe's racers (on FlexFusion exp 0 a cycle was often just short).
    const rungBudget = firstRung ? Math.floor(cycle / 4) : Math.round(1.5 * cycle);
    firstRung = false;
    if (state !== undefined && !reachedCap(state)) state = anneal(state, memoryCap, Math.min(rungBudget, ladderStopAt - meter.evaluations));
    if (record('ladder', memoryCap, state, spentBefore)) {
      ladderOn = false;
      return;
    }
    failedBelow = Math.max(failedBelow, memoryCap);
    nearMissAt = Math.max(nearMissAt, failedBelow);
    stalled = state === undefined || compareWithTolerance(state.score.makespan, before) >= 0;
    stallsInARow = stalled ? stallsInARow + 1 : 0;
    step = stalled ? 2 * step : baseStep;
    rungCap = memoryLevels(compiled, memoryCap, best.score.peakMemory).find((level) => compareWithTolerance(level, memoryCap + step) >= 0);
  };
  const topDownProbe = () => {
    const levels = memoryLevels(compiled, Math.max(failedBelow, ladderFrom), best.score.peakMemory);
    if (levels.length === 0) {
      topDownOn = false;
      return;
    }
    // The first probe a third of the way down rather than half: a cheap success even on a small
    // budget, where half the way can already be too far.
    const memoryCap = topDownProbes++ === 0 ? levels[Math.floor((2 * (levels.length - 1)) / 3)]! : middle(levels);
    const spentBefore = meter.evaluations;
    if (!record('top-down', memoryCap, probe(memoryCap, Math.round(cycle / 2)), spentBefore)) {
      nearMissAt = Math.max(nearMissAt, memoryCap);
      topDownOn = false;
    }
  };
  // 2b. On small budgets, between them: a step down from the best, its schedule repaired to a
  // lower cap (`repaired`) and annealed there for a cycle. The step grows (a quarter of an
  // activation, then doubling, up to two) after a success and shrinks after a miss, never again
  // down to a cap that missed; it ends after `stepDownPatience` misses in a row one level below.
  let stepDownOn = options.stepDownFromBest ?? budget < STEP_DOWN_BELOW;
  let drop = 0;
  let stepDownMisses = 0;
  let stepDownMissedAt = failedBelowAtStart;
  const stepDown = () => {
    const levels = memoryLevels(compiled, stepDownMissedAt, best.score.peakMemory);
    if (levels.length === 0 || stepDownMisses >= (options.stepDownPatience ?? 2)) {
      stepDownOn = false;
      return;
    }
    // The highest level at least `drop` below the best (the next level down when drop is 0).
    const reach = best.score.peakMemory - drop;
    const memoryCap = [...levels].reverse().find((level) => compareWithTolerance(level, reach) <= 0) ?? levels[0]!;
    const spentBefore = meter.evaluations;
    const start = repaired(best, memoryCap);
    const result = start === undefined || reachedCap(start) ? start : anneal(start, memoryCap, cycle);
    if (record('step-down', memoryCap, result, spentBefore)) {
      drop = Math.min(2 * activationStep, drop === 0 ? activationStep / 4 : 2 * drop);
      stepDownMisses = 0;
    } else {
      if (drop === 0) stepDownMisses++;
      else stepDownMissedAt = Math.max(stepDownMissedAt, memoryCap);
      drop = drop < activationStep / 4 ? 0 : drop / 2;
    }
  };
  while ((ladderOn || topDownOn) && !meter.exhausted) {
    if (ladderOn) ladderRung();
    if (topDownOn && !meter.exhausted) topDownProbe();
    if (stepDownOn && !meter.exhausted) stepDown();
  }

  // 3. Refinement. A failure proves nothing, so once every level is ruled out, while budget is
  // left, the levels above the proven bound are tried again (from the schedules kept so far).
  const provenFloor = failedBelowAtStart;
  let retries = 0;
  while (!meter.exhausted) {
    let levels = memoryLevels(compiled, Math.max(failedBelow, nearMissAt), best.score.peakMemory);
    if (levels.length === 0 && retries < (options.retries ?? 3)) {
      // Retry the near misses first, then everything above the proven bound.
      retries++;
      if (nearMissAt <= failedBelow) failedBelow = provenFloor;
      nearMissAt = failedBelow;
      levels = memoryLevels(compiled, failedBelow, best.score.peakMemory);
    }
    if (levels.length === 0) break;
    const memoryCap = middle(levels);
    const spentBefore = meter.evaluations;
    const result = probe(memoryCap, options.probeEvaluations ?? 3 * cycle);
    if (record('refine', memoryCap, result, spentBefore)) continue;
    if (result !== undefined && result.score.makespan <= makespanCap * (1 + (options.nearMissGap ?? 0.01))) nearMissAt = Math.max(nearMissAt, memoryCap);
    else failedBelow = Math.max(failedBelow, memoryCap);
  }
  return { orders: best.orders, score: best.score, probes, evaluationsAtBest };
}
