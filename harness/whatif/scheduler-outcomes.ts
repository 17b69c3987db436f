import type { SchedulerSummary } from '../run/summary.js';

/**
 * What each scheduler would change on the recorded workload. Every scheduler is compared with the
 * baseline simulated on the same iterations (simulated against simulated, so the cost model's
 * error mostly cancels); the projection carries that ratio onto the recorded run:
 * projected = recorded × scheduler / baseline — a named assumption (the baseline's model error
 * applies to every scheduler in the same proportion), not a measurement.
 */
export interface RecordedCost {
  /** Mean recorded step time over the paired steps, seconds. */
  readonly iterationTimeS: number;
  /** The run's GPUs × the step time. */
  readonly gpuSeconds: number;
  /** GPU-seconds at the scenario's price per GPU-hour. */
  readonly costUsd: number;
}

export interface SchedulerOutcome {
  readonly scheduler: string;
  readonly iterations: number;
  /** Means per iteration of the simulated metrics. */
  readonly iterationTimeS: number;
  readonly samplesPerS: number;
  readonly gpuSecondsAllocated: number;
  readonly gpuSecondsBusy: number;
  readonly costUsd: number;
  readonly utilization: number;
  /** Against the baseline's simulation; percentages are (this − baseline) / baseline × 100. */
  readonly vsBaseline: {
    readonly iterationTimePct: number;
    /** Baseline iteration time / this one. */
    readonly speedupX: number;
    readonly gpuSecondsPct: number;
    readonly costPct: number;
  };
  /** The recorded run scaled by this scheduler's simulated ratio to the baseline; null without recorded step times. */
  readonly projected: RecordedCost | null;
}

const pct = (value: number, base: number) => (base === 0 ? 0 : ((value - base) / base) * 100);

export function recordedCost(meanStepS: number, runGpus: number, priceUsdPerGpuHour: number): RecordedCost {
  const gpuSeconds = runGpus * meanStepS;
  return { iterationTimeS: meanStepS, gpuSeconds, costUsd: (gpuSeconds / 3600) * priceUsdPerGpuHour };
}

export function schedulerOutcomes(summaries: readonly SchedulerSummary[], baseline: string, recorded: RecordedCost | null): SchedulerOutcome[] {
  const base = summaries.find((s) => s.scheduler === baseline);
  if (!base) throw new TypeError(`schedulerOutcomes: the baseline '${baseline}' is not among the summaries`);
  const ratio = (value: number, baseValue: number) => (baseValue === 0 ? 1 : value / baseValue);
  return summaries.map((s) => ({
    scheduler: s.scheduler,
    iterations: s.iterations,
    iterationTimeS: s.iterationTimeS,
    samplesPerS: s.samplesPerS,
    gpuSecondsAllocated: s.gpuSecondsAllocated,
    gpuSecondsBusy: s.gpuSecondsBusy,
    costUsd: s.costUsd,
    utilization: s.utilization,
    vsBaseline: {
      iterationTimePct: pct(s.iterationTimeS, base.iterationTimeS),
      speedupX: s.iterationTimeS === 0 ? 0 : base.iterationTimeS / s.iterationTimeS,
      gpuSecondsPct: pct(s.gpuSecondsAllocated, base.gpuSecondsAllocated),
      costPct: pct(s.costUsd, base.costUsd),
    },
    projected: recorded
      ? {
          iterationTimeS: recorded.iterationTimeS * ratio(s.iterationTimeS, base.iterationTimeS),
          gpuSeconds: recorded.gpuSeconds * ratio(s.gpuSecondsAllocated, base.gpuSecondsAllocated),
          costUsd: recorded.costUsd * ratio(s.costUsd, base.costUsd),
        }
      : null,
  }));
}
