import { describe, expect, it } from 'vitest';
import { lengthEcdfChart } from '../../../harness/report/charts/length-ecdf.js';
import { compileClean, drawnMarkCounts, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

describe('lengthEcdfChart', () => {
  it('matches its golden spec', () => {
    expectGolden('length-ecdf', sample('length-ecdf').spec);
  });

  it('carries the exact ECDF points per trace', () => {
    const spec = lengthEcdfChart([{ series: 'a', lengthsTokens: [30, 10, 10, 20] }]) as {
      data: { values: { lengthTokens: number; fraction: number }[] };
    };
    expect(spec.data.values.map((v) => [v.lengthTokens, v.fraction])).toEqual([
      [10, 0.5],
      [20, 0.75],
      [30, 1],
    ]);
  });

  it('keeps at most maxPoints per trace (20 + 20 here)', async () => {
    expect(await drawnMarkCounts(compileClean(sample('length-ecdf').spec))).toEqual({ line: 40 });
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('length-ecdf', true).spec));
  });
});
