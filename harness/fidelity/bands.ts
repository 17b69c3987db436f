import type { StageErrorSummary } from '../cost/framework/types.js';

/**
 * Error bands on simulated times, from out-of-sample errors: where leave-one-run-out log-ratios
 * ln(simulated / measured) give an 80 % band [lo, hi] (split-conformal, compare.ts), a new
 * simulated time T has the band [T·e^(−hi), T·e^(−lo)] for what a real run would measure. Outside what the
 * calibration covered (another GPU family, training engine, model size) the band is widened
 * about its centre by BAND_WIDENING_PER_REASON per reason, and the output says why.
 */
export const BAND_WIDENING_PER_REASON = 1.5;
export const BAND_WIDENING_WHY =
  'assumption: outside the calibrated configurations the out-of-sample error is unknown; each reason (GPU family, training engine, serving engine, model size, GPU count not covered) multiplies the band’s log-width by 1.5, a judgement, not a fit';

export interface ErrorBand {
  readonly lowS: number;
  readonly highS: number;
  /** Share of out-of-sample measurements such a band held (nominal 0.8). */
  readonly nominal: number;
  /** Log-width multiplier applied (1 inside the calibrated range). */
  readonly widening: number;
}

export function errorBand(simulatedS: number, summary: Pick<StageErrorSummary, 'bandLogRatioLow' | 'bandLogRatioHigh'>, outsideReasons = 0): ErrorBand {
  const widening = BAND_WIDENING_PER_REASON ** outsideReasons;
  const centre = (summary.bandLogRatioLow + summary.bandLogRatioHigh) / 2;
  const half = ((summary.bandLogRatioHigh - summary.bandLogRatioLow) / 2) * widening;
  return { lowS: simulatedS * Math.exp(-(centre + half)), highS: simulatedS * Math.exp(-(centre - half)), nominal: 0.8, widening };
}

/** Whether a measurement lies inside the band. */
export function insideBand(band: ErrorBand, measuredS: number): boolean {
  return measuredS >= band.lowS && measuredS <= band.highS;
}

/** `145 s [118, 171]`: a time with its band, 3 significant figures. */
export function formatWithBand(simulatedS: number, band: ErrorBand | undefined, unit = 's'): string {
  const f = (x: number) => Number(x.toPrecision(3)).toString();
  return band ? `${f(simulatedS)} ${unit} [${f(band.lowS)}, ${f(band.highS)}]` : `${f(simulatedS)} ${unit}`;
}
