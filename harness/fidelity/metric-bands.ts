import type { StageErrorSummary } from '../cost/framework/types.js';
import type { MetricSpec } from '../metrics/catalog.js';
import type { ScenarioFramework } from '../scenario/cost-model.js';
import { errorBand, type ErrorBand } from './bands.js';

/**
 * The error band of any simulated time or cost an app prints: from the framework calibration's
 * leave-one-run-out errors of the metric's stage kind (the metric catalog's `fidelityStage`),
 * widened for every way the run lies outside what the calibration covered — its scenario's
 * reasons, and the scheduler's framework when it is not the one the recorded runs ran. A rate
 * (samples/s) gets the band of its time turned over. Figures without a stage kind (shares,
 * counts, ratios) and runs without a framework calibration get no band.
 */
export const CALIBRATED_SCHEDULERS: readonly string[] = ['verl', 'megatron-colocated'];

export interface BandedRun {
  readonly framework: ScenarioFramework;
  readonly scheduler: string;
}

/** Why a scheduler's run lies outside the calibration, beyond its scenario's reasons. */
export function schedulerOutsideReasons(scheduler: string): string[] {
  return CALIBRATED_SCHEDULERS.includes(scheduler) ? [] : [`the framework calibration was fitted on veRL runs; ${scheduler} is another system (its training and serving engines borrow veRL's values)`];
}

function summaryFor(metric: MetricSpec, framework: ScenarioFramework): StageErrorSummary | undefined {
  const stage = metric.fidelityStage;
  const errors = framework.calibration?.leaveOneRunOut;
  if (stage === undefined || !errors) return undefined;
  // 'train' rows are rare in the recorded runs (only sources that time actor + critic together): the actor update stands in.
  return errors[stage] ?? (stage === 'train' ? errors['update_actor'] : undefined);
}

export function metricBand(metric: MetricSpec, value: number, run: BandedRun): ErrorBand | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  const summary = summaryFor(metric, run.framework);
  if (!summary) return undefined;
  const reasons = run.framework.outsideCalibration.length + schedulerOutsideReasons(run.scheduler).length;
  if (metric.better === 'higher') {
    // A rate is work over time: its log-ratio is the time's, negated.
    const flipped = { bandLogRatioLow: -summary.bandLogRatioHigh, bandLogRatioHigh: -summary.bandLogRatioLow };
    return errorBand(value, flipped, reasons);
  }
  return errorBand(value, summary, reasons);
}

/** What a report says once about the bands it prints. */
export function bandNote(framework: ScenarioFramework, schedulers: readonly string[]): string | undefined {
  if (!framework.calibration) return undefined;
  const others = schedulers.filter((s) => !CALIBRATED_SCHEDULERS.includes(s));
  const reasons = [...framework.outsideCalibration, ...(others.length > 0 ? [`${others.join(', ')}: another system than the veRL runs the calibration was fitted on`] : [])];
  return `[low, high]: 80 % bands from the leave-one-run-out errors of the framework calibration (${framework.label})${reasons.length > 0 ? `, widened ×1.5 in log-width per reason the run lies outside it: ${reasons.join('; ')}` : ''}`;
}
