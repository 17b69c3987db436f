import { beforeAll, describe, expect, it } from 'vitest';
import { reportCharts, timelineRows, type ReportCharts } from '../../../harness/reproduce/report/charts.js';
import { computeResults } from '../../../harness/reproduce/results.js';
import { compileClean, drawnMarkCounts } from '../../report/charts/chart-test-kit.js';
import { syntheticOutcomes, syntheticPlan } from '../fixtures/synthetic.js';
import { expectReportGolden } from '../golden.js';

/**
 * The report's Vega-Lite specs as golden files, drawn from the quick plan with synthetic outcomes
 * (known numbers): every chart the issue lists is there, compiles without a warning, draws marks.
 */
let charts: ReportCharts;

beforeAll(async () => {
  const plan = await syntheticPlan();
  const results = computeResults(plan, syntheticOutcomes(plan));
  charts = reportCharts(results, new Map(results.figures.map((f) => [f.id, f.id.includes('reduction') || f.id.includes('share') ? '%' : '×'])));
});

const all = () => [...charts.rlhfuse, ...charts.rlhfless, ...charts.traces, ...charts.sensitivity];

describe('reproduction report charts', () => {
  it('has every chart the issue asks for', () => {
    const ids = all().map((chart) => chart.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'rlhfuse-throughput',
        'rlhfuse-speedup-vs-length',
        'rlhfuse-threshold-curve',
        'rlhfuse-fused-pipeline',
        'rlhfuse-ablation',
        'rlhfuse-timeline-rlhfuse-base',
        'rlhfuse-timeline-rlhfuse',
        'rlhfless-throughput',
        'rlhfless-cost-vs-time',
        'rlhfless-ablation',
        'rlhfless-sim-speedup',
        'rlhfless-timeline-verl',
        'rlhfless-timeline-rlhfless',
        'trace-lengths',
      ]),
    );
    expect(charts.sensitivity.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('matches the golden specs, compiles cleanly and draws every chart', async () => {
    for (const chart of all()) {
      expectReportGolden(`reproduce-${chart.id}`, chart.spec);
      const counts = await drawnMarkCounts(compileClean(chart.spec));
      expect(Object.values(counts).reduce((a, b) => a + b, 0), chart.id).toBeGreaterThan(0);
    }
  });

  it('folds spans onto rows of GPUs, one bar per row a span covers', () => {
    const rows = timelineRows(
      [
        { pool: 'a', firstGpu: 0, gpus: 16, stage: 'training', task: 't', startS: 1, endS: 2 },
        { pool: 'b', firstGpu: 4, gpus: 2, stage: 'generation', task: 'g', startS: 0, endS: 1 },
        { pool: 'c', firstGpu: 6, gpus: 2, stage: 'generation', task: 'g', startS: 0, endS: 1 },
      ],
      8,
      3,
    );
    expect(rows.map((r) => [r.pool, r.stage, r.start])).toEqual([
      ['GPUs 0–7', 'generation', 0],
      ['GPUs 0–7', 'training', 1],
      ['GPUs 8–15', 'training', 1],
    ]);
    expect(rows.every((r) => r.iteration === 3)).toBe(true);
  });
});
