import { describe, expect, it } from 'vitest';
import type { RecordedStep } from '../../harness/whatif/recorded-run.js';
import { pairSteps } from '../../harness/whatif/step-pairing.js';

const steps = (...numbers: number[]): RecordedStep[] => numbers.map((step) => ({ step, startS: step, durationS: 1, busyFraction: 0.5, stagesS: {} }));

describe('pairing recorded steps with lengths-trace iterations', () => {
  it('pairs by number when the lengths trace has every recorded step, and says how many it has', () => {
    const pairing = pairSteps(steps(4, 5, 6), [0, 1, 2, 3, 4, 5, 6, 7]);
    expect(pairing.by).toBe('number');
    expect(pairing.pairs.map((p) => [p.step.step, p.iterationIndex, p.iteration])).toEqual([
      [4, 4, 4],
      [5, 5, 5],
      [6, 6, 6],
    ]);
    expect(pairing.iterationIndices).toEqual([4, 5, 6]);
    expect(pairing.notes).toEqual(['the GPU trace records 3 steps and the lengths trace gives 8 iterations: compared iterations 4–6, paired by number']);
  });

  it('pairs in order, with a note, when the counts disagree', () => {
    const pairing = pairSteps(steps(551, 552, 553), [0, 1]);
    expect(pairing.by).toBe('order');
    expect(pairing.pairs.map((p) => [p.step.step, p.iteration])).toEqual([
      [551, 0],
      [552, 1],
    ]);
    expect(pairing.notes).toEqual(['the GPU trace records 3 steps and the lengths trace gives 2 iterations: compared the first 2, in order']);
  });

  it('pairs in order, with a note, when the counts agree but the numbers do not', () => {
    const pairing = pairSteps(steps(10, 11), [0, 1]);
    expect(pairing.pairs.map((p) => p.iteration)).toEqual([0, 1]);
    expect(pairing.notes).toEqual(['recorded steps 10, 11 paired in order with iterations 0, 1']);
  });

  it('compares at most --iterations steps', () => {
    const pairing = pairSteps(steps(0, 1, 2), [0, 1, 2], 2);
    expect(pairing.iterationIndices).toEqual([0, 1]);
    expect(pairing.notes).toEqual(['compared 2 of 3 recorded steps (--iterations 2)']);
  });

  it('simulates the first iterations when nothing was recorded per step', () => {
    expect(pairSteps([], [7, 8, 9])).toEqual({ pairs: [], iterationIndices: [0, 1, 2], by: 'none', notes: [] });
    expect(pairSteps([], [7, 8, 9], 1).iterationIndices).toEqual([0]);
  });
});
