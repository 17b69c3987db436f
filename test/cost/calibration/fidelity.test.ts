import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureFidelity, type FidelityReport, type FidelitySummary } from '../../../harness/cost/calibration/fidelity.js';
import { fitCalibration } from '../../../harness/cost/calibration/fit.js';
import { loadCalibration } from '../../../harness/cost/calibration/load.js';
import { classifyProfiles, type CalibrationRow } from '../../../harness/cost/calibration/profile-rows.js';
import type { Calibration } from '../../../harness/cost/calibration/types.js';
import { DEFAULT_CALIBRATION_PATH } from '../../../harness/cost/index.js';
import { sharedProfiles } from './shared-profiles.js';

/**
 * Guards the fidelity the README reports: recomputes it from the shared public profiles and fails
 * if any figure got worse than the committed one, and checks that the calibration the project
 * ships is exactly what `rlhf-replay calibrate` fits from those files today.
 */

interface Committed {
  readonly folds: number;
  readonly seed: string;
  readonly tolerancePctPoints: number;
  readonly summaries: Record<string, FidelitySummary>;
}

let rows: readonly CalibrationRow[] = [];
let report: FidelityReport;
let committed: Committed;

beforeAll(async () => {
  rows = classifyProfiles((await sharedProfiles()).profiles).rows;
  committed = JSON.parse(await readFile(new URL('./fidelity.committed.json', import.meta.url), 'utf8')) as Committed;
  report = measureFidelity(rows, { folds: committed.folds, seed: committed.seed });
});

describe('cost-model fidelity on held-out public profiles', () => {
  it('is no worse than the committed figures, for every model kind, validation and family', () => {
    const worse: string[] = [];
    for (const [key, summary] of Object.entries(committed.summaries)) {
      const now = report.summaries[key as keyof typeof report.summaries];
      for (const [family, was] of Object.entries(summary)) {
        const value = now[family as keyof FidelitySummary];
        if (was === null) expect(value).toBeNull();
        else if (value === null || value > was + committed.tolerancePctPoints) worse.push(`${key} ${family}: ${value} (committed ${was})`);
      }
    }
    expect(worse).toEqual([]);
  });

  it('meets the issue goals on k-fold held-out rows: decode and prefill ≤ 8 %, MLP operators ≤ 12 %, collectives ≤ 15 %', () => {
    const s = report.summary;
    expect(s.decodeMedianApePct).toBeLessThanOrEqual(8);
    expect(s.prefillMedianApePct).toBeLessThanOrEqual(8);
    expect(s.mlpMedianApePct).toBeLessThanOrEqual(12);
    expect(s.collectiveMedianApePct).toBeLessThanOrEqual(15);
    // across models (leave-one-model-out) for the Vidur operators, as the goal words it
    expect(report.summaries['roofline/leave-one-model-out'].mlpMedianApePct).toBeLessThanOrEqual(12);
  });

  it('reports rows in the documented shape, for both model kinds and both validations', () => {
    const kinds = new Set(report.rows.map((r) => `${r.model_kind}/${r.validation}`));
    expect([...kinds].sort()).toEqual(['interpolated/k-fold', 'interpolated/leave-one-model-out', 'roofline/k-fold', 'roofline/leave-one-model-out']);
    for (const row of report.rows) {
      expect(Object.keys(row).sort()).toEqual(['device', 'medianApePct', 'model', 'model_kind', 'op', 'p90ApePct', 'tested', 'validation']);
      expect(row.p90ApePct).toBeGreaterThanOrEqual(row.medianApePct);
    }
    // every held-out row is tested once per validation and kind: k-fold covers all rows
    const kfoldRoofline = report.rows.filter((r) => r.model_kind === 'roofline' && r.validation === 'k-fold').reduce((n, r) => n + r.tested, 0);
    expect(kfoldRoofline).toBe(rows.length);
  });
});

describe('the shipped calibration', () => {
  let shipped: Calibration;
  let fresh: Calibration;
  beforeAll(async () => {
    shipped = await loadCalibration(DEFAULT_CALIBRATION_PATH);
    const inputs = await sharedProfiles();
    fresh = fitCalibration(rows, { sourceLabel: inputs.label });
  });

  it('is what calibrate fits from the shared profiles today (parameters and fitted ranges)', () => {
    expect(Object.keys(shipped.devices)).toEqual(Object.keys(fresh.devices));
    const close = (a: unknown, b: unknown, path: string): void => {
      if (typeof a === 'number' && typeof b === 'number') {
        expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(a), Math.abs(b)) + 1e-15);
      } else if (a && typeof a === 'object') {
        expect(Object.keys(b as object).sort(), path).toEqual(Object.keys(a).sort());
        for (const key of Object.keys(a)) close((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      } else expect(b, path).toEqual(a);
    };
    close(shipped.devices, fresh.devices, 'devices');
  });

  it('records its provenance: source files with row counts, the fit method and the data dates', () => {
    const files = shipped.provenance.sources.map((s) => s.file);
    expect(files).toContain('splitwise-sim/perf_model.csv');
    expect(files).toContain('vidur/data/profiling/network/h100_dgx/all_reduce.csv');
    expect(shipped.provenance.sources.find((s) => s.file === 'splitwise-sim/perf_model.csv')!.rows).toBe(2520);
    expect(shipped.provenance.fitMethod).toMatch(/Nelder–Mead/);
    expect(shipped.provenance.dataDates.join('\n')).toMatch(/2024-04-25/);
    expect(JSON.stringify(shipped)).not.toMatch(/"\/(work|home|tmp)\//); // no absolute paths
  });
});
