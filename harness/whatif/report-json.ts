import type { StageMap } from './stage-map.js';
import type { WhatIfReport } from './what-if.js';

/** What the JSON names besides the report: where the inputs came from and how they were run. */
export interface WhatIfMeta {
  readonly gpuTrace: string;
  readonly lengths: string;
  readonly lengthsSynthetic: boolean;
  readonly scenario: string;
  readonly baseline: string;
  readonly schedulers: readonly string[];
  readonly seed: number;
  readonly costModel: string;
  readonly assumptions: readonly { readonly path: string; readonly why: string }[];
}

/**
 * The `whatif --json` document (documented in harness/whatif/README.md). Absent values are null,
 * keys are in a fixed order, IterationResults stay out (use --chrome-trace for the timelines).
 */
export function whatIfJson(report: WhatIfReport, meta: WhatIfMeta, stageMap: StageMap, force = false): unknown {
  const { recorded, fidelity } = report;
  const iterationOfStep = new Map(report.pairing.pairs.map((p) => [p.step.step, p.iteration] as const));
  return {
    meta: { ...meta, stageMap: stageMap.source },
    recorded: {
      format: recorded.format,
      files: recorded.files,
      gpus: recorded.gpus,
      runGpus: recorded.runGpus,
      spanS: recorded.spanS,
      busyFraction: recorded.busyFraction,
      stepsFrom: recorded.stepsFrom,
      perStep: recorded.perStep,
      steps: recorded.steps.map((s) => ({
        step: s.step,
        iteration: iterationOfStep.get(s.step) ?? null,
        startS: s.startS ?? null,
        durationS: s.durationS ?? null,
        busyFraction: s.busyFraction ?? null,
        stagesS: s.stagesS,
      })),
      annotations: recorded.annotations,
    },
    fidelity: {
      baseline: fidelity.baseline,
      pairedBy: report.pairing.by,
      rows: fidelity.rows.map((r) => ({ step: r.step, iteration: r.iteration, stage: r.stage, recordedS: r.recordedS, simulatedS: r.simulatedS ?? null, errorPct: r.errorPct ?? null })),
      stages: fidelity.stages.map((s) => ({
        stage: s.stage,
        tasks: s.tasks,
        steps: s.iterations,
        recordedMeanS: s.recordedMeanS,
        simulatedMeanS: s.simulatedMeanS ?? null,
        meanErrorPct: s.meanErrorPct ?? null,
        meanAbsErrorPct: s.meanAbsErrorPct ?? null,
      })),
      unrecordedTasks: fidelity.unrecordedTasks,
    },
    mismatch: report.mismatch ?? null,
    // A mismatched run's projections are withheld unless forced (whatif --force).
    schedulers: report.mismatch && !force ? null : report.outcomes,
    notApplicable: report.notApplicable,
    utilization: {
      series: report.utilisation.series.map((s) => ({ name: s.name, kind: s.kind, gpus: s.gpus, horizonS: s.horizonS, binS: s.binS, meanUtilization: report.utilisation.meanUtilisation[s.name] ?? null, utilization: s.utilization })),
    },
    stageMap: {
      source: stageMap.source,
      stages: stageMap.stages.map((s) => ({ stage: s.stage, tasks: s.tasks, aliases: s.aliases })),
      overrides: Object.fromEntries([...stageMap.overrides].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    },
    notes: report.notes,
    simulationNotes: report.simulationNotes,
  };
}
