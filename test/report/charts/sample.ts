import type { ChartEntry } from '../../../harness/report/page-model.js';
import { MARKER } from './chart-test-kit.js';
import { sampleCharts } from './fixtures/sample-charts.js';

/** The sample chart with this id: clean labels (for goldens) or marked labels (for the expression check). */
export function sample(id: string, marked = false): ChartEntry {
  const chart = sampleCharts(marked ? MARKER : '').find((entry) => entry.id === id);
  if (!chart) throw new Error(`no sample chart '${id}'`);
  return chart;
}
