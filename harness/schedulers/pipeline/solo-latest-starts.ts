import { ScheduleEvaluator } from './evaluate.js';
import { oneFOneBOrders } from './one-f-one-b.js';
import { compileProblem, encodeOrders, type CompiledProblem } from './problem.js';

/**
 * Per task (flat index, as in the evaluator), the latest time it may start when its pipeline runs
 * alone in 1F1B and must end by `deadline`: how long each task can wait before the pipeline's own
 * critical path is at risk, ignoring the other pipelines. A list schedule that holds forwards back
 * to near these times keeps activations short-lived and leaves the nodes to the others meanwhile.
 */
export function soloOneFOneBLatestStarts(compiled: CompiledProblem, deadline: number): Float64Array {
  const latest = new Float64Array(compiled.taskCount);
  const { problem } = compiled;
  problem.pipelines.forEach((pipeline, p) => {
    const alone = { nodeCount: problem.nodeCount, pipelines: [pipeline], ...(problem.sendDuration !== undefined ? { sendDuration: problem.sendDuration } : {}) };
    const evaluator = new ScheduleEvaluator(compileProblem(alone));
    if (!evaluator.run(encodeOrders(oneFOneBOrders(alone)))) throw new Error('soloOneFOneBLatestStarts: 1F1B of a single pipeline deadlocked (a bug)');
    latest.set(evaluator.latestStarts(deadline), compiled.endTimeOffset[p]!);
  });
  return latest;
}
