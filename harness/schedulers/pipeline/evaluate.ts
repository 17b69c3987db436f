import { compileProblem, orderShapeErrors, encodeOrders, type CompiledProblem } from './problem.js';
import type { Evaluation, InfeasibleReason, NodeOrders, PipelineProblem, ScheduledTask, ScheduleScore, Timeline } from './types.js';

/** A feasible schedule's times, frozen (flat task indices as in the evaluator). */
export interface ScheduleSnapshot {
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Latest start that keeps the makespan within the snapshot's deadline, orders unchanged. */
  readonly latest: Float64Array;
  /** When the task's chain predecessor's output is available (0 for a chain's first task). */
  readonly ready: Float64Array;
  /** Per node, the flat index of the task at each position. */
  readonly indexAt: readonly Int32Array[];
}

/** Memory within this relative tolerance of the limit still fits (sums of decimal activations are inexact). */
const MEMORY_TOLERANCE = 1e-9;

/**
 * List-scheduling evaluation of per-node task orders (the artifact's sweep, §3.4): each task
 * starts at max(end of the previous task on its node, end of its predecessor in the micro-batch's
 * chain [+ send time when that ran on another node]). Start times do not depend on which ready
 * node is visited first, so a worklist visits each node only when something it waits for ends:
 * O(tasks) per evaluation. If no node can progress before every task ran, the orders deadlock.
 *
 * One evaluator owns reusable buffers; it is not re-entrant. Results of the last `run` are in
 * its fields.
 */
export class ScheduleEvaluator {
  readonly compiled: CompiledProblem;
  makespan = 0;
  peakMemory = 0;
  sumNodePeakMemory = 0;
  sumFinishTimes = 0;
  infeasibleReason: InfeasibleReason | undefined;
  /** Whether the last `run` stopped early because the makespan was certain to exceed its `makespanLimit`. */
  exceededLimit = false;
  /** Per node, its peak memory and the time its last task ends, after the last feasible `run`. */
  readonly nodePeakMemory: Float64Array;
  readonly nodeFinish: Float64Array;
  private readonly endTime: Float64Array;
  /** Tasks of a (node, code) slot done so far; slot = node * codesPerNode + code. */
  private readonly done: Int32Array;
  private readonly nodeMemory: Float64Array;
  private readonly head: Int32Array;
  private readonly stack: Int32Array;
  private readonly onStack: Uint8Array;
  // Per (node, code) slot, everything the inner loop needs, so it does no pipeline lookups:
  private readonly codesPerNode: number;
  /** Flat end-time index of micro-batch 0's task, and the step per micro-batch. */
  private readonly slotBase: Int32Array;
  private readonly slotStride: Int32Array;
  /** 0: first task of the chain (no predecessor); 1: predecessor on this node; 2: on another node (pays the send time). */
  private readonly slotPredecessor: Uint8Array;
  private readonly slotDuration: Float64Array;
  private readonly slotMemoryDelta: Float64Array;
  /** Node of the chain successor, or -1 at the chain's end. */
  private readonly slotSuccessorNode: Int32Array;
  /** Per flat task index: start time, node and position in the node's order, from the last run. */
  private readonly startTime: Float64Array;
  private readonly taskNode: Int32Array;
  private readonly taskPosition: Int32Array;
  /** Per node, the flat task index at each position of its order, from the last run. */
  private readonly indexAtPosition: Int32Array[];
  /** Flat task indices in the order the last run placed them (a topological order). */
  private readonly sequence: Int32Array;
  /** Latest start of each task, from the last `latestStarts` call. */
  private readonly latestStart: Float64Array;
  /** Per slot, the chain time still owed after the slot's task ends (later tasks and sends); a makespan bound. */
  private readonly slotTail: Float64Array;
  /** Per node, the total duration of its tasks, and the least chain tail any of them owes (the b3 bound's t(n)). */
  private readonly nodeWork: Float64Array;
  private readonly nodeMinTail: Float64Array;
  private readonly workLeft: Float64Array;
  // The committed schedule (`commit`), from which `runAfterMove` resumes:
  /** Per flat task index: its code on its node, start and end in the committed schedule. */
  private readonly codeOfIndex: Int32Array;
  private readonly refStart: Float64Array;
  private readonly refEnd: Float64Array;
  /** Per flat task index: its position in its node's committed order. */
  private readonly refPosition: Int32Array;
  /** Per node and position of the committed orders: the task, and the node's state after it. */
  private readonly refIndexAt: Int32Array[];
  private readonly refMemoryAt: Float64Array[];
  private readonly refPeakAt: Float64Array[];
  private readonly refFinishSumAt: Float64Array[];
  private readonly refWorkAt: Float64Array[];
  private committed = false;
  /** Per node: positions below this hold the committed schedule's data in the working arrays. */
  private readonly keptUpTo: Int32Array;
  /** Per node: the position the last run started from (0 for a full run). */
  private readonly resumedAt: Int32Array;
  /** Whether `sequence` holds a topological order of every task (only after a full run). */
  private sequenceComplete = false;

