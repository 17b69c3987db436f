import { describe, expect, it } from 'vitest';
import { conformalBand } from '../../harness/stats/conformal-band.js';

describe('split-conformal band', () => {
  it('takes the ⌊(n+1)·0.1⌋-th and ⌈(n+1)·0.9⌉-th smallest residuals at 80 % coverage', () => {
    const residuals = Float64Array.from({ length: 19 }, (_, i) => i + 1); // 1…19
    // (19 + 1)·0.1 = 2 → 2nd smallest; (19 + 1)·0.9 = 18 → 18th smallest
    expect(conformalBand(residuals, 0.8)).toEqual({ low: 2, high: 18, guaranteed: true });
  });

  it('falls back to the range, not guaranteed, when n is too small for the order statistics', () => {
    expect(conformalBand(Float64Array.from([-1, 0, 3]), 0.8)).toEqual({ low: -1, high: 3, guaranteed: false });
  });

  it('holds at least the nominal share of new exchangeable residuals (seeded simulation)', () => {
    let state = 12345;
    const uniform = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    let inside = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const sample = Float64Array.from({ length: 12 }, uniform).sort();
      const band = conformalBand(sample, 0.8);
      const next = uniform();
      if (next >= band.low && next <= band.high) inside++;
    }
    expect(inside / trials).toBeGreaterThanOrEqual(0.78);
  });

  it('refuses an empty sample and a coverage outside (0, 1)', () => {
    expect(() => conformalBand(new Float64Array(0), 0.8)).toThrow(/empty/);
    expect(() => conformalBand(Float64Array.from([1]), 1)).toThrow(/coverage/);
  });
});
