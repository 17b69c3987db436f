import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { casesInShard, parseShard, resolveShard, shardAssignment, WHOLE_PLAN } from '../../harness/jobs/sharding.js';
import { isInputError } from '../../harness/util/input-error.js';

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

describe('shardAssignment', () => {
  it('assigns the longest estimated case first, each to the least-loaded shard', () => {
    const cases = [
      { id: 'e', costEstimateS: 1 },
      { id: 'a', costEstimateS: 10 },
      { id: 'c', costEstimateS: 5 },
      { id: 'b', costEstimateS: 6 },
      { id: 'd', costEstimateS: 4 },
    ];
    // a → 0 (10); b → 1 (6); c → 1 (11); d → 0 (14); e → 1 (12).
    expect(Object.fromEntries(shardAssignment(cases, 2))).toEqual({ a: 0, b: 1, c: 1, d: 0, e: 1 });
    expect(casesInShard(cases, { index: 0, count: 2 }).map((c) => c.id)).toEqual(['a', 'd']);
  });

  it('counts a case without an estimate as the mean of the others, and breaks ties by id', () => {
    expect(Object.fromEntries(shardAssignment([{ id: 'x', costEstimateS: 4 }, { id: 'y' }, { id: 'z', costEstimateS: 2 }], 2))).toEqual({ x: 0, y: 1, z: 1 });
    expect(Object.fromEntries(shardAssignment([{ id: 'b' }, { id: 'a' }, { id: 'c' }], 3))).toEqual({ a: 0, b: 1, c: 2 });
  });

  it('puts every case in exactly one shard, and no shard gets more than its share plus one case', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 1000 }), (ids, n, salt) => {
        const cases = ids.map((id, i) => ({ id, costEstimateS: ((i * 7919 + salt) % 97) + 1 }));
        const shards = Array.from({ length: n }, (_, index) => casesInShard(cases, { index, count: n }));
        expect(shards.flat().map((c) => c.id).sort()).toEqual([...ids].sort());
        const total = cases.reduce((sum, c) => sum + c.costEstimateS, 0);
        const largest = Math.max(0, ...cases.map((c) => c.costEstimateS));
        for (const shard of shards) expect(shard.reduce((sum, c) => sum + c.costEstimateS, 0)).toBeLessThanOrEqual(total / n + largest);
      }),
      { seed: 1 },
    );
  });
});
