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

  it('draws a bar from the baseline to each end that moves the figure, labelled with its setting, and the baseline rule', async () => {
    const vega = compileClean(sample('tornado').spec);
    // Two rows with both ends, one whose low end is the baseline itself: 5 bars, 5 end labels, 3 names and 3 ranges; the baseline as one segment per row.
    expect(await drawnMarkCounts(vega)).toEqual({ rect: 5, text: 11, rule: 3 });
    const bars = await drawnItems(vega, 'rect');
    const widths = Object.fromEntries(bars.map((b) => [`${b.datum.assumption}/${b.datum.setting}`, b.width]));
    // |1.8 − 2.1| = 0.3 and |2.3 − 2.1| = 0.2 on the same axis.
    expect(widths['KV transfer bandwidth/10 GB/s']! / widths['KV transfer bandwidth/50 GB/s']!).toBeCloseTo(1.5, 6);
    const labels = (await drawnItems(vega, 'text')).flatMap((t) => (t.datum.setting !== undefined ? [t.datum.setting] : [])).sort();
    expect(labels).toEqual(['10 GB/s', '5 s', '50 GB/s', '6 GiB', '60 s']);
  });

  it('colours each bar by the direction the figure moves, not by which end of its range the assumption sits at', async () => {
    const vega = compileClean(sample('tornado').spec);
    const bars = await drawnItems(vega, 'rect');
    const direction = Object.fromEntries(bars.map((b) => [b.datum.setting as string, b.datum.direction]));
    // Cold start at its high end (60 s) lowers the figure; at its low end (5 s) raises it.
    expect(direction).toEqual({ '10 GB/s': 'figure goes down', '50 GB/s': 'figure goes up', '60 s': 'figure goes down', '5 s': 'figure goes up', '6 GiB': 'figure goes up' });
    const spec = sample('tornado').spec as { layer: { encoding?: { color?: { title?: string; scale?: { domain?: string[] } } } }[] };
    expect(spec.layer[0]!.encoding!.color).toMatchObject({ title: 'Colour = direction of the figure’s change', scale: { domain: ['figure goes down', 'figure goes up'] } });
  });

  it('writes each assumption’s name, and its plausible range under it, above its bars', async () => {
    const vega = compileClean(sample('tornado').spec);
    const texts = await drawnItems(vega, 'text');
    const name = texts.find((t) => t.datum.text === 'Runtime memory per GPU')!;
    const range = texts.find((t) => t.datum.text === '1.5–6 GiB, default 3 GiB')!;
    const bar = (await drawnItems(vega, 'rect')).find((b) => b.datum.assumption === 'Runtime memory per GPU')!;
    expect(name.y).toBeLessThan(range.y);
    expect(range.y).toBeLessThan(bar.y);
    // Name and range start at the plot's left edge: the plot keeps the chart's whole width.
    expect([name.x, range.x]).toEqual([0, 0]);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('tornado', true).spec));
  });
});
