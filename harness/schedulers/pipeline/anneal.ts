import type { Rng } from '../../util/rng.js';
import type { ScheduleEvaluator, ScheduleSnapshot } from './evaluate.js';
import { compareScores, compareWithTolerance } from './objective.js';
import type { CompiledProblem } from './problem.js';
import type { EvaluationMeter } from './search-budget.js';
import type { ScheduleScore } from './types.js';

/**
 * Local search over per-node task orders by simulated annealing, in two passes as in the
 * FlexFusion artifact (§3.7): one for makespan (optionally under a per-node memory cap, which is
 * how `descendMemory` lowers memory), and the artifact's memory pass, which lowers activation
 * memory without letting the makespan rise. Both work on task codes in place and keep the best
 * orders seen.
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

const copyOrders = (orders: readonly Int32Array[]): Int32Array[] => orders.map((order) => order.slice());

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
  readonly meter: EvaluationMeter;
  /** Stop as soon as the makespan is at or below this (the lower bound, when known). */
  readonly target: number;
  /** Evaluations per cooling cycle; after each cycle the search restarts, hot, from the best orders. */
  readonly cycleEvaluations?: number;
  /** Called whenever the best makespan improves. */
  readonly onImprove?: (score: ScheduleScore, evaluations: number) => void;
  /**
   * Per-node activation cap the search never crosses (the start must respect it): a swap that
   * would lift a node's memory above it is skipped without an evaluation.
   */
  readonly memoryCap?: number;
  /** Pipelines whose own per-node F/B sequences are kept: two of their tasks are never swapped, only interleaved with others. */
  readonly keepSequences?: ReadonlySet<number>;
  /** Share of critical-path moves that move a task to the start or end of its critical block instead of swapping a pair (default 0). */
  readonly blockMoveShare?: number;
}

/**
 * Makespan pass. Energy: makespan + 1% of the mean node finish time, so that among equal
 * makespans the search drifts toward schedules whose other nodes also end early (a gradient on
 * the makespan's plateaus). Moves swap two adjacent, different tasks of one node: 70% of them a
 * pair on a critical path of the current schedule (only reversing such a pair can shorten that
 * path, the classic job-shop neighbourhood), the rest anywhere; with `blockMoveShare`, that share
 * of the critical moves instead moves a task to the start or end of its critical block (N7,
 * which reaches orders a series of swaps would only reach through worse ones). The temperature
 * falls geometrically from 0.4 to 0.02 of the longest forward over a cycle, then the search
 * reheats from the best orders.
 *
 * The Metropolis uniform is drawn before the evaluation, so the evaluator is told the worst
 * makespan it would accept and stops early on moves it would reject; and it resumes the current
 * schedule's sweep from the moved position (`runAfterMove`) instead of starting over. Neither
 * changes a result, only the time.
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
  const memory = options.memoryCap !== undefined ? new NodeMemoryProfile(compiled, options.memoryCap) : undefined;
  const kept = options.keepSequences;
  const blockShare = options.blockMoveShare ?? 0;

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

  /**
   * A move within a critical block (a run of tasks the critical path takes on one node in a row):
   * one task of it to the block's first or last place (the job-shop N7 neighbourhood). Returns
   * [node, from, to] or undefined when the drawn pair is not inside a block of three or more.
   */
  const blockMove = (): [number, number, number] | undefined => {
    const k = rng.int(pairCount);
    const node = Math.floor(pairs[k]! / stride);
    // Pairs come walking back along the path, so a block is a run of entries on one node with positions falling by one.
    let first = k;
    while (first > 0 && pairs[first - 1]! === pairs[first]! + 1) first--;
    let last = k;
    while (last + 1 < pairCount && pairs[last + 1]! === pairs[last]! - 1) last++;
    const low = pairs[last]! - node * stride;
    const high = pairs[first]! - node * stride + 1;
    if (high - low < 2) return undefined;
    const from = low + rng.int(high - low + 1);
    const to = rng.next() < 0.5 ? low : high;
    return from === to ? undefined : [node, from, to];
  };

  /** Whether a move of the task at `from` to `to` would carry it past another task of its own kept pipeline. */
  const breaksKeptSequence = (order: Int32Array, from: number, to: number): boolean => {
    if (kept === undefined) return false;
    const pipeline = order[from]! >> 1;
    if (!kept.has(pipeline)) return false;
    const step = from < to ? 1 : -1;
    for (let i = from + step; i !== to + step; i += step) if (order[i]! >> 1 === pipeline) return true;
    return false;
  };

  let current = copyOrders(start);
  if (!evaluator.run(current)) throw new Error('annealMakespan: the start orders are infeasible');
  evaluator.commit();
  memory?.reset(current);
  if (memory !== undefined && !memory.withinCap()) throw new Error('annealMakespan: the start orders exceed the memory cap');
  let currentEnergy = energy();
  let best = copyOrders(current);
  let bestScore = scoreOf(evaluator);
  let evaluationsAtBest = meter.evaluations;
  collectCriticalPairs();
  let temperature = hot;
  let sinceReheat = 0;
  let fruitless = 0;

  // After a feasible run of the changed `current` whose energy passed the threshold.
  const accept = (candidateEnergy: number) => {
    evaluator.commit();
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
  };
  const reheatIfDue = () => {
    if (++sinceReheat < cycle) return;
    sinceReheat = 0;
    temperature = hot;
    current = copyOrders(best);
    evaluator.run(current);
    evaluator.commit();
    memory?.reset(current);
    currentEnergy = energy();
    collectCriticalPairs();
  };

  while (compareWithTolerance(bestScore.makespan, options.target) > 0 && !meter.exhausted && fruitless < MAX_FRUITLESS_DRAWS) {
    fruitless++;
    let node: number;
    let from: number;
    let to: number;
    if (pairCount > 0 && rng.next() < CRITICAL_SHARE) {
      if (blockShare > 0 && rng.next() < blockShare) {
        const move = blockMove();
        if (move === undefined) continue;
        [node, from, to] = move;
      } else {
        const pair = pairs[rng.int(pairCount)]!;
        node = Math.floor(pair / stride);
        from = pair - node * stride;
        to = from + 1;
      }
    } else {
      node = rng.int(nodeCount);
      const length = current[node]!.length;
      if (length < 2) continue;
      from = rng.int(length - 1);
      to = from + 1;
    }
    const order = current[node]!;
    if (Math.abs(from - to) === 1 && order[from] === order[to]) continue;
    if (breaksKeptSequence(order, from, to)) continue;
    moveWithin(order, from, to);
    if ((memory !== undefined && !memory.fits(node, order, Math.min(from, to), Math.max(from, to))) || !meter.spend()) {
      moveWithin(order, to, from);
      if (meter.exhausted) break;
      continue;
    }
    fruitless = 0;
    // Metropolis with the uniform drawn first: accept iff the energy is at most this threshold, so
    // the evaluator can stop as soon as the makespan (a lower bound on the energy) must exceed it.
    const threshold = currentEnergy - temperature * Math.log(1 - rng.next());
    if (evaluator.runAfterMove(current, node, Math.min(from, to), threshold * (1 + 1e-12) + 1e-12) && energy() <= threshold) {
      accept(energy());
      memory?.commit(node);
    } else moveWithin(order, to, from);
    temperature *= cooling;
    reheatIfDue();
  }
  return { orders: best, score: bestScore, evaluationsAtBest };
}

