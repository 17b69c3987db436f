import { describe, expect, it } from 'vitest';
import type { SchedulerSummary } from '../../harness/run/summary.js';
import { recordedCost, schedulerOutcomes } from '../../harness/whatif/scheduler-outcomes.js';

const summary = (scheduler: string, iterationTimeS: number, gpuSecondsAllocated: number, costUsd: number): SchedulerSummary => ({
  scheduler,
  iterations: 2,
  iterationTimeS,
  samplesPerS: 1,
  tokensPerS: 1,
  gpuSecondsAllocated,
  gpuSecondsBusy: gpuSecondsAllocated / 2,
  costUsd,
  utilization: 0.5,
  bubbleRatio: 0,
  stages: {},
});

describe('what each scheduler would change', () => {
  const summaries = [summary('verl', 40, 640, 0.8), summary('fast', 30, 320, 0.4)];

  it('prices the recorded step with the run’s GPUs at the scenario price', () => {
    const cost = recordedCost(36, 16, 3.6);
    expect([cost.iterationTimeS, cost.gpuSeconds]).toEqual([36, 576]);
    expect(cost.costUsd).toBeCloseTo(0.576, 12);
  });

  it('compares with the baseline simulation and projects the ratio onto the recorded run', () => {
    const [verl, fast] = schedulerOutcomes(summaries, 'verl', recordedCost(36, 16, 3.6));
    expect(verl!.vsBaseline).toEqual({ iterationTimePct: 0, speedupX: 1, gpuSecondsPct: 0, costPct: 0 });
    expect(verl!.projected).toEqual(recordedCost(36, 16, 3.6));
    expect(fast!.vsBaseline).toEqual({ iterationTimePct: -25, speedupX: 40 / 30, gpuSecondsPct: -50, costPct: -50 });
    expect(fast!.projected!.iterationTimeS).toBeCloseTo(27, 12);
    expect(fast!.projected!.gpuSeconds).toBeCloseTo(288, 12);
    expect(fast!.projected!.costUsd).toBeCloseTo(0.288, 12);
  });

  it('projects nothing without recorded step times', () => {
    expect(schedulerOutcomes(summaries, 'verl', null).map((o) => o.projected)).toEqual([null, null]);
  });

  it('needs the baseline among the summaries (a bug in the caller otherwise)', () => {
    expect(() => schedulerOutcomes(summaries, 'openrlhf', null)).toThrow(TypeError);
  });
});
