import { describe, expect, it } from 'vitest';
import type { SequenceState } from '../../../harness/schedulers/generation/types.js';
import { assignDestinations, chooseSurvivors, reservedTokens, survivorCount, type InstanceSnapshot } from '../../../harness/schedulers/rlhfuse/survivors.js';

const state = (sampleId: number, promptTokens: number, generatedTokens: number, kvResident = true): SequenceState => ({
  sampleId,
  groupIndex: sampleId,
  promptTokens,
  responseTokens: 10_000,
  generatedTokens,
  kvResident,
});

const instance = (index: number, states: SequenceState[], remainingTokens: number): InstanceSnapshot => ({
  index,
  states,
  residentKvTokens: states.reduce((n, s) => n + (s.kvResident ? s.promptTokens + s.generatedTokens : 0), 0),
  remainingTokens,
});

describe('reservedTokens', () => {
  it('reserves the current context plus the next token, or room to grow to the cap', () => {
    expect(reservedTokens(state(0, 100, 40), 'current-context', 512)).toBe(141);
    expect(reservedTokens(state(0, 100, 40), 'max-length', 512)).toBe(612);
    // Past the cap (recorded lengths can exceed it only before clipping) it keeps what is there.
    expect(reservedTokens(state(0, 100, 600), 'max-length', 512)).toBe(701);
  });
});

describe('survivorCount', () => {
  it('takes the tightest of the flat-batch, KV-memory and sequence-slot constraints', () => {
    expect(survivorCount({ unfinished: 100, flatBatchLimit: 16, reservedKvTokens: 1000, kvCapacityTokens: 10_000, maxConcurrentSequences: 256 })).toEqual({ m: 7, byFlatBatch: 7, byKvMemory: 1, bySequenceSlots: 1 });
    expect(survivorCount({ unfinished: 100, flatBatchLimit: 64, reservedKvTokens: 250_000, kvCapacityTokens: 60_000, maxConcurrentSequences: 256 }).m).toBe(5);
    expect(survivorCount({ unfinished: 100, flatBatchLimit: 64, reservedKvTokens: 10, kvCapacityTokens: 60_000, maxConcurrentSequences: 8 }).m).toBe(13);
    expect(survivorCount({ unfinished: 0, flatBatchLimit: 16, reservedKvTokens: 0, kvCapacityTokens: 1, maxConcurrentSequences: 1 }).m).toBe(1);
  });
});

describe('chooseSurvivors', () => {
  const a = instance(0, [state(1, 100, 500)], 10); // 600 resident, 1 sample, 10 left
  const b = instance(1, [state(2, 100, 50), state(3, 100, 50)], 3000); // 300 resident, 2 samples
  const c = instance(2, [state(4, 100, 200)], 50); // 300 resident, 1 sample

  it('keeps the instances with the most resident KV (least data to move)', () => {
    expect(chooseSurvivors([a, b, c], 1, 'resident-kv-tokens')).toEqual([0]);
    // b and c tie on KV; b has more unfinished samples.
    expect(chooseSurvivors([a, b, c], 2, 'resident-kv-tokens')).toEqual([0, 1]);
  });

  it('can rank by unfinished samples or, as an oracle, by the tokens truly left', () => {
    expect(chooseSurvivors([a, b, c], 1, 'unfinished-samples')).toEqual([1]);
    expect(chooseSurvivors([a, b, c], 2, 'oracle-remaining-tokens')).toEqual([1, 2]);
  });
});

describe('assignDestinations', () => {
  it('sends the largest reservations first, each to the survivor with the least reserved KV', () => {
    const s0 = instance(0, [state(10, 0, 99)], 0); // reserves 100
    const s1 = instance(1, [state(11, 0, 9)], 0); // reserves 10
    const migrated = [state(1, 0, 49), state(2, 0, 69), state(3, 0, 19)]; // reserve 50, 70, 20
    const out = assignDestinations(migrated, [s0, s1], (s) => reservedTokens(s, 'current-context', 0), 256);
    // 70 → s1 (10 → 80); 50 → s1 (80 → 130)? no: s0 has 100 < 80? 80 < 100, so s1 (→ 130); 20 → s0 (100 → 120).
    expect(out.get(1)!.map((s) => s.sampleId)).toEqual([2, 1]);
    expect(out.get(0)!.map((s) => s.sampleId)).toEqual([3]);
  });

  it('prefers a survivor with a free sequence slot over a less loaded one without', () => {
    const reserve = (s: SequenceState) => reservedTokens(s, 'current-context', 0);
    const atLimit = instance(0, [state(10, 0, 0), state(11, 0, 0)], 0); // 2 sequences, reserves 2
    const roomy = instance(1, [state(12, 0, 999)], 0); // 1 sequence, reserves 1000
    expect(assignDestinations([state(1, 0, 0)], [atLimit, roomy], reserve, 2).get(1)!.map((s) => s.sampleId)).toEqual([1]);
    // With room everywhere the least loaded wins again.
    expect(assignDestinations([state(1, 0, 0)], [atLimit, roomy], reserve, 3).get(0)!.map((s) => s.sampleId)).toEqual([1]);
    // With no room anywhere too.
    expect(assignDestinations([state(1, 0, 0)], [atLimit, roomy], reserve, 1).get(0)!.map((s) => s.sampleId)).toEqual([1]);
  });
});
