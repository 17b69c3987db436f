import { describe, expect, it } from 'vitest';
import { GenerationCluster } from '../../../harness/schedulers/generation/cluster.js';
import { GenerationInstance } from '../../../harness/schedulers/generation/instance.js';
import type { EngineLimits } from '../../../harness/schedulers/generation/types.js';
import { linearReplica } from '../../sim/fixtures/linear-cost.js';

const limits: EngineLimits = { maxConcurrentSequences: 8, kvCapacityTokens: 100_000, maxBatchedTokens: 8192, admissionWatermark: 0 };

describe('GenerationCluster', () => {
  it('runs instances on one clock and reports each instance busy period', () => {
    const a = new GenerationInstance(0, linearReplica(), limits);
    const b = new GenerationInstance(1, linearReplica(), limits);
    a.enqueue([{ groupIndex: 0, promptTokens: 10, sampleIds: [0], responseTokens: [1] }]);
    b.enqueue([{ groupIndex: 1, promptTokens: 30, sampleIds: [1], responseTokens: [1] }]);
    const cluster = new GenerationCluster([a, b], 2);
    cluster.runUntil((c) => c.finishedCount === 1);
    expect(cluster.nowS).toBeCloseTo(0.6, 12);
    expect(cluster.finishInstance[0]).toBe(0);
    cluster.drain();
    expect(cluster.finishTimeS[1]).toBeCloseTo(0.8, 12);
    expect(a.busyPeriods()).toEqual([[0, expect.closeTo(0.6, 12)]]);
    expect(cluster.nextEventS).toBe(Infinity);
  });

  it('queues work that arrives later on an idle instance at its arrival time', () => {
    const a = new GenerationInstance(0, linearReplica(), limits);
    const cluster = new GenerationCluster([a], 1);
    expect(cluster.enqueue(0, [{ groupIndex: 0, promptTokens: 10, sampleIds: [0], responseTokens: [1] }], 5)).toBe(5);
    cluster.drain();
    expect(cluster.finishTimeS[0]).toBeCloseTo(5.6, 12);
    expect(a.busyPeriods()).toEqual([[5, expect.closeTo(5.6, 12)]]);
  });

  it('stops at a per-instance condition (finished fraction) and releases an instance early', () => {
    const a = new GenerationInstance(0, linearReplica(), limits);
    const b = new GenerationInstance(1, linearReplica(), limits);
    a.enqueue([0, 1, 2, 3].map((i) => ({ groupIndex: i, promptTokens: 4, sampleIds: [i], responseTokens: [1 + i * 10] })));
    b.enqueue([{ groupIndex: 4, promptTokens: 4, sampleIds: [4], responseTokens: [50] }]);
    const cluster = new GenerationCluster([a, b], 5);
    cluster.runUntil((c) => c.instances[0]!.finished / c.instances[0]!.assigned >= 0.5);
    expect(a.finished).toBe(2);
    expect(a.freeSequenceSlots).toBe(6);
    const { states, atS } = cluster.takeUnfinished(0, cluster.nowS);
    expect(states.map((s) => [s.sampleId, s.kvResident])).toEqual([
      [2, true],
      [3, true],
    ]);
    expect(a.remainingTokens()).toBe(0);
    expect(cluster.release(0, atS)).toBe(atS);
    expect(a.released).toBe(true);
    expect(() => a.enqueue([])).toThrow(/after release/);
    cluster.addSequences(1, states, atS);
    cluster.drain();
    expect(cluster.finishedCount).toBe(5);
    expect([2, 3, 4].every((id) => cluster.finishInstance[id] === 1)).toBe(true);
  });

  it('refuses to release an instance that still holds samples', () => {
    const a = new GenerationInstance(0, linearReplica(), limits);
    a.enqueue([{ groupIndex: 0, promptTokens: 4, sampleIds: [0], responseTokens: [5] }]);
    const cluster = new GenerationCluster([a], 1);
    expect(() => cluster.release(0, 0)).toThrow(/unfinished/);
  });

  it('queues migrated samples for recompute when the destination has no room', () => {
    const small = new GenerationInstance(0, linearReplica(), { ...limits, maxConcurrentSequences: 1 });
    small.enqueue([{ groupIndex: 0, promptTokens: 4, sampleIds: [0], responseTokens: [20] }]);
    const cluster = new GenerationCluster([small], 2);
    cluster.runUntil(undefined, 2);
    const added = cluster.addSequences(0, [{ sampleId: 1, groupIndex: 1, promptTokens: 4, responseTokens: 10, generatedTokens: 3, kvResident: true }], 2);
    expect(added).toMatchObject({ running: 0, queued: 1 });
    expect(small.counters.migratedWithoutRoom).toBe(1);
    cluster.drain();
    // Recomputed on admission: prompt + the 3 generated tokens.
    expect(small.counters.recomputedTokens).toBe(3);
    expect(cluster.finishedCount).toBe(2);
  });
});

describe('adding sequences whose prompt KV arrives once per group (disaggregated prefill)', () => {
  it('holds the shared prompt once and decodes the group together without prefill', () => {
    const a = new GenerationInstance(0, linearReplica(), limits);
    const cluster = new GenerationCluster([a], 3);
    const states = [0, 1, 2].map((id) => ({ sampleId: id, groupIndex: 7, promptTokens: 100, responseTokens: 2 + id, generatedTokens: 1, kvResident: true }));
    expect(cluster.addSequences(0, states, 1, { sharePrompts: true })).toMatchObject({ running: 3, queued: 0, atS: 1 });
    expect(a.kvUsedTokens).toBe(100 + 3);
    cluster.drain();
    // Step 1: batch 3, context 3 × 101 = 303 -> 1 + 0.3 + 0.303; sample 0 done.
    const step1 = 1.603;
    expect(cluster.finishTimeS[0]).toBeCloseTo(1 + step1, 12);
    // Step 2: batch 2, context 2 × 102 = 204 -> 1.404; step 3: batch 1, context 103 -> 1.203.
    expect(cluster.finishTimeS[2]).toBeCloseTo(1 + step1 + 1.404 + 1.203, 12);
    expect(a.counters.prefillSteps).toBe(0);
  });
});
