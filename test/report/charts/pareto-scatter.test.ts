import { describe, expect, it } from 'vitest';
import { paretoScatterChart } from '../../../harness/report/charts/pareto-scatter.js';
import { compileClean, drawnItems, drawnMarkCounts, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

describe('paretoScatterChart', () => {
  it('matches its golden spec', () => {
    expectGolden('pareto-scatter', sample('pareto-scatter').spec);
  });

  it('draws every point, rings and joins the frontier in x order, and labels frontier points only', async () => {
    const vega = compileClean(sample('pareto-scatter').spec);
    const counts = await drawnMarkCounts(vega);
    // 6 points + 4 frontier rings; one line through the frontier.
    expect(counts['symbol']).toBe(10);
    const line = await drawnItems(vega, 'line');
    expect(line.map((item) => item.datum['x'])).toEqual([130, 145, 175, 200]);
    const labels = (await drawnItems(vega, 'text')).map((item) => item.datum['label']);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.every((l) => ['co-located', 'one-step-off, 16:48', 'staleness 0.5, 16:48', 'staleness 0.1, 24:40'].includes(String(l)))).toBe(true);
  });

  it('puts points at positions proportional to their values (zero-based axes)', async () => {
    const vega = compileClean(sample('pareto-scatter').spec);
    const points = (await drawnItems(vega, 'symbol')).filter((p) => p.datum['frontier'] === false);
    const a = points.find((p) => p.datum['label'] === 'one-step-off, 32:32')!;
    const b = points.find((p) => p.datum['label'] === 'staleness 0, 32:32')!;
    expect(b.x / a.x).toBeCloseTo(320 / 176, 6);
  });

  it('draws no frontier layers without a frontier, and refuses a value that is not a number', () => {
    const spec = paretoScatterChart([{ label: 'a', kind: 'k', x: 1, y: 2, colour: 0, frontier: false }], { xTitle: 'x', yTitle: 'y', colourTitle: 'c', kindTitle: 'k' }) as unknown as { layer: unknown[] };
    expect(spec.layer).toHaveLength(1);
    expect(() => paretoScatterChart([{ label: 'a', kind: 'k', x: Number.NaN, y: 2, colour: 0, frontier: false }], { xTitle: 'x', yTitle: 'y', colourTitle: 'c', kindTitle: 'k' })).toThrow(/row 0 field 'x'/);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('pareto-scatter', true).spec));
  });
});
