import { describe, expect, it } from 'vitest';
import { ScheduleEvaluator } from '../../../harness/schedulers/pipeline/evaluate.js';
import { compileProblem } from '../../../harness/schedulers/pipeline/problem.js';
import { soloOneFOneBLatestStarts } from '../../../harness/schedulers/pipeline/solo-latest-starts.js';
import type { PipelineProblem } from '../../../harness/schedulers/pipeline/types.js';

describe('soloOneFOneBLatestStarts', () => {
  // Pipeline 0: two stages on nodes 0, 1 (F = 1, B = 2), two micro-batches: 1F1B ends at 9.
  // Pipeline 1: one stage on node 1 (F = 1, B = 1), one micro-batch: ends at 2 alone.
  const problem: PipelineProblem = {
    nodeCount: 2,
    pipelines: [
      { model: 'actor', replica: 0, microBatches: 2, stageNodes: [0, 1], forwardDurations: [1, 1], backwardDurations: [2, 2], activationPerMicroBatch: [1, 1] },
      { model: 'critic', replica: 0, microBatches: 1, stageNodes: [1], forwardDurations: [1], backwardDurations: [1], activationPerMicroBatch: [1] },
    ],
  };

  it('gives each pipeline its own 1F1B slack against the deadline, ignoring the others', () => {
    const compiled = compileProblem(problem);
    const latest = soloOneFOneBLatestStarts(compiled, 10);
    // Actor alone: F0 [0,1] F1 [1,2] on stage 0; stage 1 F0 [1,2] B0 [2,4] F1 [4,5] B1 [5,7];
    // stage 0 B0 [4,6] B1 [7,9]. One unit of slack at deadline 10 on the critical path:
    // micro-batch 0's chain (F s0, F s1, B s1, B s0) may start at 1, 2, 3, 6 (B0 on stage 0 can
    // wait until B1 must start at 8).
    expect(Array.from(latest.subarray(0, 4))).toEqual([1, 2, 3, 6]);
    // Micro-batch 1: F s0 by 4 (stage 1 runs F1 at 5 at the latest), F s1 at 5, B s1 at 6, B s0 at 8.
    expect(Array.from(latest.subarray(4, 8))).toEqual([4, 5, 6, 8]);
    // Critic alone: F [.., 9 − 1 − 1 = 8], B at 9.
    expect(Array.from(latest.subarray(8, 10))).toEqual([8, 9]);
  });

  it('agrees with the evaluator on the pipeline run alone', () => {
    const compiled = compileProblem(problem);
    const alone = compileProblem({ nodeCount: 2, pipelines: [problem.pipelines[0]!] });
    const evaluator = new ScheduleEvaluator(alone);
    evaluator.run([Int32Array.from([0, 0, 1, 1]), Int32Array.from([0, 1, 0, 1])]);
    expect(Array.from(soloOneFOneBLatestStarts(compiled, 12).subarray(0, 8))).toEqual(Array.from(evaluator.latestStarts(12)));
  });
});