  constructor(compiled: CompiledProblem) {
    this.compiled = compiled;
    const { nodeCount, pipelineCount, taskCount, stageOnNode, stageCount, chainNode, chainDuration, chainMemoryDelta, endTimeOffset } = compiled;
    this.endTime = new Float64Array(taskCount);
    this.startTime = new Float64Array(taskCount);
    this.taskNode = new Int32Array(taskCount);
    this.taskPosition = new Int32Array(taskCount);
    this.indexAtPosition = Array.from(compiled.tasksPerNode, (count) => new Int32Array(count));
    this.sequence = new Int32Array(taskCount);
    this.latestStart = new Float64Array(taskCount);
    this.head = new Int32Array(nodeCount);
    this.nodeMemory = new Float64Array(nodeCount);
    this.nodePeakMemory = new Float64Array(nodeCount);
    this.nodeFinish = new Float64Array(nodeCount);
    this.stack = new Int32Array(nodeCount);
    this.onStack = new Uint8Array(nodeCount);
    const codesPerNode = 2 * pipelineCount;
    this.codesPerNode = codesPerNode;
    const slots = nodeCount * codesPerNode;
    this.done = new Int32Array(slots);
    this.slotBase = new Int32Array(slots);
    this.slotStride = new Int32Array(slots);
    this.slotPredecessor = new Uint8Array(slots);
    this.slotDuration = new Float64Array(slots);
    this.slotMemoryDelta = new Float64Array(slots);
    this.slotSuccessorNode = new Int32Array(slots).fill(-1);
    this.slotTail = new Float64Array(slots);
    this.nodeWork = new Float64Array(nodeCount);
    this.nodeMinTail = new Float64Array(nodeCount).fill(Infinity);
    this.workLeft = new Float64Array(nodeCount);
    this.codeOfIndex = new Int32Array(taskCount);
    this.refStart = new Float64Array(taskCount);
    this.refEnd = new Float64Array(taskCount);
    const perPosition = () => Array.from(compiled.tasksPerNode, (count) => new Float64Array(count));
    this.refPosition = new Int32Array(taskCount);
    this.refIndexAt = Array.from(compiled.tasksPerNode, (count) => new Int32Array(count));
    this.refMemoryAt = perPosition();
    this.refPeakAt = perPosition();
    this.refFinishSumAt = perPosition();
    this.refWorkAt = perPosition();
    this.keptUpTo = new Int32Array(nodeCount);
    this.resumedAt = new Int32Array(nodeCount);
    for (let node = 0; node < nodeCount; node++) {
      for (let p = 0; p < pipelineCount; p++) {
        const stage = stageOnNode[node * pipelineCount + p]!;
        if (stage < 0) continue;
        const stages = stageCount[p]!;
        for (const backward of [0, 1]) {
          const slot = node * codesPerNode + p * 2 + backward;
          const chain = backward === 1 ? 2 * stages - 1 - stage : stage;
          this.slotBase[slot] = endTimeOffset[p]! + chain;
          this.slotStride[slot] = 2 * stages;
          this.slotPredecessor[slot] = chain === 0 ? 0 : chainNode[p]![chain - 1] === node ? 1 : 2;
          this.slotDuration[slot] = chainDuration[p]![chain]!;
          this.slotMemoryDelta[slot] = chainMemoryDelta[p]![chain]!;
          this.slotSuccessorNode[slot] = chain + 1 < 2 * stages ? chainNode[p]![chain + 1]! : -1;
          let tail = 0;
          for (let later = chain + 1; later < 2 * stages; later++) tail += chainDuration[p]![later]! + (chainNode[p]![later] === chainNode[p]![later - 1] ? 0 : compiled.sendDuration);
          this.slotTail[slot] = tail;
          this.nodeWork[node]! += compiled.microBatches[p]! * chainDuration[p]![chain]!;
          for (let microBatch = 0; microBatch < compiled.microBatches[p]!; microBatch++) {
            const index = endTimeOffset[p]! + microBatch * 2 * stages + chain;
            this.codeOfIndex[index] = p * 2 + backward;
            this.taskNode[index] = node;
          }
          this.nodeMinTail[node] = Math.min(this.nodeMinTail[node]!, tail);
        }
      }
    }
  }

