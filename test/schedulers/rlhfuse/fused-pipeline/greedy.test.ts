import { describe, expect, it } from 'vitest';
import { ScheduleEvaluator } from '../../../../harness/schedulers/pipeline/evaluate.js';
import { compileProblem } from '../../../../harness/schedulers/pipeline/problem.js';
import { flexFusionLayout } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { greedyOrderCodes } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/greedy.js';
import { publishedFigures } from './published-instances.js';

describe('greedy fused schedule (FlexFusion baseline)', () => {
  it.each(publishedFigures)('reproduces the published greedy latency and peak memory of exp $exp', (figures) => {
    const layout = flexFusionLayout(figures.exp);
    const compiled = compileProblem(layout.problem);
    const evaluator = new ScheduleEvaluator(compiled);
    expect(evaluator.run(greedyOrderCodes(compiled, layout))).toBe(true);
    expect(evaluator.makespan).toBe(figures.greedyLatency);
    expect(evaluator.peakMemory).toBeCloseTo(figures.greedyMemory, 6);
  });
});
