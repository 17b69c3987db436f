import { describe, expect, it } from 'vitest';
import { overlayRows, seriesLabel, utilisationOverlayChart } from '../../harness/whatif/overlay-chart.js';
import type { UtilisationOverlay } from '../../harness/whatif/utilisation.js';
import { compileClean, drawnItems, expectNoMarkerInExpressions, MARKER } from '../report/charts/chart-test-kit.js';

const overlay: UtilisationOverlay = {
  series: [
    { name: 'recorded', kind: 'recorded', gpus: 4, horizonS: 5, binS: 2, utilization: [0.5, null, 0.25] },
    { name: 'verl', kind: 'simulated', gpus: 16, horizonS: 4, binS: 1, utilization: [1, 0.75, 0.5, 0.5] },
  ],
};

describe('utilisation overlay chart', () => {
  it('labels each run with its GPUs and how it was measured', () => {
    expect(seriesLabel(overlay.series[0]!, 16)).toBe('recorded (4 of 16 GPUs)');
    expect(seriesLabel(overlay.series[0]!, 4)).toBe('recorded (4 GPUs)');
    expect(seriesLabel(overlay.series[1]!)).toBe('verl (simulated, 16 GPUs)');
  });

  it('turns bins into step-after points with a closing point, leaving out unmeasured bins', () => {
    expect(overlayRows(overlay, 16)).toEqual([
      { series: 'recorded (4 of 16 GPUs)', kind: 'recorded', timeS: 0, utilisation: 0.5 },
      { series: 'recorded (4 of 16 GPUs)', kind: 'recorded', timeS: 4, utilisation: 0.25 },
      { series: 'recorded (4 of 16 GPUs)', kind: 'recorded', timeS: 5, utilisation: 0.25 },
      { series: 'verl (simulated, 16 GPUs)', kind: 'simulated', timeS: 0, utilisation: 1 },
      { series: 'verl (simulated, 16 GPUs)', kind: 'simulated', timeS: 1, utilisation: 0.75 },
      { series: 'verl (simulated, 16 GPUs)', kind: 'simulated', timeS: 2, utilisation: 0.5 },
      { series: 'verl (simulated, 16 GPUs)', kind: 'simulated', timeS: 3, utilisation: 0.5 },
      { series: 'verl (simulated, 16 GPUs)', kind: 'simulated', timeS: 4, utilisation: 0.5 },
    ]);
  });

  it('compiles without warnings and draws the recorded run behind the simulated one in its panel', async () => {
    const vega = compileClean(utilisationOverlayChart(overlayRows(overlay, 16)));
    const lines = await drawnItems(vega, 'line');
    expect(lines.map((l) => [l.datum['panel'], l.datum['role']])).toEqual([...Array(3).fill(['verl (simulated, 16 GPUs)', 'recorded run']), ...Array(5).fill(['verl (simulated, 16 GPUs)', 'simulated'])]);
  });

  it('gives each of many simulated schedulers its own panel instead of overlaying them all', async () => {
    const many: UtilisationOverlay = {
      series: [overlay.series[0]!, ...Array.from({ length: 18 }, (_, i) => ({ ...overlay.series[1]!, name: `scheduler-${i}` }))],
    };
    const spec = utilisationOverlayChart(overlayRows(many, 16)) as { columns?: number };
    expect(spec.columns).toBe(1);
    const lines = await drawnItems(compileClean(spec as never), 'line');
    const panels = new Set(lines.map((l) => l.datum['panel']));
    expect(panels.size).toBe(18);
    // Each panel: the 3 recorded points and its own 5.
    for (const panel of panels) expect(lines.filter((l) => l.datum['panel'] === panel)).toHaveLength(8);
  });

  it('shows the recorded run alone when nothing was simulated', async () => {
    const lines = await drawnItems(compileClean(utilisationOverlayChart(overlayRows({ series: [overlay.series[0]!] }, 16))), 'line');
    expect(lines.map((l) => l.datum['role'])).toEqual(Array(3).fill('recorded run'));
  });

  it('keeps caller text out of expressions', () => {
    const vega = compileClean(utilisationOverlayChart([{ series: MARKER, kind: 'simulated', timeS: 0, utilisation: 0.5 }]));
    expectNoMarkerInExpressions(vega);
  });
});
