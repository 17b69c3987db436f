import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSchedule } from '../../../harness/schedulers/pipeline/evaluate.js';
import { peakMemoryLowerBound } from '../../../harness/schedulers/pipeline/memory-bound.js';
import { oneFOneBOrders } from '../../../harness/schedulers/pipeline/one-f-one-b.js';
import type { PipelineProblem, TaskRef } from '../../../harness/schedulers/pipeline/types.js';
import { flexFusionLayout } from '../../../harness/schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { arbitraryProblem, randomFeasibleOrders } from './random-instances.js';

const F: TaskRef = { pipeline: 0, kind: 'F' };
const B: TaskRef = { pipeline: 0, kind: 'B' };

/** Two stages on nodes 0 and 1, F = 1 and B = 2 per stage, two micro-batches, activation 1.5. */
const twoStages: PipelineProblem = {
  nodeCount: 2,
  pipelines: [{ model: 'actor', replica: 0, microBatches: 2, stageNodes: [0, 1], forwardDurations: [1, 1], backwardDurations: [2, 2], activationPerMicroBatch: [1.5, 1.5] }],
};

describe('peakMemoryLowerBound', () => {
  it('matches a bound worked out by hand on two stages', () => {
    // Stage 0: micro-batch 0's B ends at 6 at the earliest (F, F, B, B). F1 must end by T − 5
    // (then F1 and B1 on stage 1, 3, and B1 on stage 0, 2), so for T < 11 it ends before that B:
    // two micro-batches in flight (1F1B's peak, makespan 9). From T = 11 the bound is one.
    expect(peakMemoryLowerBound(twoStages, 9)).toBe(3);
    expect(peakMemoryLowerBound(twoStages, 10)).toBe(3);
    expect(peakMemoryLowerBound(twoStages, 11)).toBe(1.5);
    // And the schedules behind those figures: 1F1B at 9 holds two, one-at-a-time at 12 holds one.
    expect(evaluateSchedule(twoStages, oneFOneBOrders(twoStages))).toMatchObject({ feasible: true, makespan: 9, peakMemory: 3 });
    expect(evaluateSchedule(twoStages, [[F, B, F, B], [F, B, F, B]])).toMatchObject({ feasible: true, makespan: 12, peakMemory: 1.5 });
  });

  it('proves the serial-1F1B peak optimal for FlexFusion exps 2 and 5 (M_L = PP_L, at the 1F1B makespan 225)', () => {
    for (const exp of [2, 5]) expect(peakMemoryLowerBound(flexFusionLayout(exp).problem, 225)).toBeCloseTo(8 * 1.95, 9);
  });

  it('is weaker with more slack: exp 1 at its lower bound 372 needs only 6 actor micro-batches on stage 0', () => {
    // F_k on stage 0 must end by 372 − (30 + (16 − k)·15 + 70) = 32 + 15k; the first B ends at 120
    // at the earliest, so k ≤ 5 must end before it.
    expect(peakMemoryLowerBound(flexFusionLayout(1).problem, 372)).toBeCloseTo(6 * 1.95, 9);
  });

  it('never exceeds the peak of a feasible schedule with that makespan (random orders, and serial 1F1B, where it is tight)', () => {
    fc.assert(
      fc.property(arbitraryProblem, fc.integer({ min: 0, max: 1 << 20 }), (problem, seed) => {
        for (const orders of [randomFeasibleOrders(problem, seed), oneFOneBOrders(problem)]) {
          const evaluation = evaluateSchedule(problem, orders);
          expect(evaluation.feasible).toBe(true);
          if (!evaluation.feasible) return;
          expect(peakMemoryLowerBound(problem, evaluation.makespan)).toBeLessThanOrEqual(evaluation.peakMemory + 1e-9);
        }
      }),
      { seed: 1, numRuns: 400 },
    );
  });
});
