import { describe, expect, it } from 'vitest';
import { flexFusionLayout } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { fusedLayout } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/layout.js';
import { latencyLowerBounds, memoryLowerBound } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/lower-bounds.js';
import { serialOneFOneBLatency } from '../../../../harness/schedulers/rlhfuse/fused-pipeline/serial-baseline.js';
import { publishedFigures } from './published-instances.js';

describe('latency lower bounds', () => {
  it.each(publishedFigures)('give the published b0..b3, LB and memory LB of exp $exp', (figures) => {
    const problem = flexFusionLayout(figures.exp).problem;
    const bounds = latencyLowerBounds(problem);
    expect([bounds.b0, bounds.b1, bounds.b2, bounds.b3]).toEqual(figures.bounds);
    expect(bounds.lowerBound).toBe(figures.lowerBound);
    expect(memoryLowerBound(problem)).toBeCloseTo(15.6, 9);
  });

  it('match the §3.8 formulas on a uniform instance worked out by hand', () => {
    // PP_L 4, PP_S 2, M_L 6, M_S 3, f_L 3, f_S 2. b0 = (6+3)·9 = 81; per node 6·9 + 3·6 = 72 = b2 = b1;
    // b3: node n has a(n) = min(3n, 2·s(n)), t(n) = min(6n, 4·s(n)), s(n) = 1 − n mod 2:
    // n=1: min(3,0)+72+min(6,0) = 72; n=2: min(6,2)+72+min(12,4) = 78; n=3: 72 → b3 = 78.
    const problem = fusedLayout({ ppLarge: 4, ppSmall: 2, microBatchesLarge: 6, large: { name: 'a', forward: 3, activationPerMicroBatch: 1 }, small: { name: 'c', forward: 2, activationPerMicroBatch: 5 } }).problem;
    expect(latencyLowerBounds(problem)).toEqual({ b0: 81, b1: 72, b2: 72, b3: 78, lowerBound: 81, binding: 'b0' });
    expect(memoryLowerBound(problem)).toBe(10);
  });

  it('count the send time once per hop and do not round seconds', () => {
    const problem = fusedLayout({ ppLarge: 2, ppSmall: 2, microBatchesLarge: 1, sendDuration: 0.25, large: { name: 'a', forward: [1.5, 1], activationPerMicroBatch: 1 }, small: { name: 'c', forward: 0.5, activationPerMicroBatch: 1 } }).problem;
    // Large alone: F 1.5 + 0.25 + 1 then B 2 + 0.25 + 3 = 8; node work: 4.5 + 1.5 on node 0, 3 + 1.5 on node 1.
    const bounds = latencyLowerBounds(problem);
    expect(bounds.b0).toBeCloseTo(8, 12);
    expect(bounds.b1).toBeCloseTo(5.25, 12);
    expect(bounds.b2).toBeCloseTo(6, 12);
  });
});

describe('serial 1F1B baseline', () => {
  it.each(publishedFigures)('adds the two models 1F1B times: exp $exp', (figures) => {
    expect(serialOneFOneBLatency(flexFusionLayout(figures.exp).problem)).toBe(figures.serial);
  });
});
