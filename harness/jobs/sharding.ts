import { InputError } from '../util/input-error.js';

/**
 * Splitting a plan's cases over n machines so that each takes about 1/n of the time: cases are
 * assigned longest first (by the cost estimate each case carries, `Case.costEstimateS`) to the
 * shard with the least estimated work so far (LPT), ties broken by case id and shard index. The
 * assignment is a pure function of the plan and n, so every shard computes the same one without
 * coordination, and a merge can check it.
 *
 * Where the shard comes from, first match wins:
 *   1. `--shard i/n` (0 ≤ i < n);
 *   2. `JOB_COMPLETION_INDEX` (set by a Kubernetes Indexed Job) as i, with n from `--shards n` or
 *      the `RLHF_REPLAY_SHARDS` environment variable (set it to the Job's `completions`);
 *   3. the whole plan (shard 0/1).
 */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const WHOLE_PLAN: Shard = { index: 0, count: 1 };

export const SHARD_INDEX_ENV = 'JOB_COMPLETION_INDEX';
export const SHARD_COUNT_ENV = 'RLHF_REPLAY_SHARDS';

const MAX_SHARDS = 10_000;

function shardError(source: string, value: unknown, message: string): InputError {
  return new InputError({ file: source, field: source.replace(/^--/, ''), value, message });
}

function wholeNumber(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

function checkShard(index: number, count: number, source: string, shown: unknown): Shard {
  if (count < 1 || count > MAX_SHARDS) throw shardError(source, shown, `shard count must be a whole number from 1 to ${MAX_SHARDS}`);
  if (index < 0 || index >= count) throw shardError(source, shown, `shard index must satisfy 0 <= i < n (got i = ${index}, n = ${count}); shards are numbered from 0`);
  return { index, count };
}

/** Parses `i/n`, e.g. `2/8`. */
export function parseShard(text: string, source = '--shard'): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) throw shardError(source, text, "must look like 'i/n' (e.g. 0/4: the first of 4 shards)");
  return checkShard(Number(match[1]), Number(match[2]), source, text);
}

export interface ShardSources {
  /** `--shard i/n`, when given. */
  readonly flag?: string;
  /** `--shards n`, when given. */
  readonly countFlag?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The shard this process runs (see the module comment for the order of sources). */
export function resolveShard(sources: ShardSources): Shard {
  if (sources.flag !== undefined) {
    const shard = parseShard(sources.flag);
    if (sources.countFlag !== undefined && sources.countFlag !== shard.count) {
      throw shardError('--shards', sources.countFlag, `disagrees with --shard ${sources.flag} (n = ${shard.count})`);
    }
    return shard;
  }
  const indexText = sources.env[SHARD_INDEX_ENV];
  let count: number | undefined;
  if (sources.countFlag !== undefined) {
    if (!Number.isInteger(sources.countFlag)) throw shardError('--shards', sources.countFlag, 'must be a whole number');
    count = sources.countFlag;
  } else if (sources.env[SHARD_COUNT_ENV] !== undefined && sources.env[SHARD_COUNT_ENV] !== '') {
    count = wholeNumber(sources.env[SHARD_COUNT_ENV]!);
    if (count === undefined) throw shardError(SHARD_COUNT_ENV, sources.env[SHARD_COUNT_ENV], 'must be a whole number (the number of shards)');
  }
  if (indexText === undefined || indexText === '') {
    if (count !== undefined && count !== 1) {
      throw shardError(sources.countFlag !== undefined ? '--shards' : SHARD_COUNT_ENV, count, `names ${count} shards but not which one this is: pass --shard i/${count} or set ${SHARD_INDEX_ENV}`);
    }
    return WHOLE_PLAN;
  }
  const index = wholeNumber(indexText);
  if (index === undefined) throw shardError(SHARD_INDEX_ENV, indexText, 'must be a whole number (the shard index, from 0)');
  if (count === undefined) {
    throw shardError(SHARD_INDEX_ENV, indexText, `is set but the number of shards is not: pass --shards n or set ${SHARD_COUNT_ENV} (the Indexed Job's completions)`);
  }
  return checkShard(index, count, sources.countFlag !== undefined ? '--shards' : SHARD_INDEX_ENV, sources.countFlag !== undefined ? count : indexText);
}

/** What sharding reads of a case: its id and its estimated cost. */
export interface ShardedCase {
  readonly id: string;
  /** Estimated seconds to run it (Case.costEstimateS); cases without one count as the mean of those with one, or 1. */
  readonly costEstimateS?: number;
}

/** Case id → shard index among `count` shards: longest estimated case first, to the least-loaded shard. */
export function shardAssignment(cases: readonly ShardedCase[], count: number): Map<string, number> {
  const known = cases.map((c) => c.costEstimateS).filter((s): s is number => s !== undefined && Number.isFinite(s) && s >= 0);
  const fallback = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
  const cost = (c: ShardedCase) => (c.costEstimateS !== undefined && Number.isFinite(c.costEstimateS) && c.costEstimateS >= 0 ? c.costEstimateS : fallback);
  const ordered = [...cases].sort((a, b) => cost(b) - cost(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const assignment = new Map<string, number>();
  for (const c of ordered) {
    let target = 0;
    for (let i = 1; i < count; i++) if (load[i]! < load[target]!) target = i;
    load[target]! += cost(c);
    assignment.set(c.id, target);
  }
  return assignment;
}

/** The cases of one shard, in their original order. */
export function casesInShard<T extends ShardedCase>(cases: readonly T[], shard: Shard): T[] {
  if (shard.count === 1) return [...cases];
  const assignment = shardAssignment(cases, shard.count);
  return cases.filter((c) => assignment.get(c.id) === shard.index);
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
