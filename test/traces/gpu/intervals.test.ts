import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { busyFractionPerBin, gapsWithin, lengthWithin, totalLength, unionOfIntervals } from '../../../harness/traces/gpu/intervals.js';

/** The obvious union: sort by start, merge overlapping or touching runs. */
function naiveUnion(intervals: readonly [number, number][]): [number, number][] {
  const sorted = [...intervals].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function pairs(merged: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < merged.length; i += 2) out.push([merged[i] as number, merged[i + 1] as number]);
  return out;
}

function union(intervals: readonly [number, number][]): Float64Array {
  return unionOfIntervals(
    intervals.map(([s]) => s),
    intervals.map(([, e]) => e),
  );
}

describe('unionOfIntervals', () => {
  it('counts overlapping streams once', () => {
    // Two streams: [0,4) and [2,6) overlap; [8,9) stands alone; [9,10) touches it.
    const merged = union([
      [0, 4],
      [2, 6],
      [8, 9],
      [9, 10],
    ]);
    expect(pairs(merged)).toEqual([
      [0, 6],
      [8, 10],
    ]);
    expect(totalLength(merged)).toBe(8);
  });

  it('keeps nested intervals inside the outer one and drops empty ones', () => {
    expect(
      pairs(
        union([
          [1, 10],
          [2, 3],
          [4, 4],
          [5, 6],
        ]),
      ),
    ).toEqual([[1, 10]]);
    expect(pairs(union([[3, 3]]))).toEqual([]);
    expect(union([]).length).toBe(0);
  });

  it('agrees with a sort-and-merge union on random intervals', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 200 })).map(([s, d]) => [s, s + d] as [number, number]);
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 60 }), (intervals) => {
        expect(pairs(union(intervals))).toEqual(naiveUnion(intervals));
      }),
      { seed: 1, numRuns: 300 },
    );
  });
});

describe('queries on merged intervals', () => {
  const merged = union([
    [0, 2],
    [5, 6],
    [8, 12],
  ]);

  it('measures the busy length inside a window', () => {
    expect(lengthWithin(merged, 1, 9)).toBe(1 + 1 + 1);
    expect(lengthWithin(merged, -5, 20)).toBe(7);
    expect(lengthWithin(merged, 2, 5)).toBe(0);
    expect(lengthWithin(merged, 9, 9)).toBe(0);
  });

  it('finds the idle gaps of at least a threshold, including the edges of the window', () => {
    expect(gapsWithin(merged, -1, 14, 0)).toEqual([
      { startS: -1, endS: 0 },
      { startS: 2, endS: 5 },
      { startS: 6, endS: 8 },
      { startS: 12, endS: 14 },
    ]);
    expect(gapsWithin(merged, -1, 14, 2.5)).toEqual([{ startS: 2, endS: 5 }]);
    expect(gapsWithin(merged, 0, 12, 0)).toEqual([
      { startS: 2, endS: 5 },
      { startS: 6, endS: 8 },
    ]);
  });

  it('bins busy fractions, with runs spanning several bins and a short last bin', () => {
    // Bins of 4 over [0, 14): [0,4) busy 2, [4,8) busy 1, [8,12) busy 4, [12,14) busy 0 over 2.
    expect(Array.from(busyFractionPerBin(merged, 0, 14, 4))).toEqual([0.5, 0.25, 1, 0]);
    // Width 1 over [0,3): [0,1) and [1,2) busy, [2,3) idle.
    expect(Array.from(busyFractionPerBin(merged, 0, 3, 1))).toEqual([1, 1, 0]);
  });

  it('bins sum back to the busy length', () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 80 })).map(([s, d]) => [s, s + d] as [number, number]);
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 40 }), fc.integer({ min: 1, max: 50 }), (intervals, width) => {
        const m = union(intervals);
        const to = 600;
        const bins = busyFractionPerBin(m, 0, to, width);
        let sum = 0;
        bins.forEach((fraction, k) => (sum += fraction * (Math.min(to, (k + 1) * width) - k * width)));
        expect(sum).toBeCloseTo(totalLength(m), 6);
      }),
      { seed: 1, numRuns: 200 },
    );
  });
});
