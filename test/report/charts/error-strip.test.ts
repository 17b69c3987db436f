import { describe, expect, it } from 'vitest';
import { compileClean, drawnItems, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

describe('errorStripChart', () => {
  it('matches its golden spec', () => {
    expectGolden('error-strip', sample('error-strip').spec);
  });

  it('draws each signed error in its category, the categories in the order given, a long name wrapped onto lines', async () => {
    const vega = compileClean(sample('error-strip').spec);
    const points = await drawnItems(vega, 'symbol');
    expect(points.map((p) => p.datum['errorPct'])).toEqual([12, -4, -48]);
    expect(points[0]!.y).toBe(points[1]!.y);
    expect(points[2]!.y).toBeGreaterThan(points[0]!.y);
    // Left of zero for a simulation too fast.
    expect(points[2]!.x).toBeLessThan(points[1]!.x);
    expect(points[1]!.x).toBeLessThan(points[0]!.x);
    expect(String(points[2]!.datum['category']).split('\n').length).toBeGreaterThan(1);
    expect(String(points[2]!.datum['category']).split('\n').every((line) => line.length <= 24 || !line.includes(' '))).toBe(true);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('error-strip', true).spec));
  });
});
