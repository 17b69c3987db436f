import type { ProblemCollector } from './problems.js';
import type { SampleGroup, Workload, WorkloadIteration, WorkloadMeta } from './types.js';

/** One group from a streamed response-length trace, with the epoch of its iteration when recorded. */
export interface LengthGroupItem {
  readonly group: SampleGroup;
  readonly epoch?: number;
}

/**
 * A response-length trace opened for streaming. `meta` is complete when the stream is opened
 * (readers that infer the length cap do so in a first pass). `groups` yields the groups in file
 * order — iterations ascending, each iteration's groups together — and may be consumed once.
 * Problems found while streaming are collected; the iterator throws an InputError at the end
 * (or as soon as the problem limit is reached), so a consumer never silently gets half a trace.
 */
export interface LengthGroupStream {
  readonly meta: WorkloadMeta;
  readonly groups: AsyncIterable<LengthGroupItem>;
}

export interface LengthReadOptions {
  /** The response length cap, tokens; overrides a recorded or inferred one. */
  readonly maxResponseTokens?: number;
  readonly problems: ProblemCollector;
}

/** Collects a stream into an in-memory Workload. */
export async function collectWorkload(stream: LengthGroupStream): Promise<Workload> {
  const iterations: WorkloadIteration[] = [];
  let current: { iteration: number; epoch?: number; groups: SampleGroup[] } | undefined;
  for await (const { group, epoch } of stream.groups) {
    if (!current || current.iteration !== group.iteration) {
      if (current) iterations.push(finishIteration(current));
      current = { iteration: group.iteration, groups: [] };
      if (epoch !== undefined) current.epoch = epoch;
    }
    current.groups.push(group);
  }
  if (current) iterations.push(finishIteration(current));
  return { meta: stream.meta, iterations };
}

function finishIteration(draft: { iteration: number; epoch?: number; groups: SampleGroup[] }): WorkloadIteration {
  return draft.epoch === undefined ? { iteration: draft.iteration, groups: draft.groups } : { iteration: draft.iteration, epoch: draft.epoch, groups: draft.groups };
}

/** Streams an in-memory workload, for writers that accept both. */
export async function* workloadGroups(workload: Workload): AsyncGenerator<LengthGroupItem> {
  for (const iteration of workload.iterations) {
    for (const group of iteration.groups) yield iteration.epoch === undefined ? { group } : { group, epoch: iteration.epoch };
  }
}

/**
 * Checks the order rules every response-length trace follows, with memory bounded by one
 * iteration: iterations appear in ascending order, each in one contiguous block, and a group id
 * appears once per iteration. Returns false (after reporting) when the group must be skipped.
 */
export interface GroupOrderChecker {
  accept(group: { iteration: number; groupId: string; epoch?: number }, site: { file: string; line: number }): boolean;
  /** Groups accepted so far. */
  readonly groups: number;
}

export function createGroupOrderChecker(problems: ProblemCollector): GroupOrderChecker {
  let currentIteration: number | undefined;
  let currentEpoch: number | undefined;
  let idsInIteration = new Map<string, number>();
  let groups = 0;
  return {
    accept(group, site) {
      if (currentIteration === undefined || group.iteration > currentIteration) {
        currentIteration = group.iteration;
        currentEpoch = group.epoch;
        idsInIteration = new Map();
      } else if (group.iteration < currentIteration) {
        problems.add({
          ...site,
          field: 'iteration',
          value: group.iteration,
          message: `comes after iteration ${currentIteration}: groups must be sorted by iteration, each iteration in one block (sort the file by iteration)`,
        });
        return false;
      } else if (group.epoch !== currentEpoch) {
        problems.add({ ...site, field: 'epoch', value: group.epoch, message: `differs from the epoch (${String(currentEpoch)}) of earlier groups of iteration ${group.iteration}` });
        return false;
      }
      const previousLine = idsInIteration.get(group.groupId);
      if (previousLine !== undefined) {
        problems.add({ ...site, field: 'group_id', value: group.groupId, message: `duplicate group id in iteration ${group.iteration} (first on line ${previousLine})` });
        return false;
      }
      idsInIteration.set(group.groupId, site.line);
      groups++;
      return true;
    },
    get groups() {
      return groups;
    },
  };
}
