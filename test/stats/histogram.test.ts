import { describe, expect, it } from 'vitest';
import { histogram } from '../../harness/stats/histogram.js';

describe('histogram', () => {
  it('counts into equal-width bins, the last one closed', () => {
    expect(histogram([0, 1, 2.5, 5, 7.5, 10], { binCount: 4 })).toEqual([
      { start: 0, end: 2.5, count: 2 },
      { start: 2.5, end: 5, count: 1 },
      { start: 5, end: 7.5, count: 1 },
      { start: 7.5, end: 10, count: 2 },
    ]);
  });

  it('uses geometric edges on a log scale', () => {
    const bins = histogram([1, 5, 10, 50, 100, 1000], { binCount: 3, scale: 'log' });
    expect(bins.map((b) => b.count)).toEqual([2, 2, 2]);
    expect(bins[1]!.start).toBeCloseTo(10, 12);
    expect(bins[2]!.start).toBeCloseTo(100, 12);
    expect(bins[2]!.end).toBe(1000);
  });

  it('aligns with a shared domain and refuses values outside it', () => {
    expect(histogram([3], { binCount: 2, domain: [0, 4] })).toEqual([
      { start: 0, end: 2, count: 0 },
      { start: 2, end: 4, count: 1 },
    ]);
    expect(() => histogram([5], { binCount: 2, domain: [0, 4] })).toThrow(/outside the domain/);
  });

  it('puts identical values in one bin around them', () => {
    expect(histogram([7, 7, 7], { binCount: 10 })).toEqual([{ start: 6.5, end: 7.5, count: 3 }]);
  });

  it('refuses non-positive values on a log scale, and bad bin counts', () => {
    expect(() => histogram([0, 1], { binCount: 2, scale: 'log' })).toThrow(RangeError);
    expect(() => histogram([1], { binCount: 0 })).toThrow(RangeError);
  });

  it('handles a million values (no argument spreading)', () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => i % 1000);
    const bins = histogram(values, { binCount: 10 });
    expect(bins.reduce((sum, b) => sum + b.count, 0)).toBe(1_000_000);
    expect(bins[0]!.count).toBe(100_000);
  });
});