  /**
   * Evaluates orders of task codes (shape assumed valid). Returns true when feasible.
   *
   * With a `makespanLimit`, the run stops (false, `exceededLimit` set) as soon as some task proves
   * the makespan will exceed it: its end plus the chain time it still owes, or plus its node's
   * remaining work and the least tail of that node's tasks. A search that knows in advance the
   * worst makespan it would accept skips most of the work of the moves it would reject.
   */
  run(orders: readonly ArrayLike<number>[], makespanLimit = Infinity): boolean {
    this.endTime.fill(-1);
    this.head.fill(0);
    this.done.fill(0);
    this.nodeMemory.fill(0);
    this.nodePeakMemory.fill(0);
    this.nodeFinish.fill(0);
    this.workLeft.set(this.nodeWork);
    this.keptUpTo.fill(0);
    this.resumedAt.fill(0);
    this.sequenceComplete = true;
    return this.sweep(orders, makespanLimit, 0, 0);
  }

  /**
   * Makes the last (feasible) run the committed schedule that `runAfterMove` resumes from. Costs
   * only the positions that run recomputed.
   */
  commit(): void {
    const { codesPerNode, indexAtPosition, startTime, endTime, codeOfIndex, slotMemoryDelta, slotDuration, refStart, refEnd, refPosition } = this;
    for (let node = 0; node < this.compiled.nodeCount; node++) {
      const indexAt = indexAtPosition[node]!;
      const refIndexAt = this.refIndexAt[node]!;
      const memoryAt = this.refMemoryAt[node]!;
      const peakAt = this.refPeakAt[node]!;
      const finishSumAt = this.refFinishSumAt[node]!;
      const workAt = this.refWorkAt[node]!;
      const from = this.committed ? this.resumedAt[node]! : 0;
      let memory = from > 0 ? memoryAt[from - 1]! : 0;
      let peak = from > 0 ? peakAt[from - 1]! : 0;
      let finishSum = from > 0 ? finishSumAt[from - 1]! : 0;
      let work = from > 0 ? workAt[from - 1]! : 0;
      const slotOffset = node * codesPerNode;
      for (let position = from; position < indexAt.length; position++) {
        const index = indexAt[position]!;
        const slot = slotOffset + codeOfIndex[index]!;
        refIndexAt[position] = index;
        refPosition[index] = position;
        refStart[index] = startTime[index]!;
        const end = endTime[index]!;
        refEnd[index] = end;
        memory += slotMemoryDelta[slot]!;
        if (memory > peak) peak = memory;
        finishSum += end;
        work += slotDuration[slot]!;
        memoryAt[position] = memory;
        peakAt[position] = peak;
        finishSumAt[position] = finishSum;
        workAt[position] = work;
      }
      this.keptUpTo[node] = indexAt.length;
      this.resumedAt[node] = indexAt.length;
    }
    this.committed = true;
  }

