import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GenerationCluster } from '../../../harness/schedulers/generation/cluster.js';
import { GenerationInstance } from '../../../harness/schedulers/generation/instance.js';
import type { EngineLimits, GenerationRequest, SampleFinish } from '../../../harness/schedulers/generation/types.js';
import { linearReplica } from '../../sim/fixtures/linear-cost.js';
import { naiveContinuousBatching } from './naive-reference.js';

const roomy: EngineLimits = { maxConcurrentSequences: 2, kvCapacityTokens: 1_000_000, maxBatchedTokens: 8192, admissionWatermark: 0 };

function single(id: number, prompt: number, response: number, group = id): GenerationRequest {
  return { groupIndex: group, promptTokens: prompt, sampleIds: [id], responseTokens: [response] };
}

function runAlone(requests: GenerationRequest[], limits: EngineLimits, cost = linearReplica()): Map<number, number> {
  const instance = new GenerationInstance(0, cost, limits);
  instance.enqueue(requests);
  const cluster = new GenerationCluster([instance], 1 + Math.max(...requests.flatMap((r) => r.sampleIds)));
  cluster.drain();
  const out = new Map<number, number>();
  cluster.finishOrder.forEach((id) => out.set(id, cluster.finishTimeS[id]!));
  return out;
}

describe('GenerationInstance on a tiny trace worked out by hand', () => {
  // prefill = 0.5 + 0.01·tokens; decode step = 1 + 0.1·batch + 0.001·context (linear test double).
  it('admits up to max sequences, prefills, decodes and lets each sample leave at its recorded length', () => {
    const finishes = runAlone([single(0, 10, 3), single(1, 10, 1), single(2, 10, 2)], roomy);
    // t=0: A and B admitted (max 2): prefill 20 tokens = 0.7 s; B's one token came from the prefill, so B leaves at 0.7.
    expect(finishes.get(1)).toBeCloseTo(0.7, 12);
    // t=0.7: C admitted into the free slot: prefill 10 tokens = 0.6 s -> 1.3.
    // t=1.3: decode A (ctx 11) and C (ctx 11): 1 + 0.2 + 0.022 = 1.222 -> 2.522; C has its 2 tokens.
    expect(finishes.get(2)).toBeCloseTo(2.522, 12);
    // t=2.522: decode A alone (ctx 12): 1 + 0.1 + 0.012 = 1.112 -> 3.634.
    expect(finishes.get(0)).toBeCloseTo(3.634, 12);
  });

  it('shares one prompt prefill and its KV across a group when prompt sharing is on', () => {
    const grouped: GenerationRequest = { groupIndex: 0, promptTokens: 100, sampleIds: [0, 1], responseTokens: [1, 2] };
    const instance = new GenerationInstance(0, linearReplica(), { ...roomy, maxConcurrentSequences: 4 });
    instance.enqueue([grouped]);
    const cluster = new GenerationCluster([instance], 2);
    cluster.runUntil((c) => c.finishedCount === 1);
    // One prefill of the 100-token prompt (0.5 + 1.0), both samples emit a token; sample 0 is done.
    expect(cluster.finishTimeS[0]).toBeCloseTo(1.5, 12);
    // KV now: prompt once (100) + sample 1's one token = 101.
    expect(instance.kvUsedTokens).toBe(101);
    cluster.drain();
    // One decode step of batch 1 at context 101: 1 + 0.1 + 0.101.
    expect(cluster.finishTimeS[1]).toBeCloseTo(1.5 + 1.201, 12);
    expect(instance.kvUsedTokens).toBe(0);
  });

  it('preempts the most recently admitted request when the KV cache is full, and recomputes it later', () => {
    // Capacity 30 tokens: A (prompt 10, 10 tokens) and B (prompt 10, 10 tokens) both fit at admission
    // (11 + 11 = 22) but not at full length (40). B, admitted last, is preempted.
    const limits: EngineLimits = { maxConcurrentSequences: 2, kvCapacityTokens: 30, maxBatchedTokens: 8192, admissionWatermark: 0 };
    const requests = [single(0, 10, 10), single(1, 10, 10)];
    const cost = linearReplica();
    const instance = new GenerationInstance(0, cost, limits);
    instance.enqueue(requests);
    const cluster = new GenerationCluster([instance], 2);
    cluster.drain();
    expect(instance.counters.preemptions).toBeGreaterThan(0);
    expect(instance.counters.recomputedTokens).toBeGreaterThan(0);
    const naive = naiveContinuousBatching(cost, limits, requests);
    expect(instance.counters.preemptions).toBe(naive.preemptions);
    for (const id of [0, 1]) expect(cluster.finishTimeS[id]).toBeCloseTo(naive.finishTimeS.get(id)!, 9);
  });

  it('refuses a request that can never fit instead of spinning', () => {
    const instance = new GenerationInstance(0, linearReplica(), { ...roomy, kvCapacityTokens: 5 });
    expect(() => instance.enqueue([single(0, 10, 3)])).toThrow(/can never be admitted/);
  });
});

const requestArbitrary = (sharing: boolean) =>
  fc.record({
    prompt: fc.integer({ min: 1, max: 40 }),
    responses: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: sharing ? 4 : 1 }),
  });

function toRequests(list: { prompt: number; responses: number[] }[]): GenerationRequest[] {
  let id = 0;
  return list.map((r, group) => ({ groupIndex: group, promptTokens: r.prompt, sampleIds: r.responses.map(() => id++), responseTokens: r.responses }));
}

