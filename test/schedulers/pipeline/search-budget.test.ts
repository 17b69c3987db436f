import { describe, expect, it } from 'vitest';
import { BudgetMeter } from '../../../harness/schedulers/pipeline/search-budget.js';

describe('BudgetMeter', () => {
  it('counts to its limit and then refuses', () => {
    const meter = new BudgetMeter({ maxEvaluations: 3 });
    expect([meter.spend(), meter.spend(), meter.spend(), meter.spend()]).toEqual([true, true, true, false]);
    expect([meter.evaluations, meter.remaining, meter.exhausted]).toEqual([3, 0, true]);
  });

  it('slices a share that counts on the whole and ends at its own limit or the whole', () => {
    const meter = new BudgetMeter({ maxEvaluations: 10 });
    meter.spend();
    const slice = meter.slice(4);
    expect(slice.remaining).toBe(4);
    for (let i = 0; i < 6; i++) slice.spend();
    expect([slice.exhausted, slice.evaluations, meter.evaluations, meter.remaining]).toEqual([true, 5, 5, 5]);
    const tail = meter.slice(100);
    expect(tail.remaining).toBe(5);
    while (tail.spend());
    expect([tail.exhausted, meter.exhausted, meter.evaluations]).toEqual([true, true, 10]);
  });

  it('stops at a deadline and says so', () => {
    let clock = 0;
    const meter = new BudgetMeter({ maxEvaluations: 1_000_000, now: () => clock, deadlineMs: 5 });
    for (let i = 0; i < 600; i++) meter.spend();
    clock = 6;
    while (meter.spend());
    expect(meter.timedOut).toBe(true);
    expect(meter.remaining).toBe(0);
    expect(meter.slice(10).exhausted).toBe(true);
  });
});
