import { describe, expect, it } from 'vitest';
import { evenShares, evenSplits, gcd, givenSplits, lcm, rolloutGpusOfShare, splitCountProblem, splitStep } from '../../../harness/whatif/async/splits.js';

describe('evenShares', () => {
  it('is k / (N + 1) for k = 1…N, so neither side is ever empty', () => {
    expect(evenShares(3)).toEqual([0.25, 0.5, 0.75]);
    expect(evenShares(1)).toEqual([0.5]);
  });
});

describe('gcd and lcm', () => {
  it('are the usual ones', () => {
    expect([gcd(12, 18), gcd(7, 5), gcd(4, 0)]).toEqual([6, 1, 4]);
    expect([lcm(4, 6), lcm(4, 4, 2), lcm(8, 3), lcm()]).toEqual([12, 4, 24, 1]);
  });
});

describe('rolloutGpusOfShare', () => {
  it('rounds to the nearest whole step, halves up', () => {
    // 0.3 of 128 = 38.4 GPUs = 9.6 steps of 4 → 10 steps.
    expect(rolloutGpusOfShare(0.3, 128, 4)).toBe(40);
    // 0.5 of 12 = 6 GPUs = 1.5 steps of 4 → 2 steps.
    expect(rolloutGpusOfShare(0.5, 12, 4)).toBe(8);
  });

  it('keeps at least one step for the rollouter and one for the trainer', () => {
    expect(rolloutGpusOfShare(0.01, 128, 4)).toBe(4);
    expect(rolloutGpusOfShare(0.99, 128, 4)).toBe(124);
    // 16 GPUs in steps of 8: the largest that leaves the trainer a step is 8.
    expect(rolloutGpusOfShare(0.9, 16, 8)).toBe(8);
  });
});

describe('evenSplits', () => {
  it('gives the 20 splits of 128 GPUs in steps of 4 (computed by hand: round(128 k / 21 / 4) × 4)', () => {
    const splits = evenSplits(128, 20, 4);
    expect(splits.map((s) => s.rolloutGpus)).toEqual([8, 12, 20, 24, 32, 36, 44, 48, 56, 60, 68, 72, 80, 84, 92, 96, 104, 108, 116, 120]);
    expect(splits.every((s) => s.rolloutGpus + s.trainerGpus === 128 && s.totalGpus === 128)).toBe(true);
    expect(splits[0]!.requestedShares).toEqual([1 / 21]);
  });

  it('merges shares that round to the same GPUs into one split that keeps them all', () => {
    // 16 GPUs, steps of 4, shares 1/8…7/8 = 2, 4, …, 14 GPUs: 0.5 and 1 step → 4; 1.5 and 2 → 8; 2.5, 3 and 3.5 (capped at 12) → 12.
    const splits = evenSplits(16, 7, 4);
    expect(splits.map((s) => [s.rolloutGpus, s.trainerGpus, s.requestedShares])).toEqual([
      [4, 12, [1 / 8, 2 / 8]],
      [8, 8, [3 / 8, 4 / 8]],
      [12, 4, [5 / 8, 6 / 8, 7 / 8]],
    ]);
  });
});

describe('givenSplits', () => {
  it('takes the rollout GPUs as given and the rest for the trainer', () => {
    expect(givenSplits(64, [6, 32])).toEqual([
      { totalGpus: 64, rolloutGpus: 6, trainerGpus: 58, requestedShares: [] },
      { totalGpus: 64, rolloutGpus: 32, trainerGpus: 32, requestedShares: [] },
    ]);
  });
});

describe('splitStep', () => {
  it('is a multiple of both sides when the total allows, else of the rollout unit', () => {
    expect(splitStep(128, { rolloutUnit: 4, trainerUnit: 4 })).toBe(4);
    expect(splitStep(128, { rolloutUnit: 4, trainerUnit: 16 })).toBe(16);
    expect(splitStep(96, { rolloutUnit: 8, trainerUnit: 12 })).toBe(24);
    // 100 is no multiple of 8: the trainer's rule is left to each split.
    expect(splitStep(100, { rolloutUnit: 4, trainerUnit: 8 })).toBe(4);
  });
});

describe('splitCountProblem', () => {
  const rules = { rolloutUnit: 4, trainerUnit: 8 };
  it('accepts a split both sides can hold', () => {
    expect(splitCountProblem({ totalGpus: 64, rolloutGpus: 16, trainerGpus: 48, requestedShares: [] }, rules)).toBeUndefined();
  });
  it.each([
    [2, 62, '2 rollout GPUs hold no rollout server of generation TP 4'],
    [6, 58, '6 rollout GPUs are not a whole number of rollout servers of generation TP 4'],
    [64, 0, '64 rollout GPUs leave no GPU of the 64 to the trainer'],
    [20, 44, "44 trainer GPUs are not a multiple of 8 (a training replica's TP × PP × CP GPUs and the Ulysses group)"],
  ])('refuses %i rollout : %i trainer GPUs with the reason', (rollout, trainer, reason) => {
    expect(splitCountProblem({ totalGpus: 64, rolloutGpus: rollout, trainerGpus: trainer, requestedShares: [] }, rules)).toBe(reason);
  });
});
