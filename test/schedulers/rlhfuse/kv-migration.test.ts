import { describe, expect, it } from 'vitest';
import type { SequenceState } from '../../../harness/schedulers/generation/types.js';
import { kvBytesOf, timeKvMigration } from '../../../harness/schedulers/rlhfuse/kv-migration.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';

const seq = (sampleId: number, promptTokens: number, generatedTokens: number, kvResident = true): SequenceState => ({ sampleId, groupIndex: 0, promptTokens, responseTokens: 1000, generatedTokens, kvResident });

describe('kvBytesOf', () => {
  it('moves prompt + generated KV of running sequences, nothing for waiting ones (they recompute)', () => {
    expect(kvBytesOf([seq(0, 100, 20), seq(1, 50, 0), seq(2, 100, 300, false)], 1000)).toBe((120 + 50) * 1000);
  });
});

describe('timeKvMigration', () => {
  // Linear double: transferS = bytes / 1e9 s, whatever the placement.
  const cost = linearCostModel();
  const input = { cost, kvBytesPerToken: 1000, gpuShare: 0.5, placement: () => 'other-node' as const };

  it('charges each GPU its shard, and a transfer waits for the busier of its two ends', () => {
    const timing = timeKvMigration(
      [
        { source: 0, destination: 5, states: [], bytes: 4e9, startS: 10 }, // 2e9 per GPU: 2 s
        { source: 1, destination: 5, states: [], bytes: 2e9, startS: 11 }, // 1 s
        { source: 1, destination: 6, states: [], bytes: 6e9, startS: 11 }, // 3 s
      ],
      input,
    );
    // Source 0 sends 2 s; source 1 sends 1 + 3 = 4 s; destination 5 receives 2 + 1 = 3 s; 6 receives 3 s.
    expect(Object.fromEntries(timing.sendS)).toEqual({ 0: 2, 1: 4 });
    expect(timing.transfers.map((t) => t.arrivalS)).toEqual([10 + 3, 11 + 4, 11 + 4]);
  });

  it('costs nothing for sequences without KV', () => {
    const timing = timeKvMigration([{ source: 0, destination: 1, states: [], bytes: 0, startS: 5 }], input);
    expect(timing.transfers[0]!.arrivalS).toBe(5);
    expect(timing.sendS.get(0)).toBe(0);
  });
});
