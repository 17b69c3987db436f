import { describe, expect, it } from 'vitest';
import { measuredVsSimulatedChart } from '../../../harness/report/charts/measured-vs-simulated.js';
import { compileClean, drawnItems, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

describe('measuredVsSimulatedChart', () => {
  it('matches its golden spec', () => {
    expectGolden('measured-vs-simulated', sample('measured-vs-simulated').spec);
  });

  it('puts every row at (measured, simulated) on shared log axes, with y = x through the corners', async () => {
    const vega = compileClean(sample('measured-vs-simulated').spec);
    const points = await drawnItems(vega, 'symbol');
    expect(points.map((p) => [p.datum['measured'], p.datum['simulated']])).toEqual([
      [100, 112],
      [40, 36],
      [300, 180],
      [100, 104],
    ]);
    // Same measurement, slower simulation: same x, higher on the page.
    expect(points[0]!.x).toBe(points[3]!.x);
    expect(points[0]!.y).toBeLessThan(points[3]!.y);
    // Shared log scales on a square plot: x and y positions of equal seconds agree, so y = x is the diagonal.
    const lines = await drawnItems(vega, 'line');
    const diagonal = lines.filter((l) => l.datum['x'] !== undefined && l.datum['y'] === l.datum['x']);
    expect(diagonal).toHaveLength(2);
    const height = Math.max(...diagonal.map((d) => d.y));
    for (const end of diagonal) expect(end.x).toBeCloseTo(height - end.y, 6);
  });

  it('refuses a non-positive time (log axes)', () => {
    expect(() => measuredVsSimulatedChart([{ label: 'x', series: 'gen', kind: 'k', measuredS: 0, simulatedS: 1 }])).toThrow(/row 0 needs positive seconds/);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('measured-vs-simulated', true).spec));
  });
});
