import type { LengthGroupItem } from '../traces/length-stream.js';
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

/** How a trace becomes the iterations replayed under a scenario, decided from its iteration sizes alone. */
export interface BatchPlan {
  /** 'as-recorded': the trace's iterations as they are; 'recut': its groups, in order, cut into batches of `batchPrompts`. */
  readonly mode: 'as-recorded' | 'recut';
  readonly batchPrompts: number;
  /** Iterations that will be replayed. */
  readonly count: number;
  readonly notes: readonly string[];
}

/**
 * The batching rule. When every trace iteration already holds the scenario's batch of prompts (or
 * `keepTraceBatches`), they are used as they are. Otherwise the trace's groups, in trace order,
 * are cut into batches of `scenario.batch.prompts`; a trailing partial batch is dropped when at
 * least one full batch exists, and a trace smaller than one batch is replayed as one smaller
 * iteration. Every change is noted. `groupsPerIteration` is the number of groups of each trace
 * iteration, in order (a first pass over a streamed trace gives it without holding the trace).
 */
export function planBatches(groupsPerIteration: readonly number[], scenario: Scenario, options: ScenarioIterationOptions = {}): BatchPlan {
  const notes: string[] = [];
  const batch = scenario.batch.prompts;
  const fits = groupsPerIteration.length > 0 && groupsPerIteration.every((groups) => groups === batch);
  let mode: BatchPlan['mode'];
  let count: number;
  if (fits || options.keepTraceBatches) {
    mode = 'as-recorded';
    count = groupsPerIteration.length;
    if (!fits) notes.push(`trace iterations replayed as recorded (${describeSizes(groupsPerIteration)}), not re-cut to the scenario's ${batch} prompts`);
  } else {
    mode = 'recut';
    const groups = groupsPerIteration.reduce((sum, n) => sum + n, 0);
    const full = Math.floor(groups / batch);
    count = full > 0 ? full : groups > 0 ? 1 : 0;
    notes.push(`trace groups (${describeSizes(groupsPerIteration)}) re-cut into iterations of the scenario's ${batch} prompts`);
    if (full > 0 && groups % batch !== 0) notes.push(`the last ${groups % batch} prompts of the trace do not fill a batch and are not replayed`);
    if (full === 0 && groups > 0) notes.push(`the trace has only ${groups} prompts, fewer than one batch of ${batch}: replayed as one smaller iteration`);
  }
  if (options.iterations !== undefined && options.iterations < count) count = options.iterations;
  else if (options.iterations !== undefined && options.iterations > count) notes.push(`asked for ${options.iterations} iterations; the trace gives ${count}`);
  return { mode, batchPrompts: batch, count, notes };
}

/**
 * Turns a trace's groups, in trace order, into the iterations of a batch plan, one group at a
 * time: memory is bounded by one iteration. `push` returns the iterations a group completes;
 * `finish` the last one. Stops taking groups once the plan's iterations are complete (`done`).
 */
export class BatchCutter {
  private current: { iteration: number; epoch?: number; groups: SampleGroup[] } | undefined;
  private emitted = 0;

  constructor(private readonly plan: BatchPlan) {}

  get done(): boolean {
    return this.emitted >= this.plan.count;
  }

  /** `from`: the number of the trace iteration the group came from (default: the group's own). */
  push(item: LengthGroupItem, from = item.group.iteration): WorkloadIteration[] {
    if (this.done) return [];
    const { group, epoch } = item;
    if (this.plan.mode === 'as-recorded') {
      const out: WorkloadIteration[] = [];
      if (this.current && this.current.iteration !== group.iteration) out.push(...this.emit());
      if (this.done) return out;
      if (!this.current) this.current = epoch === undefined ? { iteration: group.iteration, groups: [] } : { iteration: group.iteration, epoch, groups: [] };
      this.current.groups.push(group);
      return out;
    }
    const index = this.emitted;
    this.current ??= { iteration: index, groups: [] };
    this.current.groups.push({ ...group, iteration: index, groupId: `${from}/${group.groupId}` });
    // The last batch of a trace smaller than one batch takes every group (finish emits it).
    return this.current.groups.length === this.plan.batchPrompts ? this.emit() : [];
  }

  /** The last iteration, when the trace ended inside it (as recorded, or a trace smaller than one batch). */
  finish(): WorkloadIteration[] {
    return this.done ? [] : this.emit();
  }

  private emit(): WorkloadIteration[] {
    const draft = this.current;
    this.current = undefined;
    if (!draft || draft.groups.length === 0) return [];
    this.emitted++;
    return [draft.epoch === undefined ? { iteration: draft.iteration, groups: draft.groups } : { iteration: draft.iteration, epoch: draft.epoch, groups: draft.groups }];
  }
}

/** The iterations to replay under a scenario, from a workload in memory (see `planBatches` for the rule). */
export function scenarioIterations(workload: Workload, scenario: Scenario, options: ScenarioIterationOptions = {}): ScenarioIterations {
  const plan = planBatches(
    workload.iterations.map((it) => it.groups.length),
    scenario,
    options,
  );
  const iterations: WorkloadIteration[] = [];
  if (plan.mode === 'as-recorded') {
    iterations.push(...workload.iterations.slice(0, plan.count));
  } else {
    const cutter = new BatchCutter(plan);
    for (const iteration of workload.iterations) {
      for (const group of iteration.groups) iterations.push(...cutter.push({ group }, iteration.iteration));
      if (cutter.done) break;
    }
    iterations.push(...cutter.finish());
  }
  return { iterations, notes: plan.notes };
}

/** Streams the iterations of a batch plan from a trace's groups (a streamed trace: one iteration in memory at a time). */
export async function* batchIterations(groups: AsyncIterable<LengthGroupItem>, plan: BatchPlan): AsyncGenerator<WorkloadIteration> {
  const cutter = new BatchCutter(plan);
  for await (const item of groups) {
    yield* cutter.push(item);
    if (cutter.done) return;
  }
  yield* cutter.finish();
}

function describeSizes(groupsPerIteration: readonly number[]): string {
  const sizes = [...new Set(groupsPerIteration)].sort((a, b) => a - b);
  return `${groupsPerIteration.length} iterations of ${sizes.join('/')} prompts`;
}
