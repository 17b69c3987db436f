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

  it('always yields feasible orders, whatever the rule', () => {
    fc.assert(
      fc.property(
        arbitraryProblem,
        fc.constantFrom<ListScheduleRule['priority']>('backward-first', 'longest-tail'),
        fc.constantFrom(1, 1.5, 2, Infinity),
        fc.boolean(),
        fc.boolean(),
        (problem, priority, inFlightFactor, fill, oneFOneB) => {
          const rule: ListScheduleRule = { priority, inFlightFactor, ...(fill ? { fillOnly: new Set([problem.pipelines.length - 1]) } : {}), ...(oneFOneB ? { oneFOneBPipelines: new Set([0]) } : {}) };
          expect(evaluateSchedule(problem, decodeOrders(listScheduleOrders(compileProblem(problem), rule))).feasible).toBe(true);
        },
      ),
      { seed: 1, numRuns: 200 },
    );
  });
});
