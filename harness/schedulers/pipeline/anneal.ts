import type { Rng } from '../../util/rng.js';
import type { ScheduleEvaluator, ScheduleSnapshot } from './evaluate.js';
import { compareScores, compareWithTolerance } from './objective.js';
import type { CompiledProblem } from './problem.js';
import type { BudgetMeter } from './search-budget.js';
import type { ScheduleScore } from './types.js';

/**
 * Local search over per-node task orders by simulated annealing, in two passes as in the
 * FlexFusion artifact (§3.7): one for makespan, one that lowers activation memory without
 * letting the makespan rise. Both work on task codes in place and keep the best orders seen.
 */
export interface AnnealOutcome {
  readonly orders: Int32Array[];
  readonly score: ScheduleScore;
  /** Evaluations spent when the best makespan was first reached (counted on the meter). */
  readonly evaluationsAtBest: number;
}

/** Share of makespan moves drawn from the critical path (0.7 needed about 3x fewer evaluations than uniform moves to reach the LB of FlexFusion exp 3). */
const CRITICAL_SHARE = 0.7;

/** Draws in a row that yield no move worth evaluating before a pass gives up (tiny problems have none). */
const MAX_FRUITLESS_DRAWS = 100_000;

const copyOrders = (orders: readonly Int32Array[]) => orders.map((order) => order.slice());

/** A time scale for temperatures: the longest forward of any stage (so seconds and units behave alike). */
export function durationScale(compiled: CompiledProblem): number {
  let scale = 0;
  for (let p = 0; p < compiled.pipelineCount; p++) {
    const stages = compiled.stageCount[p]!;
    for (let c = 0; c < stages; c++) scale = Math.max(scale, compiled.chainDuration[p]![c]!);
  }
  if (scale > 0) return scale;
  for (const durations of compiled.chainDuration) for (const d of durations) scale = Math.max(scale, d);
  return scale > 0 ? scale : 1;
}

function activationScale(compiled: CompiledProblem): number {
  let scale = 0;
  for (const deltas of compiled.chainMemoryDelta) for (const d of deltas) scale = Math.max(scale, Math.abs(d));
  return scale > 0 ? scale : 1;
}

function scoreOf(evaluator: ScheduleEvaluator): ScheduleScore {
  return evaluator.score();
}

export interface MakespanAnnealOptions {
  readonly rng: Rng;
  readonly meter: BudgetMeter;
  /** Stop as soon as the makespan is at or below this (the lower bound, when known). */
  readonly target: number;
  /** Evaluations per cooling cycle; after each cycle the search restarts, hot, from the best orders. */
  readonly cycleEvaluations?: number;
  /** Called whenever the best makespan improves. */
  readonly onImprove?: (score: ScheduleScore, evaluations: number) => void;
}

/**
 * Makespan pass. Energy: makespan + 1% of the mean node finish time, so that among equal
 * makespans the search drifts toward schedules whose other nodes also end early (a gradient on
 * the makespan's plateaus). Moves swap two adjacent, different tasks of one node: 70% of them a
 * pair on a critical path of the current schedule (only reversing such a pair can shorten that
 * path, the classic job-shop neighbourhood), the rest anywhere. The temperature falls
 * geometrically from 0.4 to 0.02 of the longest forward over a cycle, then the search reheats
 * from the best orders.
 */
