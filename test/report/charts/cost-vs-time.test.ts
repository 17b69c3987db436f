import { describe, expect, it } from 'vitest';
import { costVsTimeChart, placeLabels } from '../../../harness/report/charts/cost-vs-time.js';
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

describe('placeLabels', () => {
  it('labels each group once, at its first point where the label fits, and skips what would collide', () => {
    // Two points far apart and a third right under the first: its label would sit on the first's.
    const points = [
      { x: 10, y: 10, group: 'a', text: 'alpha' },
      { x: 90, y: 90, group: 'b', text: 'beta' },
      { x: 10.5, y: 9.9, group: 'c', text: 'gamma' },
      { x: 90, y: 90, group: 'b', text: 'beta' },
    ];
    const placed = placeLabels(points, 100, 100, 240, 320);
    expect(placed.map((p) => p.row)).toEqual([0, 1]);
  });

  it('puts a label on the left of its point when the right side runs out of the plot', () => {
    // At x = 100 of 100 (150 with the nice-axis headroom) the point sits at 160 px of 240: 'a long label' (12 characters, 79 px) does not fit after it.
    const placed = placeLabels([{ x: 100, y: 50, group: 'a', text: 'a long label' }], 100, 100, 240, 320);
    expect(placed).toEqual([{ row: 0, align: 'right' }]);
  });

  it('gives the chart one label per configuration and joins its points', async () => {
    const spec = costVsTimeChart(
      [
        { label: 'verl', series: 'verl', group: 'Qwen2.5-3B, PPO', groupLabel: '3B PPO', timePerStepS: 100, costPerStepUsd: 2 },
        { label: 'rlhfless', series: 'rlhfless', group: 'Qwen2.5-3B, PPO', groupLabel: '3B PPO', timePerStepS: 110, costPerStepUsd: 1.4 },
      ],
      {},
    );
    const vega = compileClean(spec);
    expect((await drawnItems(vega, 'text')).map((t) => t.datum['text'])).toEqual(['3B PPO']);
    expect(await drawnItems(vega, 'line')).toHaveLength(2);
  });
});
