import { describe, expect, it } from 'vitest';
import { compileClean, drawnItems, drawnMarkCounts, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

describe('costVsTimeChart', () => {
  it('matches its golden spec', () => {
    expectGolden('cost-vs-time', sample('cost-vs-time').spec);
  });

  it('draws a labelled point per row and whiskers only where intervals exist', async () => {
    const vega = compileClean(sample('cost-vs-time').spec);
    expect(await drawnMarkCounts(vega)).toEqual({ rule: 2, symbol: 2, text: 2 });
    const points = await drawnItems(vega, 'symbol');
    const verl = points.find((p) => p.datum.label === 'veRL')!;
    const rlhfless = points.find((p) => p.datum.label === 'RLHFless')!;
    // Zero-based axes: position is proportional to the value (120 s vs 80 s).
    expect(verl.x / rlhfless.x).toBeCloseTo(120 / 80, 6);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('cost-vs-time', true).spec));
  });
});
