import { describe, expect, it } from 'vitest';
import { projectedStepS, recordedComparison } from '../../../harness/whatif/async/recorded.js';
import type { WhatIfReport } from '../../../harness/whatif/what-if.js';

const recorded = { gpuTrace: 'run/', pairedSteps: 2, recordedStepS: 150, simulatedStepS: 100, stepErrorPct: ((100 - 150) / 150) * 100, mismatch: null };

describe('projectedStepS', () => {
  it('is the recorded step × the point’s simulated step / the co-located simulated step', () => {
    expect(projectedStepS(recorded, 80, 100, false)).toBe(120);
  });
  it('is null without a recording, a recorded step or a baseline, and on a mismatch unless forced', () => {
    expect(projectedStepS(null, 80, 100, false)).toBeNull();
    expect(projectedStepS({ ...recorded, recordedStepS: null }, 80, 100, false)).toBeNull();
    expect(projectedStepS(recorded, 80, null, false)).toBeNull();
    expect(projectedStepS(recorded, null, 100, false)).toBeNull();
    expect(projectedStepS({ ...recorded, mismatch: 'no' }, 80, 100, false)).toBeNull();
    expect(projectedStepS({ ...recorded, mismatch: 'no' }, 80, 100, true)).toBe(120);
  });
});

describe('recordedComparison', () => {
  it('takes the recorded mean step, the simulated step of the fidelity table and their error', () => {
    const report = {
      recorded: { perStep: { iterationTimeS: 150, gpuSeconds: 0, costUsd: 0 } },
      pairing: { pairs: [{}, {}] },
      fidelity: { stages: [{ stage: 'gen', simulatedMeanS: 1, recordedMeanS: 2 }, { stage: 'step', simulatedMeanS: 100, recordedMeanS: 150 }] },
    } as unknown as WhatIfReport;
    expect(recordedComparison(report, 'run/')).toEqual(recorded);
    expect(recordedComparison({ ...report, mismatch: { message: 'off' } } as unknown as WhatIfReport, 'run/').mismatch).toBe('off');
  });
});
