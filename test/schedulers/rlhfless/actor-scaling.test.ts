import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseActorCount, type ScalingCandidate } from '../../../harness/schedulers/rlhfless/actor-scaling.js';

const candidate = (actors: number, timeS: number, costGpuS: number, violationS = 0): ScalingCandidate => ({ actors, timeS, costGpuS, feasible: violationS <= 0, violationS });

// More actors: faster but dearer, with a sweet spot at 3 (as RLHFless §3.5 observes).
const curve = [candidate(1, 100, 200), candidate(2, 60, 210), candidate(3, 45, 215), candidate(4, 40, 240), candidate(5, 38, 280)];

describe('cost-aware actor scaling', () => {
  it('min–max normalises time and cost and takes argmin λ·T̃ + (1 − λ)·C̃', () => {
    const choice = chooseActorCount(curve, 0.7);
    // N=3: 0.7·(45−38)/62 + 0.3·(215−200)/80 = 0.0790 + 0.05625; N=4: 0.7·2/62 + 0.3·40/80 = 0.1726.
    expect(choice.scores[2]).toBeCloseTo(0.7 * (7 / 62) + 0.3 * (15 / 80), 12);
    expect(choice.index).toBe(2);
  });

  it('λ = 1 picks the fastest N and λ = 0 the cheapest', () => {
    expect(curve[chooseActorCount(curve, 1).index]!.actors).toBe(5);
    expect(curve[chooseActorCount(curve, 0).index]!.actors).toBe(1);
  });

  it('treats a term whose max equals its min as 0 (no division by zero) and breaks ties towards fewer actors', () => {
    const flat = [candidate(1, 50, 100), candidate(2, 50, 90), candidate(3, 50, 90)];
    const choice = chooseActorCount(flat, 0.7);
    expect(choice.scores).toEqual([expect.closeTo(0.3, 12), 0, 0]);
    expect(choice.index).toBe(1);
  });

  it('normalises over the feasible candidates only, and falls back to the least violating one when none is', () => {
    const some = [candidate(1, 100, 200), candidate(2, 60, 210, 3), candidate(3, 45, 215)];
    expect(chooseActorCount(some, 1).index).toBe(2);
    expect(Number.isNaN(chooseActorCount(some, 1).scores[1]!)).toBe(true);
    const none = [candidate(1, 100, 200, 2), candidate(2, 60, 210, 0.5), candidate(3, 45, 215, 1)];
    expect(chooseActorCount(none, 0.7)).toEqual({ index: 1, scores: [NaN, NaN, NaN], noneFeasible: true });
  });

  it('over random candidate sets, λ = 1 and λ = 0 pick a fastest and a cheapest feasible N', () => {
    const arb = fc.array(fc.record({ t: fc.integer({ min: 1, max: 50 }), c: fc.integer({ min: 1, max: 50 }), v: fc.constantFrom(0, 0, 0, 1) }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(arb, (list) => {
        const cands = list.map((x, i) => candidate(i + 1, x.t, x.c, x.v));
        const feasible = cands.filter((c) => c.feasible);
        fc.pre(feasible.length > 0);
        expect(cands[chooseActorCount(cands, 1).index]!.timeS).toBe(Math.min(...feasible.map((c) => c.timeS)));
        expect(cands[chooseActorCount(cands, 0).index]!.costGpuS).toBe(Math.min(...feasible.map((c) => c.costGpuS)));
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});
