import type { Calibration } from '../cost/calibration/types.js';
import type { FrameworkCalibration } from '../cost/framework/types.js';
import { mixtureMean, type LogNormalMixture } from '../traces/generate/distributions.js';
import type { LengthModel } from '../traces/generate/length-model.js';
import { errorBand, type ErrorBand } from './bands.js';
import { compareStages, summariseByStage, type FidelityRow } from './compare.js';
import type { FidelityStage } from './fidelity-step.js';
import { fidelityStepFrom, type RecordedSource } from './from-recorded.js';
import type { LengthWorkloadOptions } from '../traces/generate/from-statistics.js';
import { prepareStep, simulateStep, stepFramework, type PreparedStep } from './simulate-step.js';
import { planStepSimulation } from './step-scenario.js';

/**
 * The fidelity check: every recorded step simulated and compared with what was measured, stage
 * by stage. A step of a run the framework calibration was fitted on is predicted with the values
 * fitted without that run (the calibration's folds), so no row is ever scored by a fit that saw
 * it; a run the calibration never saw gets its full values. Steps that cannot be simulated are
 * listed with the reason, never dropped.
 */
export interface FidelityOptions {
  readonly kernelCalibration: Calibration;
  /** None: the raw cost model (kernels and named assumptions only). */
  readonly framework?: FrameworkCalibration;
  readonly seed: number;
  /** The recorded response-length law for steps whose source gives no length statistics (and its prompt law). */
  readonly fallbackLengths: { readonly model: LengthModel; readonly file: string };
}

/** How a row was predicted. */
export type PredictionKind = 'left-out' | 'unseen' | 'uncalibrated';

export interface FidelityStepResult {
  readonly prepared: PreparedStep;
  readonly kind: PredictionKind;
  readonly rows: readonly FidelityRow[];
  /** Why the step is outside what the calibration covers. */
  readonly outsideCalibration: readonly string[];
  /** Per compared stage, the 80 % band from the calibration's leave-one-run-out errors. */
  readonly bands: Partial<Readonly<Record<FidelityStage, ErrorBand>>>;
}

export interface FidelityReport {
  readonly steps: readonly FidelityStepResult[];
  /** Every compared stage, out of sample (left out of the fit, or never in it). */
  readonly rows: readonly FidelityRow[];
  /** The left-out steps once more under the calibration fitted on every run (in sample): what the fit reached on its own data. */
  readonly inSampleRows: readonly FidelityRow[];
  readonly summary: Partial<Record<FidelityStage, { n: number; medianAbsErrorPct: number; p90AbsErrorPct: number }>>;
  readonly unsupported: readonly { readonly runId: string; readonly reason: string }[];
}

/** σ of ln(length) of a mixture (for a row that gives only a mean). */
export function logSigma(law: LogNormalMixture): number {
  const mean = law.components.reduce((sum, c) => sum + c.weight * c.mu, 0);
  const second = law.components.reduce((sum, c) => sum + c.weight * (c.sigma * c.sigma + c.mu * c.mu), 0);
  return Math.sqrt(second - mean * mean);
}

/** What a step's workload falls back to where its source gives no length statistics: the recorded law of fallbackLengths. */
export function lengthWorkloadOptions(fallback: FidelityOptions['fallbackLengths'], seed: number): LengthWorkloadOptions {
  const { model, file } = fallback;
  const response = { family: model.responseTokens.family, components: model.responseTokens.components };
  const prompt = { family: model.promptTokens.family, components: model.promptTokens.components };
  return {
    seed,
    fallbackResponseLaw: { law: response, what: `assumption: the recorded lengths of ${model.description} (${file})` },
    fallbackPromptTokens: { tokens: Math.round(mixtureMean(prompt)), what: `assumption: the mean prompt of ${model.description} (${file})` },
    defaultSigma: { sigma: Math.round(logSigma(response) * 1000) / 1000, what: `assumption: the spread of ln(length) of ${model.description} (${file})` },
  };
}

export function prepareSources(sources: readonly RecordedSource[], options: Pick<FidelityOptions, 'fallbackLengths' | 'seed'>): { prepared: PreparedStep[]; unsupported: { runId: string; reason: string }[] } {
  const prepared: PreparedStep[] = [];
  const unsupported: { runId: string; reason: string }[] = [];
  const workloadOptions = lengthWorkloadOptions(options.fallbackLengths, options.seed);
  for (const source of sources) {
    const step = fidelityStepFrom(source);
    if (!step.ok) {
      unsupported.push({ runId: step.runId, reason: step.reason });
      continue;
    }
    const plan = planStepSimulation(step.step);
    if (!plan.ok) {
      unsupported.push({ runId: step.step.id, reason: plan.reason });
      continue;
    }
    prepared.push(prepareStep(plan.simulation, workloadOptions));
  }
  return { prepared, unsupported };
}

function frameworkFor(step: PreparedStep, framework: FrameworkCalibration | undefined): { calibration: FrameworkCalibration | undefined; kind: PredictionKind } {
  if (!framework) return { calibration: undefined, kind: 'uncalibrated' };
  const fold = framework.folds.find((f) => f.heldOutRun === step.simulation.step.runKey);
  if (fold) return { calibration: { ...framework, parameters: fold.parameters }, kind: 'left-out' };
  return { calibration: framework, kind: 'unseen' };
}

export async function runFidelity(sources: readonly RecordedSource[], options: FidelityOptions, onProgress?: (done: number, total: number, label: string) => void): Promise<FidelityReport> {
  const { prepared, unsupported } = prepareSources(sources, options);
  const steps: FidelityStepResult[] = [];
  const inSampleRows: FidelityRow[] = [];
  for (const [index, step] of prepared.entries()) {
    const { calibration, kind } = frameworkFor(step, options.framework);
    const resolved = calibration ? stepFramework(step, calibration) : { assumptions: {}, outsideCalibration: [] };
    const simulated = await simulateStep(step, options.kernelCalibration, resolved.assumptions, options.seed);
    const rows = compareStages(step.simulation.step.id, step.simulation.step.measuredS, simulated.stagesS, step.workload.inferred);
    const bands: Partial<Record<FidelityStage, ErrorBand>> = {};
    if (options.framework) {
      for (const row of rows) {
        const summary = options.framework.leaveOneRunOut[row.stage];
        if (summary) bands[row.stage] = errorBand(row.simulatedS, summary, resolved.outsideCalibration.length);
      }
    }
    steps.push({ prepared: step, kind, rows, outsideCalibration: resolved.outsideCalibration, bands });
    if (kind === 'left-out' && options.framework) {
      const full = await simulateStep(step, options.kernelCalibration, stepFramework(step, options.framework).assumptions, options.seed);
      inSampleRows.push(...compareStages(step.simulation.step.id, step.simulation.step.measuredS, full.stagesS, step.workload.inferred));
    }
    onProgress?.(index + 1, prepared.length, step.simulation.step.id);
  }
  const rows = steps.flatMap((s) => s.rows);
  const summary: FidelityReport['summary'] = {};
  for (const [stage, s] of Object.entries(summariseByStage(rows)) as [FidelityStage, ReturnType<typeof summariseByStage>[FidelityStage]][]) {
    summary[stage] = { n: s!.n, medianAbsErrorPct: s!.medianAbsErrorPct, p90AbsErrorPct: s!.p90AbsErrorPct };
  }
  return { steps, rows, inSampleRows, summary, unsupported };
}