export function annealMakespan(evaluator: ScheduleEvaluator, start: readonly Int32Array[], options: MakespanAnnealOptions): AnnealOutcome {
  const { rng, meter } = options;
  const compiled = evaluator.compiled;
  const nodeCount = compiled.nodeCount;
  const scale = durationScale(compiled);
  const hot = 0.4 * scale;
  const cold = 0.02 * scale;
  const cycle = options.cycleEvaluations ?? 300_000;
  const cooling = Math.pow(cold / hot, 1 / cycle);
  const stride = Math.max(...Array.from(compiled.tasksPerNode)) + 1;
  const pairs = new Int32Array(4 * compiled.taskCount);
  let pairCount = 0;
  const endNodes: number[] = [];

  const energy = () => {
    let sum = 0;
    for (let n = 0; n < nodeCount; n++) sum += evaluator.nodeFinish[n]!;
    return evaluator.makespan + (0.01 * sum) / nodeCount;
  };
  // Must be called right after a feasible run of `current`.
  const collectCriticalPairs = () => {
    endNodes.length = 0;
    for (let n = 0; n < nodeCount; n++) if (compareWithTolerance(evaluator.nodeFinish[n]!, evaluator.makespan) === 0) endNodes.push(n);
    pairCount = evaluator.criticalPairs(endNodes[rng.int(endNodes.length)]!, stride, pairs, () => rng.next() < 0.5);
  };

  let current = copyOrders(start);
  if (!evaluator.run(current)) throw new Error('annealMakespan: the start orders are infeasible');
  let currentEnergy = energy();
  let best = copyOrders(current);
  let bestScore = scoreOf(evaluator);
  let evaluationsAtBest = meter.evaluations;
  collectCriticalPairs();
  let temperature = hot;
  let sinceReheat = 0;
  let fruitless = 0;

  while (compareWithTolerance(bestScore.makespan, options.target) > 0 && !meter.exhausted && fruitless < MAX_FRUITLESS_DRAWS) {
    fruitless++;
    let node: number;
    let position: number;
    if (pairCount > 0 && rng.next() < CRITICAL_SHARE) {
      const pair = pairs[rng.int(pairCount)]!;
      node = Math.floor(pair / stride);
      position = pair - node * stride;
    } else {
      node = rng.int(nodeCount);
      const length = current[node]!.length;
      if (length < 2) continue;
      position = rng.int(length - 1);
    }
    const order = current[node]!;
    const a = order[position]!;
    const b = order[position + 1]!;
    if (a === b) continue;
    if (!meter.spend()) break;
    fruitless = 0;
    order[position] = b;
    order[position + 1] = a;
    let accepted = false;
    if (evaluator.run(current)) {
      const candidateEnergy = energy();
      if (candidateEnergy <= currentEnergy || rng.next() < Math.exp((currentEnergy - candidateEnergy) / temperature)) {
        accepted = true;
        currentEnergy = candidateEnergy;
        const score = scoreOf(evaluator);
        if (compareScores(score, bestScore) < 0) {
          const shorter = compareWithTolerance(score.makespan, bestScore.makespan) < 0;
          best = copyOrders(current);
          bestScore = score;
          if (shorter) {
            evaluationsAtBest = meter.evaluations;
            options.onImprove?.(score, meter.evaluations);
          }
        }
        collectCriticalPairs();
      }
    }
    if (!accepted) {
      order[position] = a;
      order[position + 1] = b;
    }
    temperature *= cooling;
    if (++sinceReheat >= cycle) {
      sinceReheat = 0;
      temperature = hot;
      current = copyOrders(best);
      evaluator.run(current);
      currentEnergy = energy();
      collectCriticalPairs();
    }
  }
  return { orders: best, score: bestScore, evaluationsAtBest };
}

export interface MemoryAnnealOptions {
  readonly rng: Rng;
  readonly meter: BudgetMeter;
  /** The makespan no accepted schedule may exceed. */
  readonly makespanCap: number;
  /** Evaluations this pass may spend (from the meter's count at its start). */
  readonly evaluations: number;
  /** Largest distance, in positions, a task is moved within its node's order. */
  readonly moveWindow?: number;
  /** Share of moves aimed at a memory peak using the schedule's slack (the rest are random moves). */
  readonly targetedShare?: number;
}

/**
 * Memory pass (§3.7): moves one task elsewhere in its node's order and accepts the move only if
 * the makespan stays within the cap. Better is the artifact's lexicographic objective (peak
 * memory, then the sum of node peaks, ...); a worse move is accepted with probability
 * exp(−Δ(sum of node peaks) / temperature), the temperature falling from one activation to 1% of
 * one over the pass.
 *
 * Besides the artifact's random moves, most moves aim at a peak: on a node at the peak, an F
 * before the peak moves to after it, as far as its slack (latest start − start, from a backward
 * pass) allows, or a B after the peak moves before it, as far as its input is ready and the
 * tasks it overtakes have slack to absorb it. Such moves keep the makespan far more often than
 * blind ones, so the pass spends fewer evaluations on schedules it must reject.
 */
