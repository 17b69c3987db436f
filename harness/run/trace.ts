import { batchIterations, planBatches, type BatchPlan, type ScenarioIterationOptions } from '../scenario/batches.js';
import type { Scenario } from '../scenario/scenario.js';
import { streamLengthGroups, type ReadWorkloadOptions } from '../traces/read.js';
import type { WorkloadIteration, WorkloadMeta } from '../traces/types.js';

/** A response-length trace opened for a run: its metadata, how it is cut into batches, and the iterations one at a time. */
export interface StreamedTrace {
  readonly meta: WorkloadMeta;
  readonly plan: BatchPlan;
  readonly iterations: AsyncIterable<WorkloadIteration>;
}

/** Groups per trace iteration, in order: the first pass that lets a streamed trace be cut without holding it. */
async function iterationSizes(path: string, options: ReadWorkloadOptions): Promise<{ meta: WorkloadMeta; sizes: number[] }> {
  const stream = await streamLengthGroups(path, options);
  const sizes: number[] = [];
  let last: number | undefined;
  for await (const { group } of stream.groups) {
    if (group.iteration !== last) {
      sizes.push(0);
      last = group.iteration;
    }
    sizes[sizes.length - 1]!++;
  }
  return { meta: stream.meta, sizes };
}

/**
 * Opens a trace file for a run under a scenario, streaming: a first pass reads it whole (so a bad
 * line anywhere is an InputError before anything is simulated) and counts each iteration's
 * groups, which decides the batching (`planBatches`); the iterations then stream from a second
 * pass, one in memory at a time, whatever the trace's length.
 */
export async function openScenarioTrace(path: string, scenario: Scenario, batching: ScenarioIterationOptions = {}, read: ReadWorkloadOptions = {}): Promise<StreamedTrace> {
  const { meta, sizes } = await iterationSizes(path, read);
  const plan = planBatches(sizes, scenario, batching);
  return {
    meta,
    plan,
    iterations: {
      [Symbol.asyncIterator]: () => {
        const opening = streamLengthGroups(path, read);
        let inner: AsyncIterator<WorkloadIteration> | undefined;
        const ready = async () => (inner ??= batchIterations((await opening).groups, plan)[Symbol.asyncIterator]());
        return {
          next: async () => (await ready()).next(),
          return: async () => {
            const it = await ready();
            return it.return ? it.return(undefined) : { done: true, value: undefined };
          },
        };
      },
    },
  };
}
