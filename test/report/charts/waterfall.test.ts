import { describe, expect, it } from 'vitest';
import { waterfallChart, WATERFALL_KINDS } from '../../../harness/report/charts/waterfall.js';
import { compileClean, drawnItems, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

describe('waterfallChart', () => {
  it('matches its golden spec', () => {
    expectGolden('waterfall', sample('waterfall').spec);
  });

  it('draws each part from the running total before it to the one after, and the figure from the start', async () => {
    const bars = await drawnItems(compileClean(sample('waterfall').spec), 'rect');
    const spans = bars.map((b) => [b.datum['from'], b.datum['to'], b.datum['kind']]);
    // 0 → 60 → 80 → 75 → 78, then the figure 0 → 78.
    expect(spans).toEqual([
      [0, 60, 'raises the figure'],
      [60, 80, 'raises the figure'],
      [80, 75, 'lowers the figure'],
      [75, 78, 'raises the figure'],
      [0, 78, 'the figure'],
    ]);
    // Bar lengths on the page are proportional to the parts: 60 vs 20.
    expect(bars[0]!.width / bars[1]!.width).toBeCloseTo(3, 6);
    // Top to bottom in the order given.
    expect(bars.map((b) => b.y)).toEqual([...bars.map((b) => b.y)].sort((a, b) => a - b));
  });

  it('puts each part’s interval around its end, and writes name and change above the bar', async () => {
    const vega = compileClean(sample('waterfall').spec);
    const whiskers = await drawnItems(vega, 'rule');
    const around = whiskers.filter((w) => w.datum['whiskerLow'] !== undefined).map((w) => [w.datum['whiskerLow'], w.datum['whiskerHigh']]);
    expect(around).toEqual([
      [55, 66],
      [72, 87],
      [71, 79],
    ]);
    const texts = (await drawnItems(vega, 'text')).map((t) => t.datum['text']);
    expect(texts).toEqual(['billing alone: +60 % [55, 66]', 'technique A: +20 % [12, 27]', 'technique B: −5 % [−9, −1]', 'interaction: +3 %', 'the full system: 78 %']);
  });

  it('starts a speedup at 1', async () => {
    const spec = waterfallChart([{ label: 'billing', delta: -0.1 }], { start: 1, totalLabel: 'system', valueTitle: 'Speedup (×)', valueUnit: '×' });
    const bars = await drawnItems(compileClean(spec), 'rect');
    expect(bars.map((b) => [b.datum['from'], b.datum['to'], b.datum['kind']])).toEqual([
      [1, 0.9, WATERFALL_KINDS[1]],
      [1, 0.9, WATERFALL_KINDS[2]],
    ]);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('waterfall', true).spec));
  });
});
