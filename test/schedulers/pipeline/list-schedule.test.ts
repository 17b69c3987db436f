import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSchedule } from '../../../harness/schedulers/pipeline/evaluate.js';
import { listScheduleOrders, type ListScheduleRule } from '../../../harness/schedulers/pipeline/list-schedule.js';
import { oneFOneBOrders } from '../../../harness/schedulers/pipeline/one-f-one-b.js';
import { compileProblem, decodeOrders } from '../../../harness/schedulers/pipeline/problem.js';
import type { PipelineProblem } from '../../../harness/schedulers/pipeline/types.js';
import { arbitraryProblem } from './random-instances.js';

const single: PipelineProblem = {
  nodeCount: 4,
  pipelines: [{ model: 'actor', replica: 0, microBatches: 8, stageNodes: [0, 1, 2, 3], forwardDurations: [1, 1, 1, 1], backwardDurations: [2, 2, 2, 2], activationPerMicroBatch: [1, 1, 1, 1] }],
};

describe('listScheduleOrders', () => {
  it('reproduces 1F1B exactly when the pipeline is held to its 1F1B sequence', () => {
    const orders = decodeOrders(listScheduleOrders(compileProblem(single), { priority: 'backward-first', oneFOneBPipelines: new Set([0]) }));
    expect(orders).toEqual(oneFOneBOrders(single));
  });

  it('keeps at most ceil(k · (S − s)) micro-batches in flight on stage s', () => {
    const capped = evaluateSchedule(single, decodeOrders(listScheduleOrders(compileProblem(single), { priority: 'longest-tail', inFlightFactor: 1 })));
    const uncapped = evaluateSchedule(single, decodeOrders(listScheduleOrders(compileProblem(single), { priority: 'longest-tail' })));
    expect(capped).toMatchObject({ feasible: true, peakMemory: 4 });
    expect(uncapped).toMatchObject({ feasible: true, peakMemory: 8 });
  });

  it('lets a fill-only pipeline run only where it ends before the other pipelines could start', () => {
    // One node: the actor's F is ready at 0, so the critic (fill-only) may not start before it even
    // though it is offered at the same time; without the filter the tie goes to the longer tail.
    const problem: PipelineProblem = {
      nodeCount: 1,
      pipelines: [
        { model: 'actor', replica: 0, microBatches: 1, stageNodes: [0], forwardDurations: [2], backwardDurations: [4], activationPerMicroBatch: [1] },
        { model: 'critic', replica: 0, microBatches: 1, stageNodes: [0], forwardDurations: [3], backwardDurations: [6], activationPerMicroBatch: [1] },
      ],
    };
    const compiled = compileProblem(problem);
    const first = (rule: ListScheduleRule) => decodeOrders(listScheduleOrders(compiled, rule))[0]![0];
    expect(first({ priority: 'longest-tail' })).toEqual({ pipeline: 1, kind: 'F' });
    expect(first({ priority: 'longest-tail', fillOnly: new Set([1]) })).toEqual({ pipeline: 0, kind: 'F' });
  });

  it('keeps every node under a memory cap when it can', () => {
    const capped = evaluateSchedule(single, decodeOrders(listScheduleOrders(compileProblem(single), { priority: 'longest-tail', memoryCap: 3 })));
    expect(capped).toMatchObject({ feasible: true, peakMemory: 3 });
  });

  it('holds a task back until its release time', () => {
    // Two stages, two micro-batches, F = 1, B = 2: micro-batch 0's B is back on stage 0 at 6.
    const two: PipelineProblem = { nodeCount: 2, pipelines: [{ ...single.pipelines[0]!, microBatches: 2, stageNodes: [0, 1], forwardDurations: [1, 1], backwardDurations: [2, 2], activationPerMicroBatch: [1, 1] }] };
    const compiled = compileProblem(two);
    const node0 = (rule: ListScheduleRule) => decodeOrders(listScheduleOrders(compiled, rule))[0]!.map((task) => task.kind).join('');
    expect(node0({ priority: 'longest-tail' })).toBe('FFBB');
    // Micro-batch 1's F on stage 0 is chain position 0 of its chain: flat index 1 × 4 + 0.
    const releaseTimes = new Float64Array(compiled.taskCount);
    releaseTimes[4] = 100;
    expect(node0({ priority: 'longest-tail', releaseTimes })).toBe('FBFB');
  });

  it('holds a 1F1B pipeline to ceil(k · (S − s)) in flight with its in-flight factor', () => {
    const orders = decodeOrders(listScheduleOrders(compileProblem(single), { priority: 'backward-first', oneFOneBPipelines: new Set([0]), inFlightFactorByPipeline: new Map([[0, 1.5]]) }));
    // Stage 0 of 4: ceil(1.5 × 4) = 6 forwards first, then B and F alternate, then the drain.
    expect(orders[0]!.map((task) => task.kind).join('')).toBe('FFFFFFBFBFBBBBBB');
    // Stage 3: ceil(1.5 × 1) = 2.
    expect(orders[3]!.map((task) => task.kind).join('')).toBe('FFBFBFBFBFBFBFBB');
  });

  it('always yields feasible orders, whatever the rule', () => {
    fc.assert(
      fc.property(
        arbitraryProblem,
        fc.constantFrom<ListScheduleRule['priority']>('backward-first', 'longest-tail'),
        fc.constantFrom(1, 1.5, 2, Infinity),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(undefined, 1, 2.5),
        (problem, priority, inFlightFactor, fill, oneFOneB, memoryCap) => {
          const rule: ListScheduleRule = {
            priority,
            inFlightFactor,
            ...(fill ? { fillOnly: new Set([problem.pipelines.length - 1]) } : {}),
            ...(oneFOneB ? { oneFOneBPipelines: new Set([0]) } : {}),
            ...(memoryCap !== undefined ? { memoryCap } : {}),
          };
          expect(evaluateSchedule(problem, decodeOrders(listScheduleOrders(compileProblem(problem), rule))).feasible).toBe(true);
        },
      ),
      { seed: 1, numRuns: 200 },
    );
  });
});
