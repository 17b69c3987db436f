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
   * Pipelines whose F/B sequence on every stage is fixed to 1F1B's (warm-up forwards, then
   * alternate, then drain); the rule then only decides how the pipelines interleave on a node.
   */
  readonly oneFOneBPipelines?: ReadonlySet<number>;
  /** Per-pipeline in-flight factors, overriding `inFlightFactor` for the pipelines they name. */
  readonly inFlightFactorByPipeline?: ReadonlyMap<number, number>;
}

interface Candidate {
  node: number;
  pipeline: number;
  backward: boolean;
  microBatch: number;
  chainIndex: number;
  start: number;
  end: number;
  tail: number;
  capped: boolean;
}

function better(a: Candidate, b: Candidate, longestTail: boolean): boolean {
  if (a.start !== b.start) return a.start < b.start;
  if (longestTail && a.tail !== b.tail) return a.tail > b.tail;
  return a.backward && !b.backward;
}

/** Whether the next task of 1F1B's sequence on stage s, after f forwards and b backwards, is a backward. */
function oneFOneBNextIsBackward(stage: number, stages: number, microBatches: number, forwards: number, backwards: number): boolean {
  const warmup = Math.min(stages - stage - 1, microBatches);
  if (forwards < warmup) return false;
  if (forwards === microBatches) return true;
  // Steady state: F, B, F, B, ... after the warm-up, so a B is due when as many Bs as steady Fs are missing.
  return backwards < forwards - warmup;
}

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
  const candidates: Candidate[] = [];

  for (let step = 0; step < taskCount; step++) {
    candidates.length = 0;
    for (let node = 0; node < nodeCount; node++) {
      for (let p = 0; p < pipelineCount; p++) {
        const slot = node * pipelineCount + p;
        const stage = stageOnNode[slot]!;
        if (stage < 0) continue;
        const stages = stageCount[p]!;
        const fixedKind = rule.oneFOneBPipelines?.has(p) ? oneFOneBNextIsBackward(stage, stages, microBatches[p]!, forwardsDone[slot]!, backwardsDone[slot]!) : undefined;
        for (const backward of [false, true]) {
          if (fixedKind !== undefined && fixedKind !== backward) continue;
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
          const start = Math.max(ready, nodeFree[node]!);
          const inFlight = forwardsDone[slot]! - backwardsDone[slot]!;
          const factor = rule.inFlightFactorByPipeline?.get(p) ?? inFlightFactor;
          const capped = !backward && inFlight >= Math.ceil(factor * (stages - stage));
          candidates.push({ node, pipeline: p, backward, microBatch, chainIndex, start, end: start + chainDuration[p]![chainIndex]!, tail: tails[p]![chainIndex]!, capped });
        }
      }
    }
    othersEarliest.fill(Infinity);
    for (const candidate of candidates) {
      if (!fillOnly.has(candidate.pipeline) && candidate.start < othersEarliest[candidate.node]!) othersEarliest[candidate.node] = candidate.start;
    }
    let chosen: Candidate | undefined;
    let fallback: Candidate | undefined;
    for (const candidate of candidates) {
      if (fillOnly.has(candidate.pipeline) && candidate.end > othersEarliest[candidate.node]!) continue;
      if (candidate.capped) {
        if (fallback === undefined || better(candidate, fallback, longestTail)) fallback = candidate;
        continue;
      }
      if (chosen === undefined || better(candidate, chosen, longestTail)) chosen = candidate;
    }
    chosen ??= fallback;
    if (chosen === undefined) throw new Error('list schedule: no task offered although tasks remain (a bug: some chain is always ready)');
    const p = chosen.pipeline;
    orders[chosen.node]!.push(p * 2 + (chosen.backward ? 1 : 0));
    endTime[endTimeOffset[p]! + chosen.microBatch * 2 * stageCount[p]! + chosen.chainIndex] = chosen.end;
    nodeFree[chosen.node] = chosen.end;
    if (chosen.backward) backwardsDone[chosen.node * pipelineCount + p]!++;
    else forwardsDone[chosen.node * pipelineCount + p]!++;
  }
  return orders.map((order) => Int32Array.from(order));
}
