import { STEP_STAGE } from '../stage-map.js';
import type { WhatIfReport } from '../what-if.js';

/**
 * The recorded run beside the asynchronous what-if, when its GPU trace is given: the recorded
 * step time, the co-located baseline simulated on the same iterations (whatif's fidelity step:
 * what-if.ts), their error, and whether the recording lies outside the simulation's band (then,
 * as in whatif, projections are withheld unless forced). A point's projection is the recorded
 * step scaled by its simulated ratio to the co-located run — the named assumption whatif makes:
 * the baseline's model error applies to every configuration in the same proportion.
 */
export interface RecordedComparison {
  readonly gpuTrace: string;
  /** Recorded steps paired with the trace's iterations. */
  readonly pairedSteps: number;
  /** Mean recorded step time over the paired steps (null without step markers in the trace). */
  readonly recordedStepS: number | null;
  /** The co-located baseline simulated on the paired iterations. */
  readonly simulatedStepS: number | null;
  /** (simulated − recorded) / recorded × 100. */
  readonly stepErrorPct: number | null;
  /** Why the recording does not match its simulation (whatif's mismatch), or null. */
  readonly mismatch: string | null;
}

export function recordedComparison(report: WhatIfReport, gpuTrace: string): RecordedComparison {
  const step = report.fidelity.stages.find((s) => s.stage === STEP_STAGE);
  const recordedStepS = report.recorded.perStep?.iterationTimeS ?? null;
  const simulatedStepS = step?.simulatedMeanS ?? null;
  return {
    gpuTrace,
    pairedSteps: report.pairing.pairs.length,
    recordedStepS,
    simulatedStepS,
    stepErrorPct: recordedStepS !== null && simulatedStepS !== null && recordedStepS > 0 ? ((simulatedStepS - recordedStepS) / recordedStepS) * 100 : null,
    mismatch: report.mismatch?.message ?? null,
  };
}

/** A point's step time projected onto the recorded run, or null (nothing recorded, or a mismatch not forced). */
export function projectedStepS(recorded: RecordedComparison | null, pointStepS: number | null, baselineStepS: number | null, force: boolean): number | null {
  if (!recorded || recorded.recordedStepS === null || pointStepS === null || baselineStepS === null || !(baselineStepS > 0)) return null;
  if (recorded.mismatch !== null && !force) return null;
  return (recorded.recordedStepS * pointStepS) / baselineStepS;
}
