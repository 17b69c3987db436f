import { describe, expect, it } from 'vitest';
import { streamForwards } from '../../../harness/schedulers/inference/streaming.js';
import { linearReplica } from '../../sim/fixtures/linear-cost.js';

// Linear double: forwardS(tokens) = 0.2 + 0.002 · tokens.
const replica = linearReplica();
const round = (x: number) => Number(x.toFixed(9));

describe('streaming forwards (samples arriving over time, one shared queue)', () => {
  it('on one replica batches whatever has arrived when the replica frees up, and waits when nothing has', () => {
    const tokens = [100, 200, 300, 400, 50];
    const arrivals = [1, 1.1, 1.2, 10].map((readyS, sampleId) => ({ sampleId, readyS }));
    const { batches, freeS } = streamForwards(replica, [0], arrivals, tokens, { maxSequences: 4, maxTokens: Infinity });
    // t=1: only sample 0 has arrived: 0.4 s -> 1.4; samples 1, 2 then: 0.2 + 1.0 -> 2.6; sample 3 at 10: 1.0 -> 11.
    expect(batches.map((b) => [b.replica, round(b.startS), round(b.endS), b.sampleIds])).toEqual([
      [0, 1, 1.4, [0]],
      [0, 1.4, 2.6, [1, 2]],
      [0, 10, 11, [3]],
    ]);
    expect(freeS.map(round)).toEqual([11]);
  });

  it('lets the earliest free replica take every sample already arrived, up to the batch size', () => {
    const tokens = [100, 100, 100, 100, 100];
    const arrivals = [0, 0, 1, 5, 5].map((readyS, sampleId) => ({ sampleId, readyS }));
    const { batches, freeS } = streamForwards(replica, [0, 0.5], arrivals, tokens, { maxSequences: 2, maxTokens: Infinity });
    // r0 at 0 takes {0,1} (0.6 s) → 0.6; r1 at 0.5 waits for sample 2 at 1 → 1.4; r0 at 0.6 waits for 3, 4 at 5 → takes both → 5.6.
    expect(batches.map((b) => [b.replica, b.startS, round(b.endS), b.sampleIds])).toEqual([
      [0, 0, 0.6, [0, 1]],
      [1, 1, 1.4, [2]],
      [0, 5, 5.6, [3, 4]],
    ]);
    expect(freeS.map(round)).toEqual([5.6, 1.4]);
  });

  it('cuts a batch at the token budget, and leaves an idle replica at its ready time', () => {
    const tokens = [300, 300, 300];
    const arrivals = [0, 0, 0].map((readyS, sampleId) => ({ sampleId, readyS }));
    const { batches, freeS } = streamForwards(replica, [2, 9], arrivals, tokens, { maxSequences: 8, maxTokens: 650 });
    // r0 (free at 2) takes 0, 1 (600 tokens: 1.4 s) → 3.4, then 2 (0.8 s) → 4.2, before r1 is ready at 9.
    expect(batches.map((b) => [b.replica, round(b.startS), round(b.endS), b.sampleIds])).toEqual([
      [0, 2, 3.4, [0, 1]],
      [0, 3.4, 4.2, [2]],
    ]);
    expect(freeS.map(round)).toEqual([4.2, 9]);
  });

  it('refuses samples with no replica to serve them', () => {
    expect(streamForwards(replica, [], [], [], { maxSequences: 1, maxTokens: Infinity })).toEqual({ batches: [], freeS: [] });
    expect(() => streamForwards(replica, [], [{ sampleId: 0, readyS: 0 }], [10], { maxSequences: 1, maxTokens: Infinity })).toThrow(/no replica/);
  });
});
