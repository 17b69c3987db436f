import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSchedule, scheduleTimeline } from '../../../harness/schedulers/pipeline/evaluate.js';
import { oneFOneBOrders } from '../../../harness/schedulers/pipeline/one-f-one-b.js';
import type { PipelineProblem, ScheduledTask } from '../../../harness/schedulers/pipeline/types.js';
import { validateSchedule } from '../../../harness/schedulers/pipeline/validate.js';
import { arbitraryProblem, randomFeasibleOrders, randomShuffledOrders } from './random-instances.js';

const problem: PipelineProblem = {
  nodeCount: 2,
  pipelines: [{ model: 'actor', replica: 0, microBatches: 2, stageNodes: [0, 1], forwardDurations: [2, 1], backwardDurations: [3, 4], activationPerMicroBatch: [1, 1] }],
};
const orders = oneFOneBOrders(problem);

function evaluatedTimeline(): ScheduledTask[] {
  const timeline = scheduleTimeline(problem, orders);
  if (!timeline.feasible) throw new Error('fixture must be feasible');
  return [...timeline.tasks];
}

function tamper(change: (tasks: ScheduledTask[]) => void): ScheduledTask[] {
  const tasks = evaluatedTimeline();
  change(tasks);
  return tasks;
}

const find = (tasks: ScheduledTask[], node: number, kind: 'F' | 'B', microBatch: number) => tasks.findIndex((t) => t.node === node && t.kind === kind && t.microBatch === microBatch);

describe('validateSchedule', () => {
  it('accepts the evaluator timeline and recomputes its makespan and peak memory', () => {
    const report = validateSchedule(problem, orders, { timeline: evaluatedTimeline() });
    expect(report).toEqual({ valid: true, problems: [], makespan: 15, peakMemory: 2 });
  });

  it('catches a task started before its chain predecessor ends', () => {
    const tasks = tamper((t) => {
      const i = find(t, 1, 'F', 0);
      t[i] = { ...t[i]!, start: t[i]!.start - 1, end: t[i]!.end - 1 };
    });
    const report = validateSchedule(problem, orders, { timeline: tasks });
    expect(report.valid).toBe(false);
    expect(report.problems.join('\n')).toMatch(/0\/0\/1\/F starts at 1 before 0\/0\/0\/F ends \(2\)/);
  });

  it('catches overlapping tasks on a node and a wrong duration', () => {
    const tasks = tamper((t) => {
      const i = find(t, 0, 'F', 1);
      t[i] = { ...t[i]!, start: 1, end: 3 };
      const j = find(t, 0, 'B', 1);
      t[j] = { ...t[j]!, end: t[j]!.end + 1 };
    });
    const text = validateSchedule(problem, orders, { timeline: tasks }).problems.join('\n');
    expect(text).toMatch(/node 0: 0\/1\/0\/F overlaps 0\/0\/0\/F/);
    expect(text).toMatch(/0\/1\/0\/B lasts 4, expected 3/);
  });

  it('catches micro-batches of one kind out of order on a stage and a task on the wrong node', () => {
    const tasks = tamper((t) => {
      const a = find(t, 1, 'B', 0);
      const b = find(t, 1, 'B', 1);
      t[a] = { ...t[a]!, microBatch: 1 };
      t[b] = { ...t[b]!, microBatch: 0 };
      const c = find(t, 0, 'F', 0);
      t[c] = { ...t[c]!, node: 1 };
    });
    const text = validateSchedule(problem, orders, { timeline: tasks }).problems.join('\n');
    expect(text).toMatch(/0\/1\/1\/B starts before micro-batch 0's B/);
    expect(text).toMatch(/0\/0\/0\/F runs on node 1, its stage is on node 0/);
  });

  it('catches memory above the limit, a deadlock, and a missing task', () => {
    expect(validateSchedule(problem, orders, { memoryLimit: 1.5 }).problems).toEqual(['peak memory 2 exceeds the limit 1.5']);
    const deadlocked = [[{ pipeline: 0, kind: 'B' as const }, ...orders[0]!.slice(0, 3)], orders[1]!];
    expect(validateSchedule(problem, deadlocked).problems[0]).toMatch(/the orders deadlock/);
    expect(validateSchedule(problem, [orders[0]!.slice(1), orders[1]!]).problems).toEqual(['missing F of pipeline 0 micro-batch 1 stage 0 on node 0']);
  });

  it('agrees with the evaluator on feasibility, makespan and peak memory of random orders', () => {
    fc.assert(
      fc.property(arbitraryProblem, fc.integer({ min: 0, max: 1 << 30 }), fc.boolean(), (randomProblem, seed, shuffled) => {
        const randomOrders = shuffled ? randomShuffledOrders(randomProblem, seed) : randomFeasibleOrders(randomProblem, seed);
        const evaluation = evaluateSchedule(randomProblem, randomOrders);
        const timeline = scheduleTimeline(randomProblem, randomOrders);
        const report = validateSchedule(randomProblem, randomOrders, timeline.feasible ? { timeline: timeline.tasks } : {});
        expect(report.valid).toBe(evaluation.feasible);
        if (!shuffled) expect(evaluation.feasible).toBe(true);
        if (evaluation.feasible) {
          expect(report.makespan).toBeCloseTo(evaluation.makespan, 9);
          expect(report.peakMemory).toBeCloseTo(evaluation.peakMemory, 9);
        }
      }),
      { seed: 1, numRuns: 300 },
    );
  });
});
