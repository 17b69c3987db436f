import { evaluateSchedule } from '../../pipeline/evaluate.js';
import { oneFOneBOrders } from '../../pipeline/one-f-one-b.js';
import type { PipelineProblem } from '../../pipeline/types.js';

/**
 * The unfused baseline the paper compares against (§3.9 "Serial"): each model trains with plain
 * 1F1B on the same nodes, one model after the other. A model's time is its slowest pipeline's
 * 1F1B makespan (its replicas run side by side on disjoint nodes); the models' times add up.
 */
export function serialOneFOneBLatency(problem: PipelineProblem): number {
  const modelTimes = new Map<string, number>();
  problem.pipelines.forEach((pipeline) => {
    const alone: PipelineProblem = { nodeCount: problem.nodeCount, pipelines: [pipeline], ...(problem.sendDuration !== undefined ? { sendDuration: problem.sendDuration } : {}) };
    const evaluation = evaluateSchedule(alone, oneFOneBOrders(alone));
    if (!evaluation.feasible) throw new Error(`1F1B of ${pipeline.model} replica ${pipeline.replica} is infeasible (${evaluation.reason}): a bug in the order builder`);
    modelTimes.set(pipeline.model, Math.max(modelTimes.get(pipeline.model) ?? 0, evaluation.makespan));
  });
  return [...modelTimes.values()].reduce((a, b) => a + b, 0);
}