export function annealMemory(evaluator: ScheduleEvaluator, start: readonly Int32Array[], options: MemoryAnnealOptions): AnnealOutcome {
  const { rng, meter, makespanCap } = options;
  const compiled = evaluator.compiled;
  const nodeCount = compiled.nodeCount;
  const window = options.moveWindow ?? 16;
  const targetedShare = options.targetedShare ?? 0.5;
  let temperature = activationScale(compiled);
  const cooling = Math.pow(0.01, 1 / Math.max(1, options.evaluations));
  const stopAt = meter.evaluations + options.evaluations;
  const deltaOf = (node: number, code: number) => {
    const p = code >> 1;
    const delta = compiled.chainMemoryDelta[p]![compiled.stageOnNode[node * compiled.pipelineCount + p]!]!;
    return (code & 1) === 0 ? delta : -delta;
  };

  const current = copyOrders(start);
  if (!evaluator.run(current)) throw new Error('annealMemory: the start orders are infeasible');
  let currentScore = scoreOf(evaluator);
  let best = copyOrders(current);
  let bestScore = currentScore;
  let snapshot: ScheduleSnapshot = evaluator.snapshot(makespanCap);
  const peakNodes: number[] = [];
  const collectPeakNodes = () => {
    peakNodes.length = 0;
    for (let n = 0; n < nodeCount; n++) if (compareWithTolerance(evaluator.nodePeakMemory[n]!, evaluator.peakMemory) === 0) peakNodes.push(n);
  };
  collectPeakNodes();

  /** A position where `node`'s memory reaches its peak (a random one of several). */
  const peakPosition = (node: number): number => {
    const order = current[node]!;
    let memory = 0;
    let peak = -Infinity;
    let at = 0;
    let ties = 0;
    for (let i = 0; i < order.length; i++) {
      memory += deltaOf(node, order[i]!);
      const c = compareWithTolerance(memory, peak);
      if (c > 0) {
        peak = memory;
        at = i;
        ties = 1;
      } else if (c === 0 && rng.int(++ties) === 0) at = i;
    }
    return at;
  };

  /** [from, to] of a slack-guided move that lowers `node`'s peak, or undefined. */
  const targetedMove = (node: number): [number, number] | undefined => {
    const order = current[node]!;
    const indexAt = snapshot.indexAt[node]!;
    const k = peakPosition(node);
    if (rng.next() < 0.5) {
      const i = k - rng.int(window);
      if (i < 0 || (order[i]! & 1) === 1) return undefined;
      const latest = snapshot.latest[indexAt[i]!]!;
      let last = i;
      while (last + 1 < order.length && last + 1 <= i + window && snapshot.end[indexAt[last + 1]!]! <= latest + 1e-9) last++;
      if (last === i) return undefined;
      const low = last >= k + 1 ? Math.max(i + 1, k + 1) : i + 1;
      return [i, low + rng.int(last - low + 1)];
    }
    const i = k + 1 + rng.int(window);
    if (i >= order.length || (order[i]! & 1) === 0) return undefined;
    const index = indexAt[i]!;
    const ready = snapshot.ready[index]!;
    const duration = snapshot.end[index]! - snapshot.start[index]!;
    let first = i;
    while (first - 1 >= 0 && first - 1 >= i - window) {
      const overtaken = indexAt[first - 1]!;
      if (snapshot.start[overtaken]! + 1e-9 < ready || snapshot.latest[overtaken]! - snapshot.start[overtaken]! + 1e-9 < duration) break;
      first--;
    }
    if (first === i) return undefined;
    const high = first <= k ? Math.min(i - 1, k) : i - 1;
    return [i, first + rng.int(high - first + 1)];
  };

  let fruitless = 0;
  while (meter.evaluations < stopAt && !meter.exhausted && fruitless < MAX_FRUITLESS_DRAWS) {
    fruitless++;
    let node: number;
    let from: number;
    let to: number;
    if (peakNodes.length > 0 && rng.next() < targetedShare) {
      node = peakNodes[rng.int(peakNodes.length)]!;
      const move = targetedMove(node);
      if (move === undefined) continue;
      [from, to] = move;
    } else {
      node = rng.int(nodeCount);
      const length = current[node]!.length;
      if (length < 2) continue;
      from = rng.int(length);
      to = from + rng.int(2 * window + 1) - window;
      if (to < 0 || to >= length || to === from) continue;
    }
    const order = current[node]!;
    if (order[from] === order[to] && Math.abs(from - to) === 1) continue;
    moveWithin(order, from, to);
    // A B moved before its own F (or an F after its B) can never run; skip it without evaluating.
    if (backwardOvertakesForward(order, order[to]! >> 1) || !meter.spend()) {
      moveWithin(order, to, from);
      if (meter.exhausted) break;
      continue;
    }
    fruitless = 0;
    let accepted = false;
    if (evaluator.run(current) && compareWithTolerance(evaluator.makespan, makespanCap) <= 0) {
      const score = scoreOf(evaluator);
      if (compareScores(score, currentScore) < 0 || rng.next() < Math.exp((currentScore.sumNodePeakMemory - score.sumNodePeakMemory) / temperature)) {
        accepted = true;
        currentScore = score;
        snapshot = evaluator.snapshot(makespanCap);
        collectPeakNodes();
        if (compareScores(score, bestScore) < 0) {
          best = copyOrders(current);
          bestScore = score;
        }
      }
    }
    if (!accepted) moveWithin(order, to, from);
    temperature *= cooling;
  }
  return { orders: best, score: bestScore, evaluationsAtBest: meter.evaluations };
}

/** Whether some prefix of a node's order holds more Bs than Fs of `pipeline`. */
function backwardOvertakesForward(order: Int32Array, pipeline: number): boolean {
  const forward = pipeline * 2;
  let inFlight = 0;
  for (let i = 0; i < order.length; i++) {
    const code = order[i]!;
    if (code === forward) inFlight++;
    else if (code === forward + 1 && --inFlight < 0) return true;
  }
  return false;
}

/** Moves the element at `from` to index `to`, shifting the ones between. */
function moveWithin(order: Int32Array, from: number, to: number): void {
  const value = order[from]!;
  if (from < to) order.copyWithin(from, from + 1, to + 1);
  else order.copyWithin(to + 1, to, from);
  order[to] = value;
}
