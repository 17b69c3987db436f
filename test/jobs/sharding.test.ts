import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { casesInShard, parseShard, resolveShard, shardIndexOf, WHOLE_PLAN } from '../../harness/jobs/sharding.js';
import { isInputError } from '../../harness/util/input-error.js';
import { stableHash32 } from '../../harness/util/rng.js';

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(isInputError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('parseShard', () => {
  it('reads i/n', () => {
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseShard(' 3 / 8 ')).toEqual({ index: 3, count: 8 });
  });
  it('rejects i ≥ n, n = 0 and anything not i/n, naming the flag', () => {
    expect(errorOf(() => parseShard('4/4'))).toBe("--shard: field 'shard' value '4/4': shard index must satisfy 0 <= i < n (got i = 4, n = 4); shards are numbered from 0");
    expect(errorOf(() => parseShard('0/0'))).toContain('shard count must be a whole number from 1 to');
    expect(errorOf(() => parseShard('-1/4'))).toContain("must look like 'i/n'");
    expect(errorOf(() => parseShard('1'))).toContain("must look like 'i/n'");
  });
});

describe('resolveShard', () => {
  it('prefers --shard, then JOB_COMPLETION_INDEX with --shards or RLHF_REPLAY_SHARDS, else the whole plan', () => {
    expect(resolveShard({ flag: '1/3', env: { JOB_COMPLETION_INDEX: '0', RLHF_REPLAY_SHARDS: '5' } })).toEqual({ index: 1, count: 3 });
    expect(resolveShard({ env: { JOB_COMPLETION_INDEX: '2', RLHF_REPLAY_SHARDS: '5' } })).toEqual({ index: 2, count: 5 });
    expect(resolveShard({ countFlag: 4, env: { JOB_COMPLETION_INDEX: '3', RLHF_REPLAY_SHARDS: '5' } })).toEqual({ index: 3, count: 4 });
    expect(resolveShard({ env: {} })).toEqual(WHOLE_PLAN);
  });
  it('gives clear errors for a missing count, a bad index and disagreeing flags', () => {
    expect(errorOf(() => resolveShard({ env: { JOB_COMPLETION_INDEX: '2' } }))).toContain('is set but the number of shards is not: pass --shards n or set RLHF_REPLAY_SHARDS');
    expect(errorOf(() => resolveShard({ env: { JOB_COMPLETION_INDEX: '5', RLHF_REPLAY_SHARDS: '5' } }))).toContain('0 <= i < n (got i = 5, n = 5)');
    expect(errorOf(() => resolveShard({ env: { JOB_COMPLETION_INDEX: 'x', RLHF_REPLAY_SHARDS: '5' } }))).toContain('must be a whole number (the shard index, from 0)');
    expect(errorOf(() => resolveShard({ env: { RLHF_REPLAY_SHARDS: '4' } }))).toContain('names 4 shards but not which one this is');
    expect(errorOf(() => resolveShard({ flag: '0/2', countFlag: 3, env: {} }))).toContain('disagrees with --shard 0/2');
  });
});

describe('shardIndexOf', () => {
  it('is the stable hash of the id modulo n', () => {
    expect(shardIndexOf('sim/x/verl', 7)).toBe(stableHash32('sim/x/verl') % 7);
  });
  it('puts every case in exactly one shard, whatever else is in the plan', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), (ids, n) => {
        const cases = ids.map((id) => ({ id }));
        const shards = Array.from({ length: n }, (_, index) => casesInShard(cases, { index, count: n }).map((c) => c.id));
        expect(shards.flat().sort()).toEqual([...ids].sort());
        // A case's shard does not depend on the other cases.
        for (const id of ids) expect(casesInShard([{ id }], { index: shardIndexOf(id, n), count: n })).toHaveLength(1);
      }),
      { seed: 1 },
    );
  });
});
