import { describe, expect, it } from 'vitest';
import { fitSteps } from '../../harness/nightly/steps.js';
import { createRng } from '../../harness/util/rng.js';
import { CI_RUNNER_NOISE, drawRun, machineFactor } from './synthetic-timings.js';

/** One nightly median per run: each run on its own CI machine. */
function nightlyMedians(seed: string, runs: number, level: (run: number) => number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: runs }, (_, run) => {
    const samples = drawRun(rng, 10, level(run), machineFactor(rng, CI_RUNNER_NOISE), CI_RUNNER_NOISE).sort((a, b) => a - b);
    return (samples[4]! + samples[5]!) / 2;
  });
}

describe('fitSteps', () => {
  it('finds no step in a constant series', () => {
    expect(fitSteps([5, 5, 5, 5, 5]).steps).toEqual([]);
    expect(fitSteps([5, 5, 5, 5, 5]).segments).toEqual([{ start: 0, end: 5, level: 5 }]);
  });

  it('puts a deterministic change at the exact run, even the latest one', () => {
    const fit = fitSteps([2, 2, 2, 2, 2.5, 2.5, 2.5, 3], { minChangePct: 0 });
    expect(fit.steps.map((s) => s.index)).toEqual([4, 7]);
    expect(fit.steps[0]!.changePct).toBeCloseTo(25, 10);
    expect(fit.steps[1]!.before).toBeCloseTo(2.5, 12);
    expect(fit.steps[1]!.after).toBeCloseTo(3, 12);
  });

  it('works on values that are not all positive (linear fit)', () => {
    const fit = fitSteps([0, 0, 0, -1, -1, -1], { minChangePct: 0 });
    expect(fit.logScale).toBe(false);
    expect(fit.steps.map((s) => s.index)).toEqual([3]);
    expect(fit.segments.map((s) => s.level)).toEqual([0, -1]);
  });

  it('finds a 20 % slowdown in noisy nightly medians within a run of where it happened', () => {
    let found = 0;
    for (let seed = 0; seed < 50; seed++) {
      const series = nightlyMedians(`step-${seed}`, 40, (run) => (run >= 25 ? 1.2 : 1));
      const steps = fitSteps(series, { minChangePct: 5 }).steps;
      if (steps.some((s) => Math.abs(s.index - 25) <= 1 && s.changePct > 10)) found++;
    }
    expect(found).toBeGreaterThanOrEqual(45);
  });

  it('rarely invents steps in pure noise, and never from one outlying night', () => {
    let seriesWithSteps = 0;
    for (let seed = 0; seed < 100; seed++) {
      const series = nightlyMedians(`flat-${seed}`, 40, () => 1);
      if (fitSteps(series, { minChangePct: 5 }).steps.length > 0) seriesWithSteps++;
    }
    expect(seriesWithSteps).toBeLessThanOrEqual(5);
    const spike = [1, 1.01, 0.99, 1, 1.02, 1.5, 1, 0.99, 1.01, 1];
    expect(fitSteps(spike, { minChangePct: 5 }).steps).toEqual([]);
  });

  it('merges levels closer than minChangePct', () => {
    const series = [1, 1, 1, 1.03, 1.03, 1.03];
    expect(fitSteps(series, { minChangePct: 0 }).steps).toHaveLength(1);
    expect(fitSteps(series, { minChangePct: 5 }).steps).toHaveLength(0);
  });
});
