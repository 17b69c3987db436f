import type { IterationResult } from '../sim/types.js';

/** The metrics every record and summary carries (means in a summary). */
type MetricFields = Pick<
  IterationResult,
  'iterationTimeS' | 'samplesPerS' | 'tokensPerS' | 'gpuSecondsAllocated' | 'gpuSecondsBusy' | 'costUsd' | 'utilization' | 'bubbleRatio'
>;

const METRIC_FIELDS = ['iterationTimeS', 'samplesPerS', 'tokensPerS', 'gpuSecondsAllocated', 'gpuSecondsBusy', 'costUsd', 'utilization', 'bubbleRatio'] as const;

/** One iteration as the replay JSON prints it (spans and the ledger stay out). */
export interface IterationRecord extends MetricFields {
  readonly iteration: number;
  readonly scheduler: string;
  readonly samples: number;
  readonly stages: Readonly<Record<string, number>>;
  readonly tasks: Readonly<Record<string, number>>;
  readonly counters: Readonly<Record<string, number>>;
  readonly notes: readonly string[];
}

export interface SchedulerSummary extends MetricFields {
  readonly scheduler: string;
  readonly iterations: number;
  /** Mean seconds per stage over the iterations (a stage absent from an iteration counts 0). */
  readonly stages: Readonly<Record<string, number>>;
}

export function iterationRecord(result: IterationResult): IterationRecord {
  return {
    iteration: result.iteration,
    scheduler: result.scheduler,
    iterationTimeS: result.iterationTimeS,
    samples: result.samples,
    samplesPerS: result.samplesPerS,
    tokensPerS: result.tokensPerS,
    gpuSecondsAllocated: result.gpuSecondsAllocated,
    gpuSecondsBusy: result.gpuSecondsBusy,
    costUsd: result.costUsd,
    utilization: result.utilization,
    bubbleRatio: result.bubbleRatio,
    stages: result.stagesS,
    tasks: result.tasksS,
    counters: result.counters,
    notes: result.notes,
  };
}

/**
 * The mean of every metric of one scheduler's iterations, kept as running sums so a replay of any
 * length holds one accumulator per scheduler. Sums are added in iteration order from 0, so the
 * means are bit for bit those of summing a list (a stage missing from an iteration adds 0, which
 * changes no sum).
 */
export class RunningSummary {
  private count = 0;
  private readonly sums = new Map<string, number>(METRIC_FIELDS.map((field) => [field, 0]));
  private readonly stageSums = new Map<string, number>();

  constructor(readonly scheduler: string) {}

  add(result: IterationResult): void {
    this.count++;
    for (const field of METRIC_FIELDS) this.sums.set(field, this.sums.get(field)! + result[field]);
    for (const [stage, seconds] of Object.entries(result.stagesS)) this.stageSums.set(stage, (this.stageSums.get(stage) ?? 0) + seconds);
  }

  get iterations(): number {
    return this.count;
  }

  summary(): SchedulerSummary {
    const mean = (sum: number) => (this.count === 0 ? 0 : sum / this.count);
    const field = (name: (typeof METRIC_FIELDS)[number]) => mean(this.sums.get(name)!);
    return {
      scheduler: this.scheduler,
      iterations: this.count,
      iterationTimeS: field('iterationTimeS'),
      samplesPerS: field('samplesPerS'),
      tokensPerS: field('tokensPerS'),
      gpuSecondsAllocated: field('gpuSecondsAllocated'),
      gpuSecondsBusy: field('gpuSecondsBusy'),
      costUsd: field('costUsd'),
      utilization: field('utilization'),
      bubbleRatio: field('bubbleRatio'),
      stages: Object.fromEntries([...this.stageSums.keys()].sort().map((stage) => [stage, mean(this.stageSums.get(stage)!)])),
    };
  }
}

/** Per scheduler (in first-seen order), the mean of every metric over its iterations. */
export function summarizeResults(results: readonly IterationResult[]): SchedulerSummary[] {
  const byScheduler = new Map<string, RunningSummary>();
  for (const result of results) {
    let summary = byScheduler.get(result.scheduler);
    if (!summary) byScheduler.set(result.scheduler, (summary = new RunningSummary(result.scheduler)));
    summary.add(result);
  }
  return [...byScheduler.values()].map((summary) => summary.summary());
}
