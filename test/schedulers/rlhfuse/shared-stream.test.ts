import { describe, expect, it } from 'vitest';
import { streamForwards } from '../../../harness/schedulers/inference/streaming.js';
import { streamSharedForwards } from '../../../harness/schedulers/rlhfuse/shared-stream.js';
import { linearReplica } from '../../sim/fixtures/linear-cost.js';

// Linear double: forwardS(tokens) = 0.2 + 0.002 · tokens.
const replica = linearReplica();
const tokens = [100, 100, 100, 100, 100];
const arrivals = [0, 0, 1, 5, 5].map((readyS, sampleId) => ({ sampleId, readyS }));

describe('streamSharedForwards', () => {
  it('lets the earliest free replica take every sample already arrived, up to the batch size', () => {
    const { batches, freeS } = streamSharedForwards(replica, [0, 0.5], arrivals, tokens, { maxSequences: 2, maxTokens: Infinity });
    // r0 at 0 takes {0,1} (0.6 s) → 0.6; r1 at 0.5 waits for sample 2 at 1 → 1.4; r0 at 0.6 waits for 3, 4 at 5 → takes both → 5.6.
    expect(batches.map((b) => [b.replica, b.startS, Number(b.endS.toFixed(9)), b.sampleIds])).toEqual([
      [0, 0, 0.6, [0, 1]],
      [1, 1, 1.4, [2]],
      [0, 5, 5.6, [3, 4]],
    ]);
    expect(freeS.map((x) => Number(x.toFixed(9)))).toEqual([5.6, 1.4]);
  });

  it('with one replica is streamForwards', () => {
    const shared = streamSharedForwards(replica, [0.3], arrivals, tokens, { maxSequences: 3, maxTokens: Infinity });
    const single = streamForwards(replica, arrivals, tokens, { maxSequences: 3, maxTokens: Infinity }, 0.3);
    expect(shared.batches.map(({ startS, endS, sampleIds }) => ({ startS, endS, sampleIds }))).toEqual(single.batches);
  });
});
