import { describe, expect, it } from 'vitest';
import { gpuUtilisationChart } from '../../../harness/report/charts/gpu-utilisation.js';
import { compileClean, drawnItems, drawnMarkCounts, expectGolden, expectNoMarkerInExpressions } from './chart-test-kit.js';
import { sample } from './sample.js';

const rows = [
  { gpu: '1', timeS: 10, utilisation: 0.5 },
  { gpu: '0', timeS: 10, utilisation: 1 },
  { gpu: '1', timeS: 0, utilisation: 0 },
  { gpu: '0', timeS: 0, utilisation: 0.25 },
];

describe('gpuUtilisationChart', () => {
  it('matches its golden specs (overlay and rows)', () => {
    expectGolden('gpu-utilisation', sample('gpu-utilisation').spec);
    expectGolden('gpu-utilisation-rows', gpuUtilisationChart(rows, { layout: 'rows' }));
  });

  it('draws each GPU in time order, in first-seen GPU order', async () => {
    const points = await drawnItems(compileClean(gpuUtilisationChart(rows)), 'line');
    expect(points.map((p) => `${p.datum.gpu}@${p.datum.timeS}`)).toEqual(['1@0', '1@10', '0@0', '0@10']);
  });

  it('puts one row per GPU in the rows layout', async () => {
    expect(await drawnMarkCounts(compileClean(gpuUtilisationChart(rows, { layout: 'rows' })))).toEqual({ line: 4 });
  });

  it('never puts caller strings into Vega expressions', () => {
    expectNoMarkerInExpressions(compileClean(sample('gpu-utilisation', true).spec));
  });
});
