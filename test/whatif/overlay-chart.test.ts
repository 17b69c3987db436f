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
      { series: 'recorded (4 of 16 GPUs)', timeS: 0, utilisation: 0.5 },
      { series: 'recorded (4 of 16 GPUs)', timeS: 4, utilisation: 0.25 },
      { series: 'recorded (4 of 16 GPUs)', timeS: 5, utilisation: 0.25 },
      { series: 'verl (simulated, 16 GPUs)', timeS: 0, utilisation: 1 },
      { series: 'verl (simulated, 16 GPUs)', timeS: 1, utilisation: 0.75 },
      { series: 'verl (simulated, 16 GPUs)', timeS: 2, utilisation: 0.5 },
      { series: 'verl (simulated, 16 GPUs)', timeS: 3, utilisation: 0.5 },
      { series: 'verl (simulated, 16 GPUs)', timeS: 4, utilisation: 0.5 },
    ]);
  });

  it('compiles without warnings and draws one line per run, recorded first', async () => {
    const vega = compileClean(utilisationOverlayChart(overlayRows(overlay, 16)));
    const lines = await drawnItems(vega, 'line');
    expect(lines.map((l) => l.datum['series'])).toEqual([...Array(3).fill('recorded (4 of 16 GPUs)'), ...Array(5).fill('verl (simulated, 16 GPUs)')]);
  });

  it('keeps caller text out of expressions', () => {
    const vega = compileClean(utilisationOverlayChart([{ series: MARKER, timeS: 0, utilisation: 0.5 }]));
    expectNoMarkerInExpressions(vega);
  });
});
