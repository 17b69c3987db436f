import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateSchedule } from '../../../harness/schedulers/pipeline/evaluate.js';
import { oneFOneBOrders, oneFOneBStageOrder } from '../../../harness/schedulers/pipeline/one-f-one-b.js';
import type { PipelineProblem } from '../../../harness/schedulers/pipeline/types.js';

function uniformPipeline(stages: number, microBatches: number, forward: number, backward: number, activation = 1): PipelineProblem {
  return {
    nodeCount: stages,
    pipelines: [
      {
        model: 'actor',
        replica: 0,
        microBatches,
        stageNodes: Array.from({ length: stages }, (_, s) => s),
        forwardDurations: new Array<number>(stages).fill(forward),
        backwardDurations: new Array<number>(stages).fill(backward),
        activationPerMicroBatch: new Array<number>(stages).fill(activation),
      },
    ],
  };
}

describe('oneFOneBStageOrder', () => {
  it('warms up with S - s - 1 forwards, alternates, then drains', () => {
    expect(oneFOneBStageOrder(0, 4, 6).join('')).toBe('FFFFBFBFBBBB');
    expect(oneFOneBStageOrder(3, 4, 6).join('')).toBe('FBFBFBFBFBFB');
    expect(oneFOneBStageOrder(1, 4, 6).join('')).toBe('FFFBFBFBFBBB');
    // fewer micro-batches than warm-up slots: all forwards, then all backwards
    expect(oneFOneBStageOrder(0, 4, 2).join('')).toBe('FFBB');
  });
});

describe('1F1B on uniform stages', () => {
  it('takes exactly (m + p - 1)(f + b) and holds min(p, m) micro-batches on stage 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), (p, m, f, ratio) => {
        const b = ratio * f;
        const problem = uniformPipeline(p, m, f, b, 1.5);
        const evaluation = evaluateSchedule(problem, oneFOneBOrders(problem));
        expect(evaluation).toMatchObject({ feasible: true, makespan: (m + p - 1) * (f + b), peakMemory: Math.min(p, m) * 1.5 });
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it('gives the artifact large model alone (PP 8, M 32, f 5, B 2f) 585 units, the published b0', () => {
    const problem = uniformPipeline(8, 32, 5, 10);
    expect(evaluateSchedule(problem, oneFOneBOrders(problem))).toMatchObject({ feasible: true, makespan: 585 });
  });

  it('runs several pipelines on shared nodes one after another in the given priority', () => {
    const problem: PipelineProblem = {
      nodeCount: 1,
      pipelines: [
        { model: 'actor', replica: 0, microBatches: 2, stageNodes: [0], forwardDurations: [1], backwardDurations: [2], activationPerMicroBatch: [1] },
        { model: 'critic', replica: 0, microBatches: 1, stageNodes: [0], forwardDurations: [1], backwardDurations: [1], activationPerMicroBatch: [1] },
      ],
    };
    const orders = oneFOneBOrders(problem, [1, 0]);
    expect(orders[0]!.map((t) => `${t.pipeline}${t.kind}`).join(' ')).toBe('1F 1B 0F 0B 0F 0B');
    expect(evaluateSchedule(problem, orders)).toMatchObject({ makespan: 8 });
  });
});
