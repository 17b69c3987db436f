import { describe, expect, it } from 'vitest';
import { lineWithBandChart } from '../../../harness/report/charts/line-ci.js';
import { compileClean, drawnItems, drawnMarkCounts, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

describe('lineWithBandChart', () => {
  it('matches its golden specs (sweep with reference line; U-curve with optimum)', () => {
    expectGolden('line-ci', sample('line-ci').spec);
    expectGolden('u-curve', sample('u-curve').spec);
  });

  it('draws every point, the reference rule, and bands only where intervals exist', async () => {
    expect(await drawnMarkCounts(compileClean(sample('line-ci').spec))).toEqual({ area: 5, line: 6, symbol: 6, rule: 1 });
  });

  it('has one colour legend with solid symbols', () => {
    const vega = compileClean(sample('line-ci').spec) as { legends?: Record<string, unknown>[] };
    expect(vega.legends).toHaveLength(1);
    expect(vega.legends![0]).toMatchObject({ title: 'Baseline', stroke: 'color', symbolOpacity: 1, symbolType: 'stroke' });
  });

  it('draws each series in x order whatever the row order', async () => {
    const points = await drawnItems(compileClean(sample('line-ci').spec), 'line');
    const xs = points.filter((p) => p.datum.series === 'vs DeepSpeed-Chat').map((p) => p.datum.x);
    expect(xs).toEqual([512, 1024, 2048]);
  });

  it('marks exactly the minimum of a U-shaped curve', async () => {
    const symbols = await drawnItems(compileClean(sample('u-curve').spec), 'symbol');
    const optimum = symbols.filter((s) => s.datum.optimum === true);
    // The line's own points are symbols too; the optimum layer adds one more at x = 0.3.
    expect(optimum.map((s) => s.datum.x)).toEqual([0.3, 0.3]);
    expect(symbols).toHaveLength(6);
  });

  it('marks the maximum when asked, per series', () => {
    const spec = lineWithBandChart(
      [
        { series: 'a', x: 1, mean: 3 },
        { series: 'a', x: 2, mean: 5 },
        { series: 'b', x: 1, mean: 9 },
        { series: 'b', x: 2, mean: 4 },
      ],
      { xTitle: 'x', yTitle: 'y', seriesTitle: 's', optimum: 'max' },
    ) as { data: { values: { series: string; x: number; optimum: boolean }[] } };
    expect(spec.data.values.filter((v) => v.optimum).map((v) => `${v.series}@${v.x}`)).toEqual(['a@2', 'b@1']);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('line-ci', true).spec));
  });
});
