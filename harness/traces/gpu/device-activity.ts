import { busyFractionPerBin, gapsWithin, lengthWithin, totalLength, unionOfIntervals, type Gap, type MergedIntervals } from './intervals.js';
import type { GpuOpColumns, GpuUtilizationSamples } from './types.js';

/**
 * How busy one GPU was over time, whether the trace recorded its operations (busy = the union of
 * operation intervals over all streams) or sampled its utilisation (busy = utilisation × time).
 * Every analysis of a recorded run goes through this one interface.
 */
export interface DeviceActivity {
  /** First and last instant the device's data covers, seconds. */
  readonly extent: { readonly startS: number; readonly endS: number } | undefined;
  /** Busy seconds inside `[from, to)`. */
  busyWithin(from: number, to: number): number;
  /** Seconds inside `[from, to)` the data says anything about (sampled logs can have N/A holes). */
  coveredWithin(from: number, to: number): number;
  /** Stretches of at least `minS` with nothing running inside `[from, to)`. */
  idleGaps(from: number, to: number, minS: number): Gap[];
  /** Utilisation per bin of `widthS` from `from` to `to`: busy share of each bin's covered time (NaN when uncovered). */
  perBin(from: number, to: number, widthS: number): Float64Array;
}

/** Activity from recorded operations: the union of their intervals. */
export class OpActivity implements DeviceActivity {
  /** Merged busy runs, `[start0, end0, start1, end1, …]`. */
  readonly busy: MergedIntervals;
  readonly extent;

  constructor(ops: GpuOpColumns) {
    this.busy = unionOfIntervals(ops.startS, ops.endS, ops.count);
    this.extent = this.busy.length > 0 ? { startS: this.busy[0] as number, endS: this.busy[this.busy.length - 1] as number } : undefined;
  }

  get busyS(): number {
    return totalLength(this.busy);
  }

  busyWithin(from: number, to: number): number {
    return lengthWithin(this.busy, from, to);
  }

  coveredWithin(from: number, to: number): number {
    return Math.max(0, to - from);
  }

  idleGaps(from: number, to: number, minS: number): Gap[] {
    return gapsWithin(this.busy, from, to, minS);
  }

  perBin(from: number, to: number, widthS: number): Float64Array {
    return busyFractionPerBin(this.busy, from, to, widthS);
  }
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Activity from a utilisation log. nvidia-smi's utilization.gpu (and DCGM's GPUTL) report the
 * share of the sample period that ended at the sample, so sample i covers `(t[i-1], t[i]]`; the
 * first covers one typical (median) period before it. N/A samples cover nothing.
 */
export class SampledActivity implements DeviceActivity {
  readonly segmentStartS: Float64Array;
  readonly segmentEndS: Float64Array;
  readonly value: Float64Array;
  readonly extent;
  readonly periodS: number;

  constructor(samples: GpuUtilizationSamples, fallbackPeriodS = 1) {
    const n = samples.tS.length;
    const steps: number[] = [];
    for (let i = 1; i < n; i++) steps.push((samples.tS[i] as number) - (samples.tS[i - 1] as number));
    const typical = median(steps.filter((s) => s > 0));
    this.periodS = Number.isFinite(typical) && typical > 0 ? typical : fallbackPeriodS;
    this.segmentStartS = new Float64Array(n);
    this.segmentEndS = new Float64Array(n);
    this.value = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = samples.tS[i] as number;
      this.segmentStartS[i] = i === 0 ? t - this.periodS : (samples.tS[i - 1] as number);
      this.segmentEndS[i] = t;
      this.value[i] = samples.utilization[i] as number;
    }
    this.extent = n > 0 ? { startS: this.segmentStartS[0] as number, endS: this.segmentEndS[n - 1] as number } : undefined;
  }

  private overlap(i: number, from: number, to: number): number {
    return Math.max(0, Math.min(this.segmentEndS[i] as number, to) - Math.max(this.segmentStartS[i] as number, from));
  }

  busyWithin(from: number, to: number): number {
    let busy = 0;
    for (let i = 0; i < this.value.length; i++) {
      const v = this.value[i] as number;
      if (!Number.isNaN(v)) busy += v * this.overlap(i, from, to);
    }
    return busy;
  }

  coveredWithin(from: number, to: number): number {
    let covered = 0;
    for (let i = 0; i < this.value.length; i++) if (!Number.isNaN(this.value[i] as number)) covered += this.overlap(i, from, to);
    return covered;
  }

  idleGaps(from: number, to: number, minS: number): Gap[] {
    const gaps: Gap[] = [];
    let runStart: number | undefined;
    let runEnd = 0;
    const close = () => {
      if (runStart !== undefined) {
        const start = Math.max(runStart, from);
        const end = Math.min(runEnd, to);
        if (end - start >= minS && end > start) gaps.push({ startS: start, endS: end });
      }
      runStart = undefined;
    };
    for (let i = 0; i < this.value.length; i++) {
      if (this.value[i] === 0) {
        if (runStart === undefined || (this.segmentStartS[i] as number) > runEnd) {
          close();
          runStart = this.segmentStartS[i] as number;
        }
        runEnd = this.segmentEndS[i] as number;
      } else close();
    }
    close();
    return gaps;
  }

  perBin(from: number, to: number, widthS: number): Float64Array {
    const bins = Math.max(1, Math.ceil((to - from) / widthS - 1e-9));
    const out = new Float64Array(bins);
    const n = this.value.length;
    // Segments are in time order, so one pointer walks them once across all bins.
    let first = 0;
    for (let k = 0; k < bins; k++) {
      const binStart = from + k * widthS;
      const binEnd = Math.min(to, binStart + widthS);
      while (first < n && (this.segmentEndS[first] as number) <= binStart) first++;
      let busy = 0;
      let covered = 0;
      for (let i = first; i < n && (this.segmentStartS[i] as number) < binEnd; i++) {
        const v = this.value[i] as number;
        if (Number.isNaN(v)) continue;
        const overlap = this.overlap(i, binStart, binEnd);
        covered += overlap;
        busy += v * overlap;
      }
      out[k] = covered > 0 ? busy / covered : NaN;
    }
    return out;
  }
}
