import type { IterationResult } from '../sim/types.js';
import type { DeviceActivity } from '../traces/gpu/device-activity.js';
import { niceCeil } from '../traces/gpu/summarize.js';

/**
 * Utilisation over time on one axis for a recorded run and simulated ones: the share of the GPUs
 * busy in each bin. Recorded: the mean over the recorded GPUs of each GPU's busy share (kernel
 * union, or the sampled counter). Simulated: Σ span GPUs × overlap / (cluster GPUs × bin), with
 * the iterations laid back to back from 0.
 */
export interface UtilisationSeries {
  /** 'recorded' or the scheduler's name. */
  readonly name: string;
  readonly kind: 'recorded' | 'simulated';
  /** GPUs the share is taken over. */
  readonly gpus: number;
  /** Seconds the series covers from 0. */
  readonly horizonS: number;
  /** Bin width, seconds: bin k covers [k·binS, (k+1)·binS), the last one cut at the horizon. */
  readonly binS: number;
  /** Busy share per bin in [0, 1]; null where nothing was measured. */
  readonly utilization: readonly (number | null)[];
}

export interface UtilisationOverlay {
  readonly series: readonly UtilisationSeries[];
}

export interface SimulatedUtilisationOptions {
  /**
   * Pipeline bubbles inside a span (`Span.idleS`): 'idle' (the default) counts them as idle, as a
   * kernel trace would show them; 'busy' counts the whole span, as the GPUs are held.
   */
  readonly bubbles?: 'idle' | 'busy';
}

/** Several runs share one chart: fewer bins than `traces gpu` uses per GPU keep the lines apart. */
export const DEFAULT_OVERLAY_BINS = 240;

/** A bin width, rounded to 1-2-5, that gives at most `maxBins` bins over the longest horizon. */
export function overlayBinS(horizonsS: readonly number[], maxBins = DEFAULT_OVERLAY_BINS): number {
  return niceCeil(Math.max(0, ...horizonsS) / maxBins);
}

/** Below this many bins a series is binned on its own, finer width (a recording of 1 s beside simulations of 100 s). */
export const MIN_SERIES_BINS = 24;

/**
 * Bin width per horizon: the shared width (the longest horizon over the bin budget) so series
 * compare bin by bin, except where it would leave a series fewer than MIN_SERIES_BINS bins.
 */
export function seriesBinWidths(horizonsS: readonly number[], maxBins = DEFAULT_OVERLAY_BINS): number[] {
  const shared = overlayBinS(horizonsS, maxBins);
  return horizonsS.map((h) => (h > 0 && h / shared < MIN_SERIES_BINS ? overlayBinS([h], maxBins) : shared));
}

const binCount = (horizonS: number, binS: number) => (horizonS > 0 ? Math.max(1, Math.ceil(horizonS / binS - 1e-9)) : 0);

/** Busy share of the cluster per bin for iterations run one after another. */
export function simulatedUtilisation(results: readonly IterationResult[], totalGpus: number, binS: number, options: SimulatedUtilisationOptions = {}): { horizonS: number; utilization: number[] } {
  const horizonS = results.reduce((sum, r) => sum + r.iterationTimeS, 0);
  const bins = binCount(horizonS, binS);
  const busy = new Float64Array(bins);
  let offset = 0;
  for (const result of results) {
    for (const span of result.spans) {
      const duration = span.endS - span.startS;
      if (span.gpus <= 0 || !(duration > 0)) continue;
      const share = options.bubbles === 'busy' ? 1 : Math.max(0, 1 - (span.idleS ?? 0) / duration);
      const start = offset + span.startS;
      const end = offset + span.endS;
      const first = Math.max(0, Math.floor(start / binS));
      const last = Math.min(bins - 1, Math.ceil(end / binS) - 1);
      for (let k = first; k <= last; k++) {
        const overlap = Math.min(end, (k + 1) * binS) - Math.max(start, k * binS);
        if (overlap > 0) busy[k] = (busy[k] as number) + overlap * span.gpus * share;
      }
    }
    offset += result.iterationTimeS;
  }
  const utilization = Array.from(busy, (gpuSeconds, k) => {
    const width = Math.min(horizonS, (k + 1) * binS) - k * binS;
    return width > 0 && totalGpus > 0 ? gpuSeconds / (totalGpus * width) : 0;
  });
  return { horizonS, utilization };
}

/** Mean busy share over the recorded GPUs per bin of `[fromS, toS)` on the trace clock. */
export function recordedUtilisation(activities: Iterable<DeviceActivity>, fromS: number, toS: number, binS: number): (number | null)[] {
  const bins = binCount(toS - fromS, binS);
  const sums = new Float64Array(bins);
  const counts = new Uint32Array(bins);
  for (const activity of activities) {
    if (bins === 0) break;
    const values = activity.perBin(fromS, toS, binS);
    for (let k = 0; k < bins; k++) {
      const v = values[k] as number;
      if (Number.isNaN(v)) continue;
      sums[k] = (sums[k] as number) + v;
      counts[k] = (counts[k] as number) + 1;
    }
  }
  return Array.from(sums, (sum, k) => ((counts[k] as number) > 0 ? sum / (counts[k] as number) : null));
}

/** Mean of the measured bins, weighted by bin width (the last bin may be shorter). */
export function meanUtilisation(series: UtilisationSeries): number | null {
  const { binS } = series;
  let weighted = 0;
  let covered = 0;
  series.utilization.forEach((value, k) => {
    if (value === null) return;
    const width = Math.min(series.horizonS, (k + 1) * binS) - k * binS;
    weighted += value * width;
    covered += width;
  });
  return covered > 0 ? weighted / covered : null;
}
