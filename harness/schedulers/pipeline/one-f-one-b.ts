import type { NodeOrders, PipelineProblem, TaskKind, TaskRef } from './types.js';

/**
 * The 1F1B (PipeDream-flush) order of one stage: min(S - s - 1, m) warm-up forwards, then
 * alternate F and B, then drain the remaining backwards. It keeps at most S - s micro-batches in
 * flight on stage s, and with uniform stages it finishes in (m + S - 1)(f + b).
 */
export function oneFOneBStageOrder(stage: number, stageCount: number, microBatches: number): TaskKind[] {
  const warmup = Math.min(stageCount - stage - 1, microBatches);
  const order: TaskKind[] = [];
  for (let i = 0; i < warmup; i++) order.push('F');
  for (let i = 0; i < microBatches - warmup; i++) order.push('F', 'B');
  for (let i = 0; i < warmup; i++) order.push('B');
  return order;
}

/**
 * Per-node orders that run each pipeline's 1F1B order, pipelines one after another on every node
 * in the given priority (default: pipeline index). With one pipeline per node this is plain 1F1B;
 * with several it is the unfused, serial baseline.
 */
export function oneFOneBOrders(problem: PipelineProblem, priority: readonly number[] = problem.pipelines.map((_, p) => p)): NodeOrders {
  const orders: TaskRef[][] = Array.from({ length: problem.nodeCount }, () => []);
  for (const p of priority) {
    const pipeline = problem.pipelines[p]!;
    pipeline.stageNodes.forEach((node, stage) => {
      for (const kind of oneFOneBStageOrder(stage, pipeline.stageNodes.length, pipeline.microBatches)) orders[node]!.push({ pipeline: p, kind });
    });
  }
  return orders;
}
