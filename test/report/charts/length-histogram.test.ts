import { describe, expect, it } from 'vitest';
import { lengthHistogramChart } from '../../../harness/report/charts/length-histogram.js';
import { compileClean, drawnItems, drawnMarkCounts, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

type Row = { kind: string; series: string; binStart?: number; binEnd?: number; share?: number; median?: number };

describe('lengthHistogramChart', () => {
  it('matches its golden spec', () => {
    expectGolden('length-histogram', sample('length-histogram').spec);
  });

  it('uses shared bins, shares that sum to 1 per trace, and the median per trace', () => {
    const spec = lengthHistogramChart(
      [
        { series: 'a', lengthsTokens: [0, 10, 10, 30] },
        { series: 'b', lengthsTokens: [40] },
      ],
      { binCount: 4 },
    ) as { data: { values: Row[] } };
    const bins = spec.data.values.filter((v) => v.kind === 'bin');
    expect(bins.map((b) => [b.series, b.binStart, b.binEnd, b.share])).toEqual([
      ['a', 0, 10, 0.25],
      ['a', 10, 20, 0.5],
      ['a', 30, 40, 0.25],
      ['b', 30, 40, 1],
    ]);
    expect(spec.data.values.filter((v) => v.kind === 'median').map((v) => v.median)).toEqual([10, 40]);
  });

  it('counts a zero-length response in the first bin on a log axis', () => {
    const spec = lengthHistogramChart([{ series: 'a', lengthsTokens: [0, 1, 100] }], { binCount: 2, logX: true }) as { data: { values: Row[] } };
    const bins = spec.data.values.filter((v) => v.kind === 'bin');
    expect(bins.map((b) => [b.binStart, b.binEnd, b.share])).toEqual([
      [1, 10, 2 / 3],
      [10, 100, 1 / 3],
    ]);
  });

  it('draws a row per trace with only non-empty bins and a median rule each', async () => {
    const vega = compileClean(sample('length-histogram').spec);
    expect(await drawnMarkCounts(vega)).toEqual({ rect: 15, rule: 2 });
    const rules = await drawnItems(vega, 'rule');
    expect(rules.map((r) => r.datum.series)).toEqual(['GSM8K-like', 'LiveCodeBench-like']);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('length-histogram', true).spec));
  });

  it('rejects a trace listed twice', () => {
    expect(() => lengthHistogramChart([{ series: 'a', lengthsTokens: [1] }, { series: 'a', lengthsTokens: [2] }])).toThrow(TypeError);
  });
});
