import { describe, expect, it } from 'vitest';
import { groupedBarChart } from '../../../harness/report/charts/grouped-bar.js';
import { compileClean, drawnItems, drawnMarkCounts, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

describe('groupedBarChart', () => {
  it('matches its golden spec', () => {
    expectGolden('grouped-bar', sample('grouped-bar').spec);
  });

  it('draws one bar per row and an error bar only where the interval is known', async () => {
    expect(await drawnMarkCounts(compileClean(sample('grouped-bar').spec))).toEqual({ rect: 4, rule: 3 });
  });

  it('keeps the callers order of groups and of series within a group', async () => {
    const bars = await drawnItems(compileClean(sample('grouped-bar').spec), 'rect');
    const x = (group: string, series: string): number => bars.find((b) => b.datum.group === group && b.datum.series === series)!.x;
    expect(x('7B PPO', 'veRL')).toBeLessThan(x('7B PPO', 'RLHFless'));
    expect(x('7B PPO', 'RLHFless')).toBeLessThan(x('7B GRPO', 'veRL'));
    expect(x('7B GRPO', 'veRL')).toBeLessThan(x('7B GRPO', 'RLHFless'));
  });

  it('does not stack: bar heights are proportional to the means', async () => {
    const bars = await drawnItems(compileClean(sample('grouped-bar').spec), 'rect');
    const height = (series: string, group: string): number => bars.find((b) => b.datum.group === group && b.datum.series === series)!.height;
    expect(height('RLHFless', '7B PPO') / height('veRL', '7B PPO')).toBeCloseTo(14.2 / 10.5, 6);
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('grouped-bar', true).spec));
  });

  it('rejects a non-finite mean with the row and field', () => {
    expect(() => groupedBarChart([{ group: 'a', series: 'b', mean: Number.NaN }], { valueTitle: 'v', groupTitle: 'g', seriesTitle: 's' })).toThrow(
      "groupedBarChart: row 0 field 'mean' must be a finite number, got NaN",
    );
  });
});
