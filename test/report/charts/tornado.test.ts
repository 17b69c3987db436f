import { describe, expect, it } from 'vitest';
import { tornadoChart } from '../../../harness/report/charts/tornado.js';
import { compileClean, drawnItems, drawnMarkCounts, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

describe('tornadoChart', () => {
  it('matches its golden spec', () => {
    expectGolden('tornado', sample('tornado').spec);
  });

  it('puts the widest swing on top', async () => {
    const spec = tornadoChart(
      [
        { assumption: 'small', low: 1.9, high: 2.1 },
        { assumption: 'large', low: 1.0, high: 3.0 },
        { assumption: 'one-sided', low: 2.0, high: 2.6 },
      ],
      2,
      { valueTitle: 'Speedup (×)' },
    );
    const bars = await drawnItems(compileClean(spec), 'rect');
    const top = (name: string): number => bars.find((b) => b.datum.assumption === name)!.y;
    expect(top('large')).toBeLessThan(top('one-sided'));
    expect(top('one-sided')).toBeLessThan(top('small'));
  });

  it('draws bars from the baseline to each end, labels, and the baseline rule', async () => {
    const vega = compileClean(sample('tornado').spec);
    expect(await drawnMarkCounts(vega)).toEqual({ rect: 4, text: 4, rule: 1 });
    const bars = await drawnItems(vega, 'rect');
    const widths = Object.fromEntries(bars.map((b) => [`${b.datum.assumption}/${b.datum.end}`, b.width]));
    // |1.8 − 2.1| = 0.3 and |2.3 − 2.1| = 0.2 on the same axis.
    expect(widths['KV transfer bandwidth/low end']! / widths['KV transfer bandwidth/high end']!).toBeCloseTo(1.5, 6);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('tornado', true).spec));
  });
});
