import { GenerationCluster } from './cluster.js';
import { GenerationInstance } from './instance.js';
import type { EngineLimits, GenerationRequest, GenerationStepCost, InstanceCounters, SampleFinish } from './types.js';

export interface ContinuousGenerationInput {
  /** One entry per instance: its step costs (a ReplicaCost of its TP layout). */
  readonly cost: GenerationStepCost;
  readonly limits: EngineLimits;
  /** Requests per instance, in queue order. */
  readonly assignment: readonly (readonly GenerationRequest[])[];
  readonly sampleCount: number;
  readonly startS: number;
  readonly onFinish?: (finish: SampleFinish) => void;
}

/** Builds instances, queues their requests at `startS` and returns the cluster, not yet run. */
export function createGenerationCluster(input: ContinuousGenerationInput): GenerationCluster {
  const instances = input.assignment.map((requests, index) => {
    const instance = new GenerationInstance(index, input.cost, input.limits, input.startS);
    if (requests.length > 0) instance.enqueue(requests);
    return instance;
  });
  return new GenerationCluster(instances, input.sampleCount, input.onFinish);
}

export interface ContinuousGenerationResult {
  readonly cluster: GenerationCluster;
  /** When the last instance went idle. */
  readonly endS: number;
  readonly counters: InstanceCounters;
}

/** Runs a cluster until every instance is idle (no migration, no early release: the sequential baselines). */
export function runContinuousGeneration(input: ContinuousGenerationInput): ContinuousGenerationResult {
  const cluster = createGenerationCluster(input);
  cluster.drain();
  let endS = input.startS;
  for (const instance of cluster.instances) for (const [, end] of instance.busyPeriods()) endS = Math.max(endS, end);
  return { cluster, endS, counters: sumCounters(cluster.instances.map((instance) => instance.counters)) };
}

export function sumCounters(list: readonly InstanceCounters[]): InstanceCounters {
  const total: InstanceCounters = { prefillSteps: 0, decodeSteps: 0, prefillTokens: 0, preemptions: 0, recomputedTokens: 0, migratedWithoutRoom: 0 };
  for (const counters of list) {
    for (const key of Object.keys(total) as (keyof InstanceCounters)[]) total[key] += counters[key];
  }
  return total;
}
