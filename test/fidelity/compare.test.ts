import { describe, expect, it } from 'vitest';
import { compareStages, fidelityRow, summariseByStage, summariseErrors } from '../../harness/fidelity/compare.js';

describe('compareStages', () => {
  it('gives errorPct = (simulated / measured − 1) · 100 for every stage both measured and simulated, in the canonical order', () => {
    const rows = compareStages('r1', { step: 100, gen: 50, ref: 0, update_actor: 20 }, { gen: 40, step: 150, ref: 3, values: 9 }, true);
    expect(rows.map((r) => r.stage)).toEqual(['gen', 'step']);
    expect(rows[0]).toMatchObject({ runId: 'r1', stage: 'gen', measuredS: 50, simulatedS: 40, inferredWorkload: true });
    expect(rows[0]!.errorPct).toBeCloseTo(-20, 12);
    expect(rows[1]!.errorPct).toBeCloseTo(50, 12);
  });
});

describe('summariseErrors', () => {
  it('takes the median and 90th percentile of |errorPct| and an 80 % band of the log-ratios that contains the central rows', () => {
    // Ten runs whose simulations are off by −40 % … +50 %.
    const ratios = [0.6, 0.7, 0.8, 0.9, 0.95, 1.05, 1.1, 1.2, 1.3, 1.5];
    const rows = ratios.map((r, i) => fidelityRow(`r${i}`, 'gen', 10, 10 * r, false));
    const s = summariseErrors(rows);
    const abs = ratios.map((r) => Math.abs(r - 1) * 100).sort((a, b) => a - b);
    expect(s.n).toBe(10);
    expect(s.medianAbsErrorPct).toBeGreaterThanOrEqual(abs[4]! - 1e-9);
    expect(s.medianAbsErrorPct).toBeLessThanOrEqual(abs[5]! + 1e-9);
    expect(s.p90AbsErrorPct).toBeGreaterThan(s.medianAbsErrorPct);
    expect(s.p90AbsErrorPct).toBeLessThanOrEqual(50 + 1e-9);
    expect(s.bandLogRatioLow).toBeLessThanOrEqual(Math.log(0.7));
    expect(s.bandLogRatioHigh).toBeGreaterThanOrEqual(Math.log(1.3));
    expect(s.bandLogRatioLow).toBeLessThan(0);
    expect(s.bandLogRatioHigh).toBeGreaterThan(0);
  });

  it('summarises per stage kind present, nothing for stages without rows', () => {
    const rows = [fidelityRow('a', 'step', 10, 12, false), fidelityRow('a', 'gen', 5, 4, false), fidelityRow('b', 'step', 10, 9, false)];
    const by = summariseByStage(rows);
    expect(Object.keys(by)).toEqual(['gen', 'step']);
    expect(by.step!.n).toBe(2);
    expect(by.gen!.medianAbsErrorPct).toBeCloseTo(20, 12);
  });
});
