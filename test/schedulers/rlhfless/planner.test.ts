import { describe, expect, it } from 'vitest';
import { DecodeProfile } from '../../../harness/schedulers/rlhfless/decode-profile.js';
import { chunkBounds, groupOrder, planStep, type PlannerInput } from '../../../harness/schedulers/rlhfless/planner.js';
import { linearReplica } from '../../sim/fixtures/linear-cost.js';

const replica = linearReplica();

/** Decode of sequences (prompt p, response l) started together, summed step by step on the test double. */
function stepByStep(prompt: number, lengths: number[]): number {
  let total = 0;
  const longest = Math.max(...lengths);
  for (let step = 0; step < longest; step++) {
    const alive = lengths.filter((l) => l > step);
    total += replica.decodeStepS(alive.length, alive.length * (prompt + step));
  }
  return total;
}

describe('the decode profile', () => {
  it('equals the step-by-step sum when step time is affine in batch and context', () => {
    const profile = new DecodeProfile(replica);
    const lengths = [40, 30, 7];
    const context = lengths.reduce((sum, l) => sum + 5 * l + (l * (l - 1)) / 2, 0);
    expect(profile.decodeS(40, 77, context)).toBeCloseTo(stepByStep(5, lengths), 9);
    expect(profile.decodeS(0, 0, 0)).toBe(0);
  });
});

describe('prompt assignment', () => {
  it('sorts by predicted length, longest first, ties in trace order', () => {
    expect([...groupOrder(Float64Array.from([10, 40, 20, 40]), 'predicted')]).toEqual([1, 3, 2, 0]);
    expect([...groupOrder(Float64Array.from([10, 40, 20, 40]), 'trace')]).toEqual([0, 1, 2, 3]);
  });

  it('cuts contiguous equal-count chunks; the later, shorter chunks take the remainder', () => {
    expect([...chunkBounds(10, 3)]).toEqual([0, 3, 6, 10]);
    expect([...chunkBounds(4, 4)]).toEqual([0, 1, 2, 3, 4]);
  });
});

function input(overrides: Partial<PlannerInput> = {}, predicted = [10, 40, 20, 30]): PlannerInput {
  const n = predicted.length;
  return {
    groups: {
      samples: new Int32Array(n).fill(1),
      predictedTokens: Float64Array.from(predicted),
      promptTokens: new Int32Array(n).fill(5),
      ownPrefillTokens: new Float64Array(n).fill(5),
      promptKvTokens: new Float64Array(n).fill(5),
      prefixTokens: new Int32Array(n),
    },
    order: 'predicted',
    actorGpus: 1,
    gpusPerNode: 2,
    minActors: 1,
    maxActors: 4,
    lambda: 0.7,
    localityForm: 'off',
    timing: {
      prefillActorS: 0,
      weightSyncS: { 'same-gpu': 0, 'same-node': 1, 'other-node': 3 },
      kvTransferS: (tokens) => tokens * 0.01,
      prefillSPerToken: 0.01,
      kvUsableTokens: 1e9,
      maxSequences: 1000,
    },
    profile: new DecodeProfile(replica),
    ...overrides,
  };
}

describe('planning a step', () => {
  it('estimates each actor from its chunk and placement; the heaviest sits on the learner\'s GPUs', () => {
    const plan = planStep({ ...input(), minActors: 2, maxActors: 2 });
    const [first, second] = plan.actors;
    expect([...first!.groups]).toEqual([1, 3]);
    expect([...second!.groups]).toEqual([2, 0]);
    expect(first!.placement).toBe('same-gpu');
    expect(second!.placement).toBe('same-node');
    expect(first!.decodeS).toBeCloseTo(10 * 0.01 + stepByStep(5, [40, 30]), 9);
    expect(second!.startS).toBe(1);
    const candidate = plan.candidates[0]!;
    expect(candidate.timeS).toBeCloseTo(Math.max(first!.decodeS, 1 + second!.decodeS), 9);
    expect(candidate.costGpuS).toBeCloseTo(first!.decodeS + 1 + second!.decodeS, 9);
  });

  it('places actors beyond the first node on the other node, and chooses among all candidates', () => {
    const plan = planStep({ ...input(), lambda: 1 });
    expect(plan.candidates.map((c) => c.actors)).toEqual([1, 2, 3, 4]);
    const fastest = plan.candidates.reduce((a, b) => (b.timeS < a.timeS ? b : a));
    expect(plan.actors.length).toBe(fastest.actors);
    const cheapest = planStep({ ...input(), lambda: 0 });
    expect(cheapest.actors.length).toBe(plan.candidates.reduce((a, b) => (b.costGpuS < a.costGpuS ? b : a)).actors);
    const four = planStep({ ...input(), minActors: 4 });
    expect(four.actors.map((a) => a.placement)).toEqual(['same-gpu', 'same-node', 'other-node', 'other-node']);
  });

  it("applies the paper's sum form or the stricter max form of the locality constraint", () => {
    // Equal lengths: actor 2's decode equals actor 1's. L_Prefill 5, L_Model 1, L_KV 0.5 (50 tokens).
    const equal = [30, 30];
    const base = input({ minActors: 2, maxActors: 2, timing: { ...input().timing, prefillActorS: 5 }, groups: { ...input({}, equal).groups, prefixTokens: Int32Array.from([50, 50]) } }, equal);
    expect(planStep({ ...base, localityForm: 'sum' }).candidates[0]!.feasible).toBe(true);
    const strict = planStep({ ...base, localityForm: 'max' }).candidates[0]!;
    expect(strict.feasible).toBe(false);
    expect(strict.violationS).toBeCloseTo(0.5, 9);
  });

  it('splits in trace order when assignment is off, and still puts the heaviest chunk on actor 1', () => {
    const plan = planStep({ ...input(), order: 'trace', minActors: 2, maxActors: 2 });
    // Chunks {0, 1} (10, 40 tokens) and {2, 3} (20, 30): the one holding the 40-token response is heavier.
    expect([...plan.actors[0]!.groups]).toEqual([0, 1]);
    expect([...plan.actors[1]!.groups]).toEqual([2, 3]);
    expect(plan.actors[0]!.decodeS).toBeGreaterThan(plan.actors[1]!.decodeS);
  });
});
