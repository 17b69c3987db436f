import type { CompiledProblem } from './problem.js';

/**
 * A family of list schedulers over pipeline tasks. At every step each (node, pipeline, F|B)
 * offers its next task in micro-batch order once its chain predecessor has ended, with the time
 * it could start; the rule picks one, which fixes the next entry of that node's order.
 */
export interface ListScheduleRule {
  /**
   * Among tasks with the earliest start: 'backward-first' takes a B before an F (the FlexFusion
   * greedy); 'longest-tail' takes the task with the most chain time still after it (a critical-path
   * rule), then a B before an F.
   */
  readonly priority: 'backward-first' | 'longest-tail';
  /**
   * Pipelines that may only fill gaps: their task is dropped when it would end after the earliest
   * start of any other pipeline's task on the same node (the FlexFusion greedy's small model).
   */
  readonly fillOnly?: ReadonlySet<number>;
  /**
   * Caps activations in flight: an F of pipeline p on stage s waits while ceil(k · (S − s))
   * micro-batches are in flight there (k = 1 is 1F1B's own limit). Infinity: no cap. When every
   * offered task is capped the cap is ignored for that step, so the schedule always completes.
   */
  readonly inFlightFactor?: number;
  /**
   * Pipelines whose F/B sequence on every stage is fixed: a forward while fewer than
   * ceil(k · (S − s)) micro-batches are in flight and forwards remain, else a backward, with k from
   * `inFlightFactorByPipeline` (default 1: exactly 1F1B's warm-up, alternation and drain). The
   * rule then only decides how the pipelines interleave on a node.
   */
  readonly oneFOneBPipelines?: ReadonlySet<number>;
  /** Per-pipeline in-flight factors, overriding `inFlightFactor` for the pipelines they name. */
  readonly inFlightFactorByPipeline?: ReadonlyMap<number, number>;
  /**
   * Per-node activation cap: a forward that would lift its node's memory above it waits (capped,
   * like the in-flight caps: ignored only when every offered task is capped).
   */
  readonly memoryCap?: number;
  /**
   * Per task (flat index: the pipeline's `endTimeOffset` + micro-batch × 2S + chain position), the
   * earliest time the rule lets it start. Holding a forward back to near its latest start keeps its
   * activation short-lived and leaves the node to others meanwhile (the node may idle).
   */
  readonly releaseTimes?: Float64Array;
}

/** Memory a node's forward of pipeline p adds, per slot node * pipelineCount + p (0 where p has no stage). */
function forwardActivations(compiled: CompiledProblem): Float64Array {
  const { nodeCount, pipelineCount, stageOnNode, chainMemoryDelta } = compiled;
  const activation = new Float64Array(nodeCount * pipelineCount);
  for (let slot = 0; slot < activation.length; slot++) {
    const stage = stageOnNode[slot]!;
    if (stage >= 0) activation[slot] = chainMemoryDelta[slot % pipelineCount]![stage]!;
  }
  return activation;
}

/** Memory within this relative tolerance of a cap still fits (sums of decimal activations are inexact). */
const MEMORY_TOLERANCE = 1e-9;

