import { describe, expect, it } from 'vitest';
import { forwardBatches, forwardBatchS, replicaForwardS, shardedForward } from '../../../harness/schedulers/inference/forward.js';
import { splitBalanced, splitEvenly } from '../../../harness/schedulers/partition.js';
import type { ReplicaCost } from '../../../harness/cost/types.js';
import { linearReplica } from '../../sim/fixtures/linear-cost.js';

// Linear double: forward = 0.2 + 0.002·tokens (÷ TP).
const tokens = [100, 200, 300, 400, 50];

describe('inference forwards', () => {
  it('cut sequences into batches by count and token budget', () => {
    expect(forwardBatches([0, 1, 2, 3, 4], tokens, { maxSequences: 2, maxTokens: Infinity })).toEqual([[0, 1], [2, 3], [4]]);
    expect(forwardBatches([0, 1, 2, 3, 4], tokens, { maxSequences: 10, maxTokens: 450 })).toEqual([[0, 1], [2], [3, 4]]);
  });

  it('cost one batch per sample or per batch from the cost model', () => {
    expect(forwardBatchS(linearReplica(), [3], tokens)).toBeCloseTo(1.0, 12);
    expect(replicaForwardS(linearReplica(), [0, 1, 2], tokens, { maxSequences: 2, maxTokens: Infinity })).toBeCloseTo(0.2 + 0.6 + 0.2 + 0.6, 12);
    expect(replicaForwardS(linearReplica(), [0, 1, 2], tokens, { maxSequences: 2, maxTokens: Infinity }, 0.5)).toBeCloseTo(2.6, 12);
  });

  it('pass each batch’s Σ length² to the cost model: causal attention runs one sequence at a time', () => {
    const seen: (number | undefined)[] = [];
    const base = linearReplica();
    const replica: ReplicaCost = { ...base, forwardS: (t, n, squares) => (seen.push(squares), base.forwardS(t, n, squares)) };
    forwardBatchS(replica, [0, 3], tokens);
    expect(seen).toEqual([100 * 100 + 400 * 400]);
  });

  it('hide per-batch collectives behind the batch’s compute only up to that compute', () => {
    // one sample per batch: 0.4 s and 0.6 s of compute, each batch with 1 s of all-gather
    const batching = { maxSequences: 1, maxTokens: Infinity };
    expect(replicaForwardS(linearReplica(), [0, 1], tokens, batching, { seconds: 1, overlap: 0 })).toBeCloseTo(0.4 + 0.6 + 2, 12);
    expect(replicaForwardS(linearReplica(), [0, 1], tokens, batching, { seconds: 1, overlap: 0.3 })).toBeCloseTo(0.4 + 0.6 + 2 * 0.7, 12);
    expect(replicaForwardS(linearReplica(), [0, 1], tokens, batching, { seconds: 1, overlap: 1 })).toBeCloseTo(0.4 + 0.6 + (1 - 0.4) + (1 - 0.6), 12);
  });

  it('pipeline the batches through PP stages: (m + p − 1) × per-stage time', () => {
    // Two batches of 300 tokens on PP 2: each batch 0.8 s whole, 0.4 s per stage: (2 + 1) × 0.4.
    const pp2 = linearReplica({}, { tp: 1, pp: 2 });
    expect(replicaForwardS(pp2, [0, 1, 2], [100, 200, 300], { maxSequences: 2, maxTokens: Infinity })).toBeCloseTo(1.2, 12);
  });

  it('end a data-parallel forward with its slowest replica; token balancing evens them out', () => {
    const ids = [0, 1, 2, 3, 4];
    const even = shardedForward(linearReplica(), splitEvenly(ids, 2), tokens, { maxSequences: 1, maxTokens: Infinity });
    expect(even.shards).toEqual([[0, 1, 2], [3, 4]]);
    expect(even.replicaS.map((s) => Number(s.toFixed(9)))).toEqual([0.4 + 0.6 + 0.8, 1.0 + 0.3]);
    expect(even.durationS).toBeCloseTo(0.4 + 0.6 + 0.8, 12);
    const balanced = shardedForward(linearReplica(), splitBalanced(ids, tokens, 2), tokens, { maxSequences: 1, maxTokens: Infinity });
    expect(balanced.shards).toEqual([[0, 3, 4], [1, 2]]);
    expect(balanced.durationS).toBeLessThan(even.durationS);
  });
});
