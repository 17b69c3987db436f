import { describe, expect, it } from 'vitest';
import type { CaseOutcome } from '../../harness/jobs/cases.js';
import { sweepTable, summarizeSweep, sweepChartPage, sweepExitCode, sweepText } from '../../harness/sweep/finalize.js';
import { buildSweepPlan, resolveParameter, resolveScheduler } from '../../harness/sweep/plan.js';
import type { SweepPointResult } from '../../harness/sweep/point.js';
import { bootstrapMeanCi } from '../../harness/stats/bootstrap-mean-ci.js';

const entry = resolveScheduler('rlhfuse');
const plan = buildSweepPlan({
  scenario: 's.json',
  trace: 't.jsonl',
  scheduler: entry,
  parameter: resolveParameter(entry, 'migration-threshold'),
  values: [0.1, 0.2, 0.3],
  metric: 'iterationTimeS',
  seed: 7,
  keepTraceBatches: false,
  scenarioSha256: 'a',
  traceSha256: 'b',
});

const point = (index: number, times: number[], notes: string[], bandFactors: SweepPointResult['bandFactors'] = {}): CaseOutcome<SweepPointResult> => ({
  id: plan.cases[index]!.id,
  kind: 'sweep-point',
  status: 'ok',
  result: {
    value: plan.cases[index]!.value,
    costModel: 'roofline',
    notes,
    bandFactors,
    ...(Object.keys(bandFactors).length > 0 ? { bandNote: 'test bands' } : {}),
    iterations: times.map((t, iteration) => ({
      iteration,
      metrics: { iterationTimeS: t, samplesPerS: 512 / t, tokensPerS: 0, costUsd: 0, gpuSecondsAllocated: 0, gpuSecondsBusy: 0, utilization: 0, bubbleRatio: 0 },
      stages: {},
      tasks: {},
      counters: {},
    })),
  },
});

describe('summarizeSweep', () => {
  const outcomes = [point(2, [12, 14], ['shared', 'c']), point(0, [11, 13], ['shared']), point(1, [9, 10], ['shared', 'b'])];
  const report = summarizeSweep(plan, outcomes);

  it('gives each value, in the order asked, the mean over iterations with its bootstrap interval, and the optimum', () => {
    expect(report.rows.map((r) => [r.value, r.mean, r.iterations])).toEqual([
      [0.1, 12, 2],
      [0.2, 9.5, 2],
      [0.3, 13, 2],
    ]);
    const ci = bootstrapMeanCi([9, 10], { seed: 7 });
    expect([report.rows[1]!.ciLow, report.rows[1]!.ciHigh]).toEqual([ci.ciLow, ci.ciHigh]);
    expect(report.best).toEqual({ value: 0.2, mean: 9.5 });
    expect(report.meta).toMatchObject({ param: 'migration-threshold', metric: 'iterationTimeS', metricUnit: 's', optimum: 'min', costModel: 'roofline', seed: 7 });
  });

  it('keeps notes every point made for the sweep and the others with their point', () => {
    expect(report.notes).toEqual(['shared']);
    expect(report.rows.map((r) => r.notes)).toEqual([[], ['b'], ['c']]);
    expect(sweepText(report)).toContain('note (migration-threshold = 0.3): c');
  });

  it('takes the largest for a throughput, or as told', () => {
    const throughput = summarizeSweep({ ...plan, config: { ...plan.config, metric: 'samplesPerS' } }, outcomes);
    expect(throughput.best?.value).toBe(0.2);
    expect(throughput.meta.optimum).toBe('max');
    expect(summarizeSweep(plan, outcomes, 'max').best).toEqual({ value: 0.3, mean: 13 });
  });

  it('has no interval with one iteration, and reports failed points with the right exit code', () => {
    const failed: CaseOutcome<SweepPointResult> = { id: plan.cases[1]!.id, kind: 'sweep-point', status: 'error', error: { message: 'bad', inputError: true } };
    const partial = summarizeSweep(plan, [point(0, [11], []), failed, point(2, [12], [])]);
    expect(partial.rows[0]).toMatchObject({ mean: 11, ciLow: null, ciHigh: null });
    expect(partial.rows[1]).toMatchObject({ status: 'error', mean: null, error: 'bad' });
    expect(partial.best).toEqual({ value: 0.1, mean: 11 });
    expect(sweepExitCode(partial)).toBe(2);
    expect(sweepExitCode(summarizeSweep(plan, [point(0, [11], [])]))).toBe(3);
    expect(sweepExitCode(report)).toBe(0);
  });

  it('draws a line with its band and the optimum marked for numeric values', () => {
    const page = sweepChartPage(report);
    const spec = page.charts![0]!.spec as { layer: { mark: { type: string; shape?: string } }[]; data: { values: { x: number; mean: number; optimum: boolean }[] } };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['area', 'line', 'point']);
    expect(spec.data.values.filter((v) => v.optimum).map((v) => v.x)).toEqual([0.2]);
  });

  it('bands each mean by the point’s factors (a time directly, a rate turned over) and says so once; no band column without a calibration', () => {
    const factors = { step: { low: 0.8, high: 1.5 } };
    const banded = [point(0, [10, 10], [], factors), point(1, [20, 20], [], factors), point(2, [40, 40], [], factors)];
    const times = summarizeSweep(plan, banded);
    expect(times.rows.map((r) => [r.bandLow, r.bandHigh])).toEqual([
      [8, 15],
      [16, 30],
      [32, 60],
    ]);
    expect(times.notes).toEqual(['bands: test bands']);
    expect(sweepTable(times).columns.map((c) => c.name)).toContain('band80_high_iteration_time_s');
    const rates = summarizeSweep({ ...plan, config: { ...plan.config, metric: 'samplesPerS' } }, banded);
    expect(rates.rows[0]!.bandLow).toBeCloseTo(51.2 / 1.5, 9);
    expect(rates.rows[0]!.bandHigh).toBeCloseTo(51.2 / 0.8, 9);
    expect(sweepTable(report).columns.map((c) => c.name).some((n) => n.startsWith('band80'))).toBe(false);
  });
});
