import { describe, expect, it } from 'vitest';
import { metricSpec, type IterationFigures } from '../../harness/sweep/metrics.js';
import { InputError } from '../../harness/util/input-error.js';

const figures: IterationFigures = {
  iteration: 0,
  metrics: { iterationTimeS: 10, samplesPerS: 51.2, tokensPerS: 1, costUsd: 2, gpuSecondsAllocated: 3, gpuSecondsBusy: 2, utilization: 0.5, bubbleRatio: 0.1 },
  stages: { generation: 6 },
  tasks: { ref: 1.5 },
  counters: { overhead_share_pct: 0.9 },
};

describe('metricSpec', () => {
  it('reads headline metrics with their unit, column and better end', () => {
    expect(metricSpec('iterationTimeS')).toMatchObject({ unit: 's', column: 'iteration_time_s', better: 'lower' });
    expect(metricSpec('samplesPerS')).toMatchObject({ unit: 'samples/s', better: 'higher' });
    expect(metricSpec('samplesPerS').read(figures)).toBe(51.2);
  });

  it('reads stages, tasks (0 when absent) and counters (undefined when absent)', () => {
    expect(metricSpec('stage:generation').read(figures)).toBe(6);
    expect(metricSpec('stage:training').read(figures)).toBe(0);
    expect(metricSpec('task:ref')).toMatchObject({ column: 'task_ref_s', unit: 's' });
    expect(metricSpec('counter:overhead_share_pct')).toMatchObject({ unit: '%', column: 'counter_overhead_share_pct' });
    expect(metricSpec('counter:overhead_share_pct').read(figures)).toBe(0.9);
    expect(metricSpec('counter:missing').read(figures)).toBeUndefined();
  });

  it('refuses anything else', () => {
    expect(() => metricSpec('speed')).toThrow(InputError);
    expect(() => metricSpec('toString')).toThrow(InputError);
  });
});