/** Per-node task codes (pipeline * 2 + isBackward) chosen by the rule; always deadlock-free. */
export function listScheduleOrders(compiled: CompiledProblem, rule: ListScheduleRule): Int32Array[] {
  const { nodeCount, pipelineCount, stageOnNode, stageCount, microBatches, chainNode, chainDuration, endTimeOffset, sendDuration, taskCount } = compiled;
  const fillOnly = rule.fillOnly ?? new Set<number>();
  const inFlightFactor = rule.inFlightFactor ?? Infinity;
  const longestTail = rule.priority === 'longest-tail';
  const tails = chainDuration.map((durations) => {
    const tail = new Float64Array(durations.length);
    for (let i = durations.length - 2; i >= 0; i--) tail[i] = tail[i + 1]! + durations[i + 1]!;
    return tail;
  });
  const endTime = new Float64Array(taskCount).fill(-1);
  const nodeFree = new Float64Array(nodeCount);
  const forwardsDone = new Int32Array(nodeCount * pipelineCount);
  const backwardsDone = new Int32Array(nodeCount * pipelineCount);
  const orders: number[][] = Array.from({ length: nodeCount }, () => []);
  const othersEarliest = new Float64Array(nodeCount);
  const activation = forwardActivations(compiled);
  const nodeMemory = new Float64Array(nodeCount);
  const memoryCap = (rule.memoryCap ?? Infinity) * (1 + MEMORY_TOLERANCE);
  const release = rule.releaseTimes;
  const slots = nodeCount * pipelineCount;
  const cap = new Int32Array(slots);
  const fixed = new Uint8Array(pipelineCount);
  const filling = new Uint8Array(pipelineCount);
  for (let p = 0; p < pipelineCount; p++) {
    fixed[p] = rule.oneFOneBPipelines?.has(p) ? 1 : 0;
    filling[p] = fillOnly.has(p) ? 1 : 0;
  }
  for (let slot = 0; slot < slots; slot++) {
    const p = slot % pipelineCount;
    const stage = stageOnNode[slot]!;
    if (stage < 0) continue;
    const factor = rule.inFlightFactorByPipeline?.get(p) ?? (fixed[p] === 1 ? 1 : inFlightFactor);
    cap[slot] = Math.min(2 ** 30, Math.ceil(factor * (stageCount[p]! - stage)));
  }
  // Each (node, pipeline, F|B) offers its next task: candidate c = slot * 2 + isBackward. Only the
  // chosen task's node and its chain successor's node change from one step to the next.
  const offered = new Uint8Array(2 * slots);
  const startOf = new Float64Array(2 * slots);
  const capped = new Uint8Array(2 * slots);
  const offer = (slot: number) => {
    const stage = stageOnNode[slot]!;
    offered[2 * slot] = 0;
    offered[2 * slot + 1] = 0;
    if (stage < 0) return;
    const node = (slot / pipelineCount) | 0;
    const p = slot - node * pipelineCount;
    const stages = stageCount[p]!;
    const inFlight = forwardsDone[slot]! - backwardsDone[slot]!;
    const nextIsBackward = !(inFlight < cap[slot]! && forwardsDone[slot]! < microBatches[p]!);
    for (let kind = 0; kind < 2; kind++) {
      const backward = kind === 1;
      if (fixed[p] === 1 && nextIsBackward !== backward) continue;
      const microBatch = backward ? backwardsDone[slot]! : forwardsDone[slot]!;
      if (microBatch >= microBatches[p]!) continue;
      if (backward && microBatch >= forwardsDone[slot]!) continue;
      const chainIndex = backward ? 2 * stages - 1 - stage : stage;
      const index = endTimeOffset[p]! + microBatch * 2 * stages + chainIndex;
      let ready = 0;
      if (chainIndex > 0) {
        const previousEnd = endTime[index - 1]!;
        if (previousEnd < 0) continue;
        ready = chainNode[p]![chainIndex - 1] === node ? previousEnd : previousEnd + sendDuration;
      }
      let start = Math.max(ready, nodeFree[node]!);
      if (release !== undefined && release[index]! > start) start = release[index]!;
      const c = 2 * slot + kind;
      offered[c] = 1;
      startOf[c] = start;
      capped[c] = !backward && (inFlight >= cap[slot]! || nodeMemory[node]! + activation[slot]! > memoryCap) ? 1 : 0;
    }
  };
  const chainIndexOf = (c: number) => {
    const slot = c >> 1;
    const p = slot % pipelineCount;
    return (c & 1) === 1 ? 2 * stageCount[p]! - 1 - stageOnNode[slot]! : stageOnNode[slot]!;
  };
  const endOf = (c: number) => startOf[c]! + chainDuration[(c >> 1) % pipelineCount]![chainIndexOf(c)]!;
  const better = (a: number, b: number) => {
    if (startOf[a] !== startOf[b]) return startOf[a]! < startOf[b]!;
    if (longestTail) {
      const tailA = tails[(a >> 1) % pipelineCount]![chainIndexOf(a)]!;
      const tailB = tails[(b >> 1) % pipelineCount]![chainIndexOf(b)]!;
      if (tailA !== tailB) return tailA > tailB;
    }
    return (a & 1) === 1 && (b & 1) === 0;
  };
  for (let slot = 0; slot < slots; slot++) offer(slot);

  for (let step = 0; step < taskCount; step++) {
    othersEarliest.fill(Infinity);
    for (let c = 0; c < 2 * slots; c++) {
      if (offered[c] === 0) continue;
      const slot = c >> 1;
      const node = (slot / pipelineCount) | 0;
      if (filling[slot - node * pipelineCount] === 0 && startOf[c]! < othersEarliest[node]!) othersEarliest[node] = startOf[c]!;
    }
    let chosen = -1;
    let fallback = -1;
    for (let c = 0; c < 2 * slots; c++) {
      if (offered[c] === 0) continue;
      const slot = c >> 1;
      const node = (slot / pipelineCount) | 0;
      if (filling[slot - node * pipelineCount] === 1 && endOf(c) > othersEarliest[node]!) continue;
      if (capped[c] === 1) {
        if (fallback < 0 || better(c, fallback)) fallback = c;
      } else if (chosen < 0 || better(c, chosen)) chosen = c;
    }
    if (chosen < 0) chosen = fallback;
    if (chosen < 0) throw new Error('list schedule: no task offered although tasks remain (a bug: some chain is always ready)');
    const slot = chosen >> 1;
    const node = (slot / pipelineCount) | 0;
    const p = slot - node * pipelineCount;
    const backward = (chosen & 1) === 1;
    const chainIndex = chainIndexOf(chosen);
    const microBatch = backward ? backwardsDone[slot]! : forwardsDone[slot]!;
    const end = endOf(chosen);
    orders[node]!.push(p * 2 + (backward ? 1 : 0));
    endTime[endTimeOffset[p]! + microBatch * 2 * stageCount[p]! + chainIndex] = end;
    nodeFree[node] = end;
    if (backward) {
      backwardsDone[slot]!++;
      nodeMemory[node]! -= activation[slot]!;
    } else {
      forwardsDone[slot]!++;
      nodeMemory[node]! += activation[slot]!;
    }
    for (let q = 0; q < pipelineCount; q++) offer(node * pipelineCount + q);
    if (chainIndex + 1 < 2 * stageCount[p]!) {
      const next = chainNode[p]![chainIndex + 1]!;
      if (next !== node) offer(next * pipelineCount + p);
    }
  }
  return orders.map((order) => Int32Array.from(order));
}
