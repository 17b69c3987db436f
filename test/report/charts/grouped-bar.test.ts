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

  it('keeps the callers order of groups (top to bottom) and of series within a group', async () => {
    const bars = await drawnItems(compileClean(sample('grouped-bar').spec), 'rect');
    const y = (group: string, series: string): number => bars.find((b) => b.datum.group === group && b.datum.series === series)!.y;
    expect(y('7B PPO', 'veRL')).toBeLessThan(y('7B PPO', 'RLHFless'));
    expect(y('7B PPO', 'RLHFless')).toBeLessThan(y('7B GRPO', 'veRL'));
    expect(y('7B GRPO', 'veRL')).toBeLessThan(y('7B GRPO', 'RLHFless'));
  });

  it('does not stack: bar lengths are proportional to the means', async () => {
    const bars = await drawnItems(compileClean(sample('grouped-bar').spec), 'rect');
    const width = (series: string, group: string): number => bars.find((b) => b.datum.group === group && b.datum.series === series)!.width;
    expect(width('RLHFless', '7B PPO') / width('veRL', '7B PPO')).toBeCloseTo(14.2 / 10.5, 6);
  });

  it('wraps a long group name onto lines beside its bars instead of under a neighbour', async () => {
    const spec = groupedBarChart(
      [
        { group: 'Qwen2.5-3B, GRPO, livecodebench-like', series: 'a', mean: 1 },
        { group: 'Qwen2.5-3B, PPO, livecodebench-like', series: 'a', mean: 2 },
      ],
      { valueTitle: 'v', groupTitle: 'g', seriesTitle: 's' },
    );
    const bars = await drawnItems(compileClean(spec), 'rect');
    expect(bars.map((b) => b.datum.group)).toEqual(['Qwen2.5-3B, GRPO,\nlivecodebench-like', 'Qwen2.5-3B, PPO,\nlivecodebench-like']);
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
