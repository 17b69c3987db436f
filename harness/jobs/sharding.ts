import { InputError } from '../util/input-error.js';
import { stableHash32 } from '../util/rng.js';

/**
 * Splitting a plan's cases over n machines: case → shard by a stable 32-bit hash of its id, so a
 * case always lands on the same shard whatever else the plan holds, and no coordination is needed.
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

/** The shard index a case id belongs to among `count` shards. */
export function shardIndexOf(id: string, count: number): number {
  return stableHash32(id) % count;
}

export function inShard(id: string, shard: Shard): boolean {
  return shard.count === 1 || shardIndexOf(id, shard.count) === shard.index;
}

/** The cases of one shard, in their original order. */
export function casesInShard<T extends { readonly id: string }>(cases: readonly T[], shard: Shard): T[] {
  return cases.filter((c) => inShard(c.id, shard));
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
