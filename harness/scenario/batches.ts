import type { SampleGroup, Workload, WorkloadIteration } from '../traces/types.js';
import type { Scenario } from './scenario.js';

export interface ScenarioIterations {
  readonly iterations: readonly WorkloadIteration[];
  /** What was re-cut, dropped or missing, in words for the report. */
  readonly notes: readonly string[];
}

export interface ScenarioIterationOptions {
  /** Replay at most this many iterations. */
  readonly iterations?: number;
  /** Keep the trace's own iterations even when their size differs from the scenario's batch. */
  readonly keepTraceBatches?: boolean;
}

/**
 * The iterations to replay under a scenario. When every trace iteration already holds the
 * scenario's batch of prompts (or `keepTraceBatches`), they are used as they are. Otherwise the
 * trace's groups, in trace order, are cut into batches of `scenario.batch.prompts`; a trailing
 * partial batch is dropped when at least one full batch exists, and a trace smaller than one
 * batch is replayed as one smaller iteration. Every change is noted.
 */
export function scenarioIterations(workload: Workload, scenario: Scenario, options: ScenarioIterationOptions = {}): ScenarioIterations {
  const notes: string[] = [];
  const batch = scenario.batch.prompts;
  let iterations: WorkloadIteration[];
  const fits = workload.iterations.length > 0 && workload.iterations.every((it) => it.groups.length === batch);
  if (fits || options.keepTraceBatches) {
    iterations = [...workload.iterations];
    if (!fits) notes.push(`trace iterations replayed as recorded (${describeSizes(workload)}), not re-cut to the scenario's ${batch} prompts`);
  } else {
    const groups: { group: SampleGroup; from: number }[] = [];
    for (const iteration of workload.iterations) for (const group of iteration.groups) groups.push({ group, from: iteration.iteration });
    const full = Math.floor(groups.length / batch);
    const count = full > 0 ? full : groups.length > 0 ? 1 : 0;
    iterations = [];
    for (let i = 0; i < count; i++) {
      const slice = groups.slice(i * batch, full > 0 ? (i + 1) * batch : groups.length);
      iterations.push({
        iteration: i,
        groups: slice.map(({ group, from }) => ({ ...group, iteration: i, groupId: `${from}/${group.groupId}` })),
      });
    }
    notes.push(`trace groups (${describeSizes(workload)}) re-cut into iterations of the scenario's ${batch} prompts`);
    if (full > 0 && groups.length % batch !== 0) notes.push(`the last ${groups.length % batch} prompts of the trace do not fill a batch and are not replayed`);
    if (full === 0 && groups.length > 0) notes.push(`the trace has only ${groups.length} prompts, fewer than one batch of ${batch}: replayed as one smaller iteration`);
  }
  if (options.iterations !== undefined && options.iterations < iterations.length) {
    iterations = iterations.slice(0, options.iterations);
  } else if (options.iterations !== undefined && options.iterations > iterations.length) {
    notes.push(`asked for ${options.iterations} iterations; the trace gives ${iterations.length}`);
  }
  return { iterations, notes };
}

function describeSizes(workload: Workload): string {
  const sizes = [...new Set(workload.iterations.map((it) => it.groups.length))].sort((a, b) => a - b);
  return `${workload.iterations.length} iterations of ${sizes.join('/')} prompts`;
}
