import { describe, expect, it } from 'vitest';
import { compareExact, withinTolerance } from '../../harness/nightly/compare.js';

describe('withinTolerance', () => {
  it('passes |current − baseline| ≤ absolute + relative·|baseline|', () => {
    expect(withinTolerance(10.5, 10, { kind: 'close', relative: 0.05, absolute: 0 })).toBe(true);
    expect(withinTolerance(10.51, 10, { kind: 'close', relative: 0.05, absolute: 0 })).toBe(false);
    expect(withinTolerance(-9.4, -10, { kind: 'close', relative: 0.05, absolute: 0.1 })).toBe(true);
    expect(withinTolerance(0.1, 0, { kind: 'close', relative: 0.5, absolute: 0 })).toBe(false);
    expect(withinTolerance(1 + 1e-12, 1, { kind: 'close', relative: 1e-9, absolute: 0 })).toBe(true);
    expect(withinTolerance(1 + 1e-12, 1, { kind: 'exact' })).toBe(false);
  });
});

describe('compareExact', () => {
  const figure = { name: 'x', unit: 's', mode: 'exact' as const, value: 12 };
  it('is new without a baseline, changed outside the tolerance, and says when the unit changed', () => {
    expect(compareExact(figure, undefined, { kind: 'exact' })).toEqual({ mode: 'exact', verdict: 'new' });
    expect(compareExact(figure, { value: 10, unit: 's' }, { kind: 'close', relative: 0.1, absolute: 0 })).toEqual({ mode: 'exact', verdict: 'changed', baseline: 10, absoluteChange: 2, relativeChange: 0.2 });
    expect(compareExact(figure, { value: 12, unit: 'ms' }, { kind: 'exact' })).toEqual({ mode: 'exact', verdict: 'changed', baseline: 12, absoluteChange: 0, relativeChange: 0, reason: "unit changed from 'ms' to 's'" });
    expect(compareExact(figure, { value: 0, unit: 's' }, { kind: 'exact' }).relativeChange).toBeNull();
  });
});