describe('the event-jumping instance equals the per-token loop', () => {
  it('gives the same finish time for every sample over random traces, limits and costs (incl. preemption)', () => {
    fc.assert(
      fc.property(
        fc.boolean().chain((sharing) => fc.tuple(fc.constant(sharing), fc.array(requestArbitrary(sharing), { minLength: 1, maxLength: 25 }))),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 200 }),
        fc.constantFrom(0, 0.01),
        fc.integer({ min: 16, max: 400 }),
        fc.double({ min: 0, max: 0.01, noNaN: true }),
        ([, list], maxSeqs, extraKv, watermark, maxBatchedTokens, perContext) => {
          const requests = toRequests(list);
          const worst = Math.max(...requests.map((r) => r.promptTokens + r.responseTokens.reduce((a, b) => a + Math.max(1, b) + 1, 0)));
          const limits: EngineLimits = {
            maxConcurrentSequences: Math.max(maxSeqs, ...requests.map((r) => r.sampleIds.length)),
            kvCapacityTokens: Math.ceil(worst / (1 - watermark)) + 1 + extraKv,
            maxBatchedTokens,
            admissionWatermark: watermark,
          };
          const cost = linearReplica({ decodePerContextTokenS: perContext });
          const naive = naiveContinuousBatching(cost, limits, requests);
          const fast = runAlone(requests, limits, cost);
          expect(fast.size).toBe(naive.finishTimeS.size);
          for (const [id, time] of naive.finishTimeS) expect(fast.get(id)).toBeCloseTo(time, 8);
        },
      ),
      { seed: 1, numRuns: 300 },
    );
  });
});

describe('stepping from outside', () => {
  const requests = toRequests(Array.from({ length: 12 }, (_, i) => ({ prompt: 5 + i, responses: [3 + ((i * 7) % 23)] })));
  const limits: EngineLimits = { maxConcurrentSequences: 4, kvCapacityTokens: 100_000, maxBatchedTokens: 8192, admissionWatermark: 0 };

  it('stops at the exact event where a global condition first holds', () => {
    const instance = new GenerationInstance(0, linearReplica(), limits);
    instance.enqueue(requests);
    const cluster = new GenerationCluster([instance], 12);
    expect(cluster.runUntil((c) => c.unfinishedCount <= 4)).toBe(true);
    expect(cluster.unfinishedCount).toBe(4);
    const naive = naiveContinuousBatching(linearReplica(), limits, requests);
    const eighth = [...naive.finishTimeS.values()].sort((a, b) => a - b)[7]!;
    expect(cluster.nowS).toBeCloseTo(eighth, 9);
  });

  it('taking the unfinished samples and adding them back with their KV changes nothing', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 60, noNaN: true }), (pauseS) => {
        const reference = runAlone(requests, limits);
        const instance = new GenerationInstance(0, linearReplica(), limits);
        instance.enqueue(requests);
        const cluster = new GenerationCluster([instance], 12);
        cluster.runUntil(undefined, pauseS);
        const { states, atS } = cluster.takeUnfinished(0, pauseS);
        expect(atS).toBeGreaterThanOrEqual(pauseS);
        cluster.addSequences(0, states, atS);
        cluster.drain();
        for (const [id, time] of reference) expect(cluster.finishTimeS[id]).toBeCloseTo(time, 8);
      }),
      { seed: 2, numRuns: 60 },
    );
  });

  it('migrates running samples with their context to another instance, which decodes them without prefill', () => {
    const a = new GenerationInstance(0, linearReplica(), limits);
    const b = new GenerationInstance(1, linearReplica(), limits);
    a.enqueue([single(0, 10, 50), single(1, 10, 2)]);
    const cluster = new GenerationCluster([a, b], 2);
    cluster.runUntil((c) => c.finishedCount === 1);
    // Sample 1 finished after prefill (0.7 s) and one decode step; sample 0 has generated 2 tokens.
    const { states, atS } = cluster.takeUnfinished(0, cluster.nowS);
    expect(states).toEqual([{ sampleId: 0, groupIndex: 0, promptTokens: 10, responseTokens: 50, generatedTokens: 2, kvResident: true }]);
    const arrivalS = atS + 0.25;
    const added = cluster.addSequences(1, states, arrivalS);
    expect(added).toMatchObject({ running: 1, queued: 0 });
    expect(b.kvUsedTokens).toBe(12);
    const releasedAt = cluster.release(0, atS);
    expect(releasedAt).toBe(atS);
    cluster.drain();
    // 48 more decode steps of batch 1 from context 12, starting when the KV arrived; no prefill.
    const expected = arrivalS + linearReplica().decodeStepsS(1, 12, 48);
    expect(cluster.finishTimeS[0]).toBeCloseTo(expected, 9);
    expect(b.counters.prefillSteps).toBe(0);
    expect(cluster.finishInstance[0]).toBe(1);
  });

  it('reports every finish exactly once through the callback, in time order per instance', () => {
    const seen: SampleFinish[] = [];
    const instances = [0, 1, 2].map((i) => new GenerationInstance(i, linearReplica(), limits));
    requests.forEach((r, i) => instances[i % 3]!.enqueue([r]));
    const cluster = new GenerationCluster(instances, 12, (f) => seen.push(f));
    cluster.drain();
    expect(seen.map((f) => f.sampleId).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.timeS).toBeGreaterThanOrEqual(seen[i - 1]!.timeS);
  });
});
