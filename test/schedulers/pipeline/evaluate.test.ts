import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSchedule, ScheduleEvaluator, scheduleTimeline } from '../../../harness/schedulers/pipeline/evaluate.js';
import { compileProblem, encodeOrders } from '../../../harness/schedulers/pipeline/problem.js';
import type { NodeOrders, PipelineProblem, PipelineSpec, TaskRef } from '../../../harness/schedulers/pipeline/types.js';
import { createRng } from '../../../harness/util/rng.js';
import { arbitraryProblem, randomFeasibleOrders } from './random-instances.js';

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

describe('ScheduleEvaluator, as a search uses it', () => {
  const scoreOf = (evaluator: ScheduleEvaluator) => [evaluator.makespan, evaluator.peakMemory, evaluator.sumNodePeakMemory, evaluator.sumFinishTimes, Array.from(evaluator.nodeFinish)];

  it('stops early exactly when the makespan will exceed the limit it is given', () => {
    fc.assert(
      fc.property(arbitraryProblem, fc.integer({ min: 0, max: 1 << 20 }), (problem, seed) => {
        const evaluator = new ScheduleEvaluator(compileProblem(problem));
        const orders = encodeOrders(randomFeasibleOrders(problem, seed));
        expect(evaluator.run(orders)).toBe(true);
        const makespan = evaluator.makespan;
        expect(evaluator.run(orders, makespan)).toBe(true);
        expect(evaluator.exceededLimit).toBe(false);
        expect(evaluator.run(orders, makespan - 0.5)).toBe(false);
        expect(evaluator.exceededLimit).toBe(true);
      }),
      { seed: 1, numRuns: 150 },
    );
  });

  it('resuming the committed schedule after a move gives what a full run gives, moves kept or not', () => {
    fc.assert(
      fc.property(arbitraryProblem, fc.integer({ min: 0, max: 1 << 20 }), (problem, seed) => {
        const compiled = compileProblem(problem);
        const resumed = new ScheduleEvaluator(compiled);
        const full = new ScheduleEvaluator(compiled);
        const rng = createRng(seed);
        const orders = encodeOrders(randomFeasibleOrders(problem, seed));
        resumed.run(orders);
        resumed.commit();
        for (let move = 0; move < 40; move++) {
          const node = rng.int(problem.nodeCount);
          const order = orders[node]!;
          if (order.length < 2) continue;
          const from = rng.int(order.length);
          const to = rng.int(order.length);
          const before = order.slice();
          const [task] = [order[from]!];
          order.copyWithin(...(from < to ? ([from, from + 1, to + 1] as const) : ([to + 1, to, from] as const)));
          order[to] = task;
          const a = resumed.runAfterMove(orders, node, Math.min(from, to));
          const b = full.run(orders);
          expect(a).toBe(b);
          if (a) {
            expect(scoreOf(resumed)).toEqual(scoreOf(full));
            for (let index = 0; index < compiled.taskCount; index++) expect([resumed.startOf(index), resumed.endOf(index)]).toEqual([full.startOf(index), full.endOf(index)]);
          }
          if (a && rng.next() < 0.5) resumed.commit();
          else orders[node] = before;
        }
      }),
      { seed: 2, numRuns: 100 },
    );
  });
});
