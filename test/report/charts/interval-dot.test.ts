import { describe, expect, it } from 'vitest';
import { compileClean, drawnItems, drawnMarkCounts, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

describe('intervalDotChart', () => {
  it('matches its golden spec', () => {
    expectGolden('interval-dot', sample('interval-dot').spec);
  });

  it('draws a target band per category, a dot per estimate and a whisker per interval', async () => {
    const vega = compileClean(sample('interval-dot').spec);
    // 2 bands, 3 whiskers (one estimate has no interval), 4 dots, 2 names.
    expect(await drawnMarkCounts(vega)).toEqual({ rect: 2, rule: 3, symbol: 4, text: 2 });
    const dots = await drawnItems(vega, 'symbol');
    const bands = await drawnItems(vega, 'rect');
    const first = bands.find((b) => String(b.datum['category']).startsWith('speedup over'))!;
    // Dots of a category lie inside its band vertically too.
    for (const dot of dots.filter((d) => [1.16, 1.04].includes(d.datum['mean'] as number))) {
      expect(dot.y).toBeGreaterThan(first.y);
      expect(dot.y).toBeLessThan(first.y + first.height);
    }
    // A dot inside its band on x: 1.16 lies in [1.14, 1.47]; 1.04 does not.
    const x = (mean: number) => dots.find((d) => d.datum['mean'] === mean)!.x;
    expect(x(1.16)).toBeGreaterThan(first.x);
    expect(x(1.16)).toBeLessThan(first.x + first.width);
    expect(x(1.04)).toBeLessThan(first.x);
  });

  it('writes each category’s name above its block', async () => {
    const vega = compileClean(sample('interval-dot').spec);
    const names = await drawnItems(vega, 'text');
    const bands = await drawnItems(vega, 'rect');
    expect(names.map((n) => n.datum['text'])).toEqual(['speedup over the sequential baseline', 'training speedup']);
    names.forEach((name, i) => expect(name.y).toBeLessThan(bands[i]!.y));
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('interval-dot', true).spec));
  });
});
