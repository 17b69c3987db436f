import type { PipelineProblem, PipelineSpec } from '../../pipeline/types.js';

/**
 * Latency lower bounds of the FlexFusion artifact (`get-lower-bound.py`, RLHFuse §3.8), written
 * for any stage times: with uniform stages and the fused layout they reduce to the published
 * formulas (b0 = (M_L + PP_L − 1)·3f_L, b1 = ⌈total work / N⌉, b2 = M_L·3f_L + M_S·3f_S,
 * b3 = max_n a(n) + b2 + t(n)).
 */
export interface LatencyLowerBounds {
  /** Critical path of the slowest pipeline run alone: max over its stages s of head(s) + m·(F_s + B_s) + tail(s). */
  readonly b0: number;
  /** All work spread over every node with no idle time (rounded up when every duration is an integer). */
  readonly b1: number;
  /** The busiest node's own work. */
  readonly b2: number;
  /** A node's work plus the earliest any first F can reach it and the shortest B tail owed after its last task. */
  readonly b3: number;
  readonly lowerBound: number;
  readonly binding: 'b0' | 'b1' | 'b2' | 'b3';
}

/** Time from the start until micro-batch 0's F reaches stage s (the send time counts once per hop). */
function forwardHead(pipeline: PipelineSpec, stage: number, send: number): number {
  let total = 0;
  for (let s = 0; s < stage; s++) total += pipeline.forwardDurations[s]! + send;
  return total;
}

/** Time after a B on stage s ends until its micro-batch's B chain has left stage 0. */
function backwardTail(pipeline: PipelineSpec, stage: number, send: number): number {
  let total = 0;
  for (let s = 0; s < stage; s++) total += pipeline.backwardDurations[s]! + send;
  return total;
}

export function latencyLowerBounds(problem: PipelineProblem): LatencyLowerBounds {
  const send = problem.sendDuration ?? 0;
  const nodeWork = new Array<number>(problem.nodeCount).fill(0);
  const nodeHead = new Array<number>(problem.nodeCount).fill(Infinity);
  const nodeTail = new Array<number>(problem.nodeCount).fill(Infinity);
  let b0 = 0;
  let integral = true;
  for (const pipeline of problem.pipelines) {
    pipeline.stageNodes.forEach((node, stage) => {
      const perMicroBatch = pipeline.forwardDurations[stage]! + pipeline.backwardDurations[stage]!;
      integral &&= Number.isInteger(pipeline.forwardDurations[stage]) && Number.isInteger(pipeline.backwardDurations[stage]);
      const head = forwardHead(pipeline, stage, send);
      const tail = backwardTail(pipeline, stage, send);
      nodeWork[node]! += pipeline.microBatches * perMicroBatch;
      nodeHead[node] = Math.min(nodeHead[node]!, head);
      nodeTail[node] = Math.min(nodeTail[node]!, tail);
      b0 = Math.max(b0, head + pipeline.microBatches * perMicroBatch + tail);
    });
  }
  const totalWork = nodeWork.reduce((a, b) => a + b, 0);
  const b1 = integral ? Math.ceil(totalWork / problem.nodeCount) : totalWork / problem.nodeCount;
  const b2 = Math.max(...nodeWork);
  let b3 = 0;
  nodeWork.forEach((work, node) => {
    if (work > 0) b3 = Math.max(b3, nodeHead[node]! + work + nodeTail[node]!);
  });
  const bounds = { b0, b1, b2, b3 };
  const binding = (['b3', 'b0', 'b1', 'b2'] as const).reduce((best, key) => (bounds[key] > bounds[best] ? key : best));
  return { ...bounds, lowerBound: bounds[binding], binding };
}

/**
 * The artifact's "theoretically best" peak memory (§3.8): the stage-0 peak of plain 1F1B, max over
 * pipelines of min(S, m) × activation, taken per stage as min(S − s, m) × activation_s when
 * activations differ by stage. It is the serial-1F1B reference the paper compares against, not
 * a true bound: running micro-batches one by one needs less memory, at a far longer makespan.
 */
export function memoryLowerBound(problem: PipelineProblem): number {
  let bound = 0;
  for (const pipeline of problem.pipelines) {
    const stages = pipeline.stageNodes.length;
    pipeline.activationPerMicroBatch.forEach((activation, stage) => {
      bound = Math.max(bound, Math.min(stages - stage, pipeline.microBatches) * activation);
    });
  }
  return bound;
}