/**
 * Each node's memory after every position of its order (memory is counted at the end of each
 * task, so it depends on the orders alone), to check whether a move within one node keeps it under
 * a cap by recomputing only the positions the move spans.
 */
class NodeMemoryProfile {
  private readonly delta: Float64Array;
  private readonly codesPerNode: number;
  private readonly cap: number;
  private prefix: Float64Array[] = [];
  /** The memory `fits` computed for positions [pendingLow, pendingHigh] of `pendingNode`, kept until `commit`. */
  private readonly pending: Float64Array;
  private pendingNode = -1;
  private pendingLow = 0;
  private pendingHigh = -1;

  constructor(compiled: CompiledProblem, cap: number) {
    this.codesPerNode = 2 * compiled.pipelineCount;
    this.delta = codeMemoryDeltas(compiled);
    this.cap = cap * (1 + 1e-9);
    this.pending = new Float64Array(Math.max(1, ...Array.from(compiled.tasksPerNode)));
  }

  reset(orders: readonly Int32Array[]): void {
    this.prefix = orders.map((order, node) => {
      const prefix = new Float64Array(order.length);
      let memory = 0;
      for (let i = 0; i < order.length; i++) {
        memory += this.delta[node * this.codesPerNode + order[i]!]!;
        prefix[i] = memory;
      }
      return prefix;
    });
    this.pendingNode = -1;
  }

  withinCap(): boolean {
    return this.prefix.every((prefix) => prefix.every((memory) => memory <= this.cap));
  }

  /** Whether `order` (node's order after a move that changed positions low..high) stays within the cap there. */
  fits(node: number, order: Int32Array, low: number, high: number): boolean {
    let memory = low > 0 ? this.prefix[node]![low - 1]! : 0;
    const base = node * this.codesPerNode;
    for (let i = low; i <= high; i++) {
      memory += this.delta[base + order[i]!]!;
      if (memory > this.cap) {
        this.pendingNode = -1;
        return false;
      }
      this.pending[i - low] = memory;
    }
    this.pendingNode = node;
    this.pendingLow = low;
    this.pendingHigh = high;
    return true;
  }

  /** Adopts the memory of the last move `fits` accepted on `node`. */
  commit(node: number): void {
    if (this.pendingNode !== node) return;
    this.prefix[node]!.set(this.pending.subarray(0, this.pendingHigh - this.pendingLow + 1), this.pendingLow);
    this.pendingNode = -1;
  }
}

/** Memory change of each task code on each node, at node * 2P + code (0 where the pipeline has no stage there). */
export function codeMemoryDeltas(compiled: CompiledProblem): Float64Array {
  const { nodeCount, pipelineCount, stageOnNode, chainMemoryDelta } = compiled;
  const delta = new Float64Array(nodeCount * 2 * pipelineCount);
  for (let node = 0; node < nodeCount; node++) {
    for (let p = 0; p < pipelineCount; p++) {
      const stage = stageOnNode[node * pipelineCount + p]!;
      if (stage < 0) continue;
      const activation = chainMemoryDelta[p]![stage]!;
      delta[node * 2 * pipelineCount + 2 * p] = activation;
      delta[node * 2 * pipelineCount + 2 * p + 1] = -activation;
    }
  }
  return delta;
}

export interface MemoryAnnealOptions {
  readonly rng: Rng;
  readonly meter: EvaluationMeter;
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
