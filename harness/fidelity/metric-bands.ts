import type { MetricSpec } from '../metrics/catalog.js';
import type { ScenarioFramework } from '../scenario/cost-model.js';
import { BAND_WIDENING_PER_REASON, errorBand, type ErrorBand } from './bands.js';
import { FIDELITY_STAGES, type FidelityStage } from './fidelity-step.js';

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

/**
 * The band of a simulated time of each stage kind as factors of the time (band = [time × low,
 * time × high]), for a run's framework and scheduler: plain JSON, so a case can carry it across
 * threads and shard files and the band of any mean be taken later (bandFromFactors).
 */
export type BandFactors = Partial<Record<FidelityStage, { readonly low: number; readonly high: number }>>;

export function bandFactors(run: BandedRun): BandFactors {
  const errors = run.framework.calibration?.leaveOneRunOut;
  if (!errors) return {};
  const reasons = run.framework.outsideCalibration.length + schedulerOutsideReasons(run.scheduler).length;
  const out: BandFactors = {};
  for (const stage of FIDELITY_STAGES) {
    // 'train' rows are rare in the recorded runs (only sources that time actor + critic together): the actor update stands in.
    const summary = errors[stage] ?? (stage === 'train' ? errors['update_actor'] : undefined);
    if (!summary) continue;
    const band = errorBand(1, summary, reasons);
    out[stage] = { low: band.lowS, high: band.highS };
  }
  return out;
}

/** The band of a value of a metric from its stage kind's factors; a rate (better higher) gets the time's band turned over. */
export function bandFromFactors(metric: MetricSpec, value: number, factors: BandFactors, widening = 1): ErrorBand | undefined {
  if (!Number.isFinite(value) || value <= 0 || metric.fidelityStage === undefined) return undefined;
  const f = factors[metric.fidelityStage];
  if (!f) return undefined;
  // A rate is work over time: a time band [T·lo, T·hi] is a rate band [R/hi, R/lo].
  return metric.better === 'higher' ? { lowS: value / f.high, highS: value / f.low, nominal: 0.8, widening } : { lowS: value * f.low, highS: value * f.high, nominal: 0.8, widening };
}

export function metricBand(metric: MetricSpec, value: number, run: BandedRun): ErrorBand | undefined {
  const widening = BAND_WIDENING_PER_REASON ** (run.framework.outsideCalibration.length + schedulerOutsideReasons(run.scheduler).length);
  return bandFromFactors(metric, value, bandFactors(run), widening);
}

/** What a report says once about the bands it prints. */
export function bandNote(framework: ScenarioFramework, schedulers: readonly string[]): string | undefined {
  if (!framework.calibration) return undefined;
  const others = schedulers.filter((s) => !CALIBRATED_SCHEDULERS.includes(s));
  const reasons = [...framework.outsideCalibration, ...(others.length > 0 ? [`${others.join(', ')}: another system than the veRL runs the calibration was fitted on`] : [])];
  return `[low, high]: 80 % bands from the leave-one-run-out errors of the framework calibration (${framework.label})${reasons.length > 0 ? `, widened ×1.5 in log-width per reason the run lies outside it: ${reasons.join('; ')}` : ''}`;
}
