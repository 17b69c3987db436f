import type { CostModel } from '../cost/types.js';
import type { Scenario } from '../scenario/scenario.js';
import type { IterationResult } from '../sim/types.js';
import type { WorkloadIteration } from '../traces/types.js';
import { createRng } from '../util/rng.js';
import type { SchedulerEntry } from './types.js';

/**
 * Replaying a workload through schedulers: every (iteration, scheduler) pair runs with its own
 * random stream forked from the seed by scheduler name and iteration number, so adding a
 * scheduler or an iteration changes no other result. Each call is also given the iterations
 * replayed before it (ReplayHistory): the only state that crosses iterations, and it is explicit.
 */
export function replayIterations(
  scenario: Scenario,
  iterations: readonly WorkloadIteration[],
  schedulers: readonly SchedulerEntry[],
  cost: CostModel,
  seed: number,
  onProgress?: (done: number, total: number, label: string) => void,
): IterationResult[] {
  const root = createRng(seed);
  const results: IterationResult[] = [];
  const total = iterations.length * schedulers.length;
  const ownResults = new Map<string, IterationResult[]>(schedulers.map((s) => [s.name, []]));
  for (const [index, iteration] of iterations.entries()) {
    const previousIterations = iterations.slice(0, index);
    for (const scheduler of schedulers) {
      const own = ownResults.get(scheduler.name)!;
      const result = scheduler.run(scenario, iteration, cost, root.fork(scheduler.name).fork(iteration.iteration), { previousIterations, previousResults: own.slice() });
      own.push(result);
      results.push(result);
      onProgress?.(results.length, total, `${scheduler.name} iteration ${iteration.iteration}`);
    }
  }
  return results;
}

/** The metrics every record and summary carries (means in a summary). */
type MetricFields = Pick<
  IterationResult,
  'iterationTimeS' | 'samplesPerS' | 'tokensPerS' | 'gpuSecondsAllocated' | 'gpuSecondsBusy' | 'costUsd' | 'utilization' | 'bubbleRatio'
>;

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

const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

/** Per scheduler (in first-seen order), the mean of every metric over its iterations. */
export function summarizeReplay(results: readonly IterationResult[]): SchedulerSummary[] {
  const order: string[] = [];
  const byScheduler = new Map<string, IterationResult[]>();
  for (const result of results) {
    let list = byScheduler.get(result.scheduler);
    if (!list) {
      byScheduler.set(result.scheduler, (list = []));
      order.push(result.scheduler);
    }
    list.push(result);
  }
  return order.map((scheduler) => {
    const list = byScheduler.get(scheduler)!;
    const stageNames = [...new Set(list.flatMap((r) => Object.keys(r.stagesS)))].sort();
    return {
      scheduler,
      iterations: list.length,
      iterationTimeS: mean(list.map((r) => r.iterationTimeS)),
      samplesPerS: mean(list.map((r) => r.samplesPerS)),
      tokensPerS: mean(list.map((r) => r.tokensPerS)),
      gpuSecondsAllocated: mean(list.map((r) => r.gpuSecondsAllocated)),
      gpuSecondsBusy: mean(list.map((r) => r.gpuSecondsBusy)),
      costUsd: mean(list.map((r) => r.costUsd)),
      utilization: mean(list.map((r) => r.utilization)),
      bubbleRatio: mean(list.map((r) => r.bubbleRatio)),
      stages: Object.fromEntries(stageNames.map((stage) => [stage, mean(list.map((r) => r.stagesS[stage] ?? 0))])),
    };
  });
}
