import { describe, expect, it } from 'vitest';
import { ScheduleEvaluator } from '../../../../harness/schedulers/pipeline/evaluate.js';
import { oneFOneBStageOrder } from '../../../../harness/schedulers/pipeline/one-f-one-b.js';
import { compileProblem } from '../../../../harness/schedulers/pipeline/problem.js';
import { flexFusionLayout } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { fusedMemoryStarts } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/memory-starts.js';

describe('fusedMemoryStarts', () => {
  const layout = flexFusionLayout(1);
  const compiled = compileProblem(layout.problem);
  const starts = fusedMemoryStarts(layout, compiled, 372)(15.75);

  it('builds 84 feasible list schedules in eight families', () => {
    expect(starts).toHaveLength(84);
    const evaluator = new ScheduleEvaluator(compiled);
    for (const start of starts) expect(evaluator.run(start.orders)).toBe(true);
    expect(new Set(starts.map((start) => start.name.split(' ')[0]))).toEqual(new Set(['large-1F1B', 'large-1F1B+fill', 'large-1x', 'large-1x+fill', 'large-1.5x', 'large-1.5x+fill', 'large-2x', 'large-2x+fill']));
  });

  it('holds the large model to exact 1F1B in the large-1F1B families, and keeps that sequence while annealing', () => {
    const oneFOneB = starts.filter((start) => start.name.startsWith('large-1F1B'));
    expect(oneFOneB).toHaveLength(21);
    for (const start of oneFOneB) {
      expect(start.keepSequences).toEqual(new Set([layout.largePipeline]));
      start.orders.forEach((order, node) => {
        const kinds = Array.from(order)
          .filter((code) => code >> 1 === layout.largePipeline)
          .map((code) => ((code & 1) === 1 ? 'B' : 'F'));
        expect(kinds).toEqual(oneFOneBStageOrder(node, 8, 16));
      });
    }
    for (const start of starts.filter((s) => !s.name.startsWith('large-1F1B'))) expect(start.keepSequences).toBeUndefined();
  });

  it('keeps most schedules within the cap it is given (a list schedule only crosses it when every task is capped)', () => {
    const evaluator = new ScheduleEvaluator(compiled);
    const within = starts.filter((start) => evaluator.run(start.orders) && evaluator.peakMemory <= 15.75 + 1e-9);
    expect(within.length).toBeGreaterThan(starts.length / 2);
  });
});
