import { describe, expect, it } from 'vitest';
import { evaluateSchedule, scheduleTimeline } from '../../../harness/schedulers/pipeline/evaluate.js';
import type { NodeOrders, PipelineProblem, PipelineSpec, TaskRef } from '../../../harness/schedulers/pipeline/types.js';

const F = (pipeline = 0): TaskRef => ({ pipeline, kind: 'F' });
const B = (pipeline = 0): TaskRef => ({ pipeline, kind: 'B' });

function pipeline(stageNodes: number[], forward: number[], backward: number[], microBatches: number, activation = 1, model = 'actor'): PipelineSpec {
  return { model, replica: 0, microBatches, stageNodes, forwardDurations: forward, backwardDurations: backward, activationPerMicroBatch: stageNodes.map(() => activation) };
}

describe('evaluateSchedule', () => {
  it('times a two-stage pipeline with non-uniform stages as worked out by hand', () => {
    // Stage 0: F=2, B=3 on node 0; stage 1: F=1, B=4 on node 1; two micro-batches.
    const problem: PipelineProblem = { nodeCount: 2, pipelines: [pipeline([0, 1], [2, 1], [3, 4], 2)] };
    const orders: NodeOrders = [
      [F(), F(), B(), B()],
      [F(), B(), F(), B()],
    ];
    // node 0: F0 [0,2] F1 [2,4]; node 1: F0 [2,3] B0 [3,7] F1 [7,8] B1 [8,12];
    // node 0: B0 [7,10] B1 [12,15].
    const timeline = scheduleTimeline(problem, orders);
    expect(timeline.feasible).toBe(true);
    if (!timeline.feasible) return;
    expect(timeline.tasks.map((t) => [t.node, t.kind, t.microBatch, t.start, t.end, t.memoryAfter])).toEqual([
      [0, 'F', 0, 0, 2, 1],
      [0, 'F', 1, 2, 4, 2],
      [0, 'B', 0, 7, 10, 1],
      [0, 'B', 1, 12, 15, 0],
      [1, 'F', 0, 2, 3, 1],
      [1, 'B', 0, 3, 7, 0],
      [1, 'F', 1, 7, 8, 1],
      [1, 'B', 1, 8, 12, 0],
    ]);
    expect(timeline.score).toEqual({ makespan: 15, peakMemory: 2, sumNodePeakMemory: 3, sumFinishTimes: 2 + 4 + 10 + 15 + 3 + 7 + 8 + 12 });
  });

  it('adds the send time on every hop between nodes but not between F and B on the last stage', () => {
    const problem: PipelineProblem = { nodeCount: 2, sendDuration: 0.5, pipelines: [pipeline([0, 1], [1, 1], [2, 2], 1)] };
    const evaluation = evaluateSchedule(problem, [[F(), B()], [F(), B()]]);
    // F0 [0,1], send, F1 [1.5,2.5], B1 [2.5,4.5], send, B0 [5,7]
    expect(evaluation).toMatchObject({ feasible: true, makespan: 7 });
  });

  it('reports a B placed before its own F on a node as a deadlock', () => {
    const problem: PipelineProblem = { nodeCount: 1, pipelines: [pipeline([0], [1], [2], 1)] };
    expect(evaluateSchedule(problem, [[B(), F()]])).toEqual({ feasible: false, reason: 'deadlock' });
  });

  it('reports orders that wait on each other across nodes as a deadlock', () => {
    // Pipeline 0 runs node 0 -> 1, pipeline 1 runs node 1 -> 0. Each node first waits for the
    // other pipeline's second stage, which waits behind the node's own first task elsewhere.
    const problem: PipelineProblem = {
      nodeCount: 2,
      pipelines: [pipeline([0, 1], [1, 1], [2, 2], 1), pipeline([1, 0], [1, 1], [2, 2], 1, 1, 'critic')],
    };
    const orders: NodeOrders = [
      [F(1), B(1), F(0), B(0)],
      [F(0), B(0), F(1), B(1)],
    ];
    expect(evaluateSchedule(problem, orders)).toEqual({ feasible: false, reason: 'deadlock' });
  });

  it('rejects a schedule whose node memory exceeds the limit, and accepts it at the limit', () => {
    const base: PipelineProblem = { nodeCount: 1, pipelines: [pipeline([0], [1], [1], 3, 1.5)] };
    const allForwardsFirst: NodeOrders = [[F(), F(), F(), B(), B(), B()]];
    expect(evaluateSchedule({ ...base, memoryLimit: 4.4 }, allForwardsFirst)).toEqual({ feasible: false, reason: 'memory-limit' });
    expect(evaluateSchedule({ ...base, memoryLimit: 4.5 }, allForwardsFirst)).toMatchObject({ feasible: true, peakMemory: 4.5 });
    expect(evaluateSchedule({ ...base, memoryLimit: 1.5 }, [[F(), B(), F(), B(), F(), B()]])).toMatchObject({ feasible: true, peakMemory: 1.5 });
  });

  it('throws when the orders do not fit the problem', () => {
    const problem: PipelineProblem = { nodeCount: 1, pipelines: [pipeline([0], [1], [1], 2)] };
    expect(() => evaluateSchedule(problem, [[F(), B()]])).toThrow(/pipeline 0 has 1 F tasks, expected 2/);
    expect(() => evaluateSchedule(problem, [[F(), B(), F(), B()], []])).toThrow(/expected orders for 1 nodes/);
  });
});