  /**
   * Evaluates `orders`, which differ from the committed schedule's only on `node`, from position
   * `fromPosition` on, by resuming the committed schedule's sweep instead of starting over. Every
   * task that started before the task at `fromPosition - 1` ended keeps its times: a task whose
   * times can change depends on a moved task, so it starts after that end. Same results as `run`
   * (except that `latestStarts` then needs a full `run`).
   */
  runAfterMove(orders: readonly ArrayLike<number>[], node: number, fromPosition: number, makespanLimit = Infinity): boolean {
    if (!this.committed) return this.run(orders, makespanLimit);
    const { codesPerNode, endTime, startTime, taskPosition, indexAtPosition, head, done, nodeMemory, nodePeakMemory, nodeFinish, workLeft, keptUpTo, resumedAt } = this;
    const { refStart, refEnd, refPosition, slotBase, slotStride } = this;
    const microBatches = this.compiled.microBatches;
    const checkpoint = fromPosition > 0 ? refEnd[this.refIndexAt[node]![fromPosition - 1]!]! : 0;
    let scheduled = 0;
    let sumFinish = 0;
    for (let n = 0; n < this.compiled.nodeCount; n++) {
      const refIndexAt = this.refIndexAt[n]!;
      const indexAt = indexAtPosition[n]!;
      // Tasks before position k started before the checkpoint (starts rise along a node's order).
      let low = 0;
      let high = refIndexAt.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (refStart[refIndexAt[middle]!]! < checkpoint) low = middle + 1;
        else high = middle;
      }
      const k = n === node ? Math.min(low, fromPosition) : low;
      for (let position = Math.min(keptUpTo[n]!, k); position < k; position++) {
        const index = refIndexAt[position]!;
        indexAt[position] = index;
        startTime[index] = refStart[index]!;
        endTime[index] = refEnd[index]!;
        taskPosition[index] = position;
      }
      for (let position = k; position < refIndexAt.length; position++) endTime[refIndexAt[position]!] = -1;
      keptUpTo[n] = k;
      resumedAt[n] = k;
      head[n] = k;
      // Tasks of each code before position k: its micro-batches sit at rising positions, so a binary search.
      for (let code = 0; code < codesPerNode; code++) {
        const slot = n * codesPerNode + code;
        const p = code >> 1;
        let count = 0;
        if (this.compiled.stageOnNode[n * this.compiled.pipelineCount + p]! >= 0) {
          const base = slotBase[slot]!;
          const step = slotStride[slot]!;
          let below = 0;
          let above = microBatches[p]!;
          while (below < above) {
            const middle = (below + above) >> 1;
            if (refPosition[base + middle * step]! < k) below = middle + 1;
            else above = middle;
          }
          count = below;
        }
        done[slot] = count;
      }
      if (k > 0) {
        nodeFinish[n] = refEnd[refIndexAt[k - 1]!]!;
        nodeMemory[n] = this.refMemoryAt[n]![k - 1]!;
        nodePeakMemory[n] = this.refPeakAt[n]![k - 1]!;
        workLeft[n] = this.nodeWork[n]! - this.refWorkAt[n]![k - 1]!;
        sumFinish += this.refFinishSumAt[n]![k - 1]!;
      } else {
        nodeFinish[n] = 0;
        nodeMemory[n] = 0;
        nodePeakMemory[n] = 0;
        workLeft[n] = this.nodeWork[n]!;
      }
      scheduled += k;
    }
    this.sequenceComplete = false;
    return this.sweep(orders, makespanLimit, scheduled, sumFinish);
  }

  /** The list-scheduling sweep from the state in the working arrays (see `run`). */
  private sweep(orders: readonly ArrayLike<number>[], makespanLimit: number, alreadyScheduled: number, alreadySummed: number): boolean {
    const c = this.compiled;
    const { nodeCount, sendDuration } = c;
    const { endTime, head, done, nodeMemory, nodePeakMemory, nodeFinish, stack, onStack, codesPerNode } = this;
    const { slotBase, slotStride, slotPredecessor, slotDuration, slotMemoryDelta, slotSuccessorNode, slotTail, nodeMinTail, workLeft } = this;
    const { startTime, taskPosition, sequence } = this;
    this.exceededLimit = false;
    let stackSize = 0;
    for (let node = nodeCount - 1; node >= 0; node--) {
      stack[stackSize++] = node;
      onStack[node] = 1;
    }
    let scheduled = alreadyScheduled;
    let sumFinish = alreadySummed;
    this.infeasibleReason = undefined;
    while (stackSize > 0) {
      const node = stack[--stackSize]!;
      onStack[node] = 0;
      const order = orders[node]!;
      const length = order.length;
      const slotOffset = node * codesPerNode;
      const indexAt = this.indexAtPosition[node]!;
      let free = nodeFinish[node]!;
      let memory = nodeMemory[node]!;
      let peak = nodePeakMemory[node]!;
      let position = head[node]!;
      let left = workLeft[node]!;
      const nodeTail = nodeMinTail[node]!;
      while (position < length) {
        const code = order[position]!;
        const slot = slotOffset + code;
        const microBatch = done[slot]!;
        // A B before its own F on this node can never run: the micro-batch's chain goes through that F.
        if ((code & 1) === 1 && microBatch >= done[slot - 1]!) {
          this.infeasibleReason = 'deadlock';
          return false;
        }
        const index = slotBase[slot]! + microBatch * slotStride[slot]!;
        const predecessor = slotPredecessor[slot]!;
        let ready = 0;
        if (predecessor !== 0) {
          const previousEnd = endTime[index - 1]!;
          if (previousEnd < 0) break;
          ready = predecessor === 1 ? previousEnd : previousEnd + sendDuration;
        }
        const start = free > ready ? free : ready;
        const duration = slotDuration[slot]!;
        const end = start + duration;
        left -= duration;
        if (end + slotTail[slot]! > makespanLimit || end + left + nodeTail > makespanLimit) {
          this.exceededLimit = true;
          return false;
        }
        startTime[index] = start;
        endTime[index] = end;
        taskPosition[index] = position;
        indexAt[position] = index;
        free = end;
        sumFinish += end;
        memory += slotMemoryDelta[slot]!;
        if (memory > peak) peak = memory;
        done[slot] = microBatch + 1;
        position++;
        sequence[scheduled++] = index;
        const next = slotSuccessorNode[slot]!;
        if (next >= 0 && next !== node && onStack[next] === 0) {
          onStack[next] = 1;
          stack[stackSize++] = next;
        }
      }
      head[node] = position;
      workLeft[node] = left;
      nodeFinish[node] = free;
      nodeMemory[node] = memory;
      nodePeakMemory[node] = peak;
    }
    if (scheduled < c.taskCount) {
      this.infeasibleReason = 'deadlock';
      return false;
    }
    let makespan = 0;
    let peakMemory = 0;
    let sumPeaks = 0;
    for (let node = 0; node < nodeCount; node++) {
      if (nodeFinish[node]! > makespan) makespan = nodeFinish[node]!;
      if (nodePeakMemory[node]! > peakMemory) peakMemory = nodePeakMemory[node]!;
      sumPeaks += nodePeakMemory[node]!;
    }
    this.makespan = makespan;
    this.peakMemory = peakMemory;
    this.sumNodePeakMemory = sumPeaks;
    this.sumFinishTimes = sumFinish;
    if (peakMemory > c.memoryLimit * (1 + MEMORY_TOLERANCE)) {
      this.infeasibleReason = 'memory-limit';
      return false;
    }
    return true;
  }

  /**
   * After a feasible run: walks one critical path back from the end of `endNode`'s last task and
   * writes into `out` every adjacent pair on a node that the path runs through (as
   * node * stride + position of the pair's first task). Only swapping such a pair can shorten
   * this path, the classic critical-arc neighbourhood of job-shop search. Where a task's start
   * is fixed by both its node and its chain predecessor, `preferNode()` picks the way. Returns the
   * number of pairs written.
   */
  criticalPairs(endNode: number, stride: number, out: Int32Array, preferNode: () => boolean): number {
    const { startTime, endTime, taskNode, taskPosition, indexAtPosition } = this;
    const { sendDuration } = this.compiled;
    const order = indexAtPosition[endNode]!;
    if (order.length === 0) return 0;
    let index = order[order.length - 1]!;
    let count = 0;
    for (;;) {
      const node = taskNode[index]!;
      const position = taskPosition[index]!;
      const start = startTime[index]!;
      if (start <= 0) return count;
      const nodePrevious = position > 0 ? indexAtPosition[node]![position - 1]! : -1;
      const nodeTight = nodePrevious >= 0 && endTime[nodePrevious] === start;
      let chainTight = false;
      const chainPrevious = index - 1;
      // The chain predecessor of flat index i is i - 1 unless i is its micro-batch's first task.
      if (chainPrevious >= 0 && this.isChainSuccessor(chainPrevious, index)) {
        const extra = taskNode[chainPrevious] === node ? 0 : sendDuration;
        chainTight = endTime[chainPrevious]! + extra === start;
      }
      if (nodeTight && (!chainTight || preferNode())) {
        if (count < out.length) out[count++] = node * stride + position - 1;
        index = nodePrevious;
      } else if (chainTight) index = chainPrevious;
      else return count;
    }
  }

  /**
   * After a feasible run: the latest time each task could start, with the same orders, without
   * the makespan exceeding `deadline` (a backward pass over the run's topological order).
   * Indexed like the flat task arrays; see `taskAt`, `startOf`, `endOf`.
   */
  latestStarts(deadline: number): Float64Array {
    if (!this.sequenceComplete) throw new Error('latestStarts needs a full run (the last run resumed a committed schedule)');
    const { sequence, latestStart, startTime, endTime, taskNode, taskPosition, indexAtPosition } = this;
    const { sendDuration, taskCount } = this.compiled;
    for (let k = taskCount - 1; k >= 0; k--) {
      const index = sequence[k]!;
      const node = taskNode[index]!;
      const position = taskPosition[index]!;
      const onNode = indexAtPosition[node]!;
      let latestEnd = deadline;
      if (position + 1 < onNode.length) latestEnd = Math.min(latestEnd, latestStart[onNode[position + 1]!]!);
      if (index + 1 < taskCount && this.isChainSuccessor(index, index + 1)) {
        latestEnd = Math.min(latestEnd, latestStart[index + 1]! - (taskNode[index + 1] === node ? 0 : sendDuration));
      }
      latestStart[index] = latestEnd - (endTime[index]! - startTime[index]!);
    }
    return latestStart;
  }

  /** Copies of the last feasible run's times, latest starts for `deadline`, and per-node task indices. */
  snapshot(deadline: number): ScheduleSnapshot {
    const latest = Float64Array.from(this.latestStarts(deadline));
    const ready = new Float64Array(this.compiled.taskCount);
    for (let index = 0; index < ready.length; index++) ready[index] = this.readyOf(index);
    return { start: Float64Array.from(this.startTime), end: Float64Array.from(this.endTime), latest, ready, indexAt: this.indexAtPosition.map((order) => order.slice()) };
  }

  /** After a run: the flat index of the task at `position` in `node`'s order. */
  taskAt(node: number, position: number): number {
    return this.indexAtPosition[node]![position]!;
  }

  startOf(index: number): number {
    return this.startTime[index]!;
  }

  endOf(index: number): number {
    return this.endTime[index]!;
  }

  /** End of the task's chain predecessor plus the send time if it ran elsewhere (0 for a chain's first task). */
  readyOf(index: number): number {
    if (index === 0 || !this.isChainSuccessor(index - 1, index)) return 0;
    return this.endTime[index - 1]! + (this.taskNode[index - 1] === this.taskNode[index] ? 0 : this.compiled.sendDuration);
  }

  private isChainSuccessor(previous: number, index: number): boolean {
    // Flat indices group each micro-batch's whole chain; index starts a chain when it is a multiple
    // of the chain length past its pipeline's offset.
    const { endTimeOffset, stageCount, pipelineCount } = this.compiled;
    for (let p = pipelineCount - 1; p >= 0; p--) {
      const offset = endTimeOffset[p]!;
      if (index >= offset) return previous >= offset && (index - offset) % (2 * stageCount[p]!) !== 0;
    }
    return false;
  }

  score(): ScheduleScore {
    return { makespan: this.makespan, peakMemory: this.peakMemory, sumNodePeakMemory: this.sumNodePeakMemory, sumFinishTimes: this.sumFinishTimes };
  }

  evaluation(orders: readonly ArrayLike<number>[]): Evaluation {
    if (!this.run(orders)) return { feasible: false, reason: this.infeasibleReason! };
    return { feasible: true, ...this.score() };
  }

  /** Evaluates and lists every task with its times, or reports why the orders are infeasible. */
  timeline(orders: readonly ArrayLike<number>[]): ({ feasible: true } & Timeline) | { feasible: false; reason: InfeasibleReason } {
    const c = this.compiled;
    if (!this.run(orders)) return { feasible: false, reason: this.infeasibleReason! };
    const startTime = this.startTime;
    const score = this.score();
    const tasks: ScheduledTask[] = [];
    const { pipelineCount, stageOnNode, stageCount, endTimeOffset, chainMemoryDelta } = c;
    for (let node = 0; node < c.nodeCount; node++) {
      const order = orders[node]!;
      const done = new Int32Array(pipelineCount * 2);
      let memory = 0;
      for (let i = 0; i < order.length; i++) {
        const code = order[i]!;
        const p = code >> 1;
        const isBackward = (code & 1) === 1;
        const stage = stageOnNode[node * pipelineCount + p]!;
        const stages = stageCount[p]!;
        const microBatch = done[code]!++;
        const chain = isBackward ? 2 * stages - 1 - stage : stage;
        const index = endTimeOffset[p]! + microBatch * 2 * stages + chain;
        memory += chainMemoryDelta[p]![chain]!;
        const pipeline = c.problem.pipelines[p]!;
        tasks.push({
          node,
          pipeline: p,
          model: pipeline.model,
          replica: pipeline.replica,
          microBatch,
          stage,
          kind: isBackward ? 'B' : 'F',
          start: startTime[index]!,
          end: this.endTime[index]!,
          memoryAfter: memory,
        });
      }
    }
    return { feasible: true, score, tasks, nodePeakMemory: Array.from(this.nodePeakMemory) };
  }
}

function checkedCodes(compiled: CompiledProblem, orders: NodeOrders): Int32Array[] {
  const codes = encodeOrders(orders);
  const errors = orderShapeErrors(compiled, codes);
  if (errors.length > 0) throw new RangeError(`node orders do not fit the problem: ${errors.slice(0, 5).join('; ')}`);
  return codes;
}

/** Evaluates one schedule (convenience wrapper; searches keep a ScheduleEvaluator). */
export function evaluateSchedule(problem: PipelineProblem, orders: NodeOrders): Evaluation {
  const compiled = compileProblem(problem);
  return new ScheduleEvaluator(compiled).evaluation(checkedCodes(compiled, orders));
}

export function scheduleTimeline(problem: PipelineProblem, orders: NodeOrders): ({ feasible: true } & Timeline) | { feasible: false; reason: InfeasibleReason } {
  const compiled = compileProblem(problem);
  return new ScheduleEvaluator(compiled).timeline(checkedCodes(compiled, orders));
}
