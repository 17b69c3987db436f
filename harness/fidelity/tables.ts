import type { FrameworkCalibration } from '../cost/framework/types.js';
import type { Table } from '../report/tables.js';
import { formatWithBand } from './bands.js';
import { summariseByStage } from './compare.js';
import type { FidelityReport, FidelityStepResult } from './run-fidelity.js';

/** The tables the fidelity command prints and the page shows; every column with its unit. */

const KIND_TEXT: Readonly<Record<FidelityStepResult['kind'], string>> = {
  'left-out': 'left out of the fit',
  unseen: 'not in the fit',
  uncalibrated: 'no framework calibration',
};

export function stepTable(step: FidelityStepResult): Table {
  return {
    columns: [
      { key: 'stage', name: 'stage', label: 'Stage', unit: null },
      { key: 'measured', name: 'measured_s', label: 'Measured', unit: 's', decimals: 2 },
      { key: 'simulated', name: 'simulated_s', label: 'Simulated', unit: 's', decimals: 2 },
      { key: 'band', name: 'band_80pct_s', label: 'Simulated [80 % band]', unit: 's' },
      { key: 'error', name: 'error_pct', label: 'Error', unit: '%', decimals: 1 },
    ],
    rows: step.rows.map((row) => ({
      stage: row.stage,
      measured: row.measuredS,
      simulated: row.simulatedS,
      band: formatWithBand(row.simulatedS, step.bands[row.stage], '').trim(),
      error: row.errorPct,
    })),
  };
}

export function stepHeading(step: FidelityStepResult): string {
  const s = step.prepared.simulation.step;
  const c = s.config;
  const assumed = Object.keys(s.assumed).length;
  return `${s.id} (step ${s.step}) · ${c.model} on ${c.nodes * c.gpusPerNode} × ${c.gpu} · ${c.training.backend} · ${KIND_TEXT[step.kind]}${step.prepared.workload.inferred ? ' · workload inferred' : ''}${assumed > 0 ? ` · ${assumed} settings not stated by the source` : ''}`;
}

/** Out-of-sample and in-sample errors per stage kind. */
export function fidelityErrorTable(report: Pick<FidelityReport, 'rows' | 'inSampleRows'>): Table {
  const out = summariseByStage(report.rows);
  const inside = summariseByStage(report.inSampleRows);
  return {
    columns: [
      { key: 'stage', name: 'stage', label: 'Stage', unit: null },
      { key: 'n', name: 'out_of_sample_n', label: 'Out of sample: rows', unit: null },
      { key: 'median', name: 'out_of_sample_median_abs_error_pct', label: 'Out of sample: median |error|', unit: '%', decimals: 1 },
      { key: 'p90', name: 'out_of_sample_p90_abs_error_pct', label: 'Out of sample: p90 |error|', unit: '%', decimals: 1 },
      { key: 'inN', name: 'in_sample_n', label: 'In sample: rows', unit: null },
      { key: 'inMedian', name: 'in_sample_median_abs_error_pct', label: 'In sample: median |error|', unit: '%', decimals: 1 },
      { key: 'inP90', name: 'in_sample_p90_abs_error_pct', label: 'In sample: p90 |error|', unit: '%', decimals: 1 },
    ],
    rows: Object.entries(out).map(([stage, s]) => ({
      stage,
      n: s!.n,
      median: s!.medianAbsErrorPct,
      p90: s!.p90AbsErrorPct,
      inN: inside[stage as keyof typeof inside]?.n ?? null,
      inMedian: inside[stage as keyof typeof inside]?.medianAbsErrorPct ?? null,
      inP90: inside[stage as keyof typeof inside]?.p90AbsErrorPct ?? null,
    })),
  };
}

/** The fitted parameters: value, where each applies, and the runs it was fitted on (their number, or with `runNames` their file names). */
export function frameworkParameterTable(calibration: FrameworkCalibration, options: { readonly runNames?: boolean } = {}): Table {
  return {
    columns: [
      { key: 'name', name: 'parameter', label: 'Parameter', unit: null },
      { key: 'scope', name: 'scope', label: 'Applies to', unit: null },
      { key: 'value', name: 'value', label: 'Value', unit: null },
      options.runNames ? { key: 'runs', name: 'fitted_on_runs', label: 'Runs it was fitted on', unit: null } : { key: 'runs', name: 'fitted_on_runs_n', label: 'Runs fitted on', unit: null },
    ],
    rows: calibration.parameters.map((p) => ({
      name: p.name,
      scope: 'all' in p.scope ? 'every simulation' : 'servingEngine' in p.scope ? `serving engine ${p.scope.servingEngine}` : `GPU ${p.scope.gpu}`,
      value: Number(p.value.toPrecision(4)),
      runs: options.runNames ? p.runs.map((r) => r.split('/').pop()).join(', ') : p.runs.length,
    })),
  };
}

export function frameworkErrorTable(calibration: FrameworkCalibration): Table {
  const stages = [...new Set([...Object.keys(calibration.inSample), ...Object.keys(calibration.leaveOneRunOut)])];
  return {
    columns: [
      { key: 'stage', name: 'stage', label: 'Stage', unit: null },
      { key: 'n', name: 'compared_n', label: 'Compared', unit: null },
      { key: 'inMedian', name: 'in_sample_median_abs_error_pct', label: 'In sample: median |error|', unit: '%', decimals: 1 },
      { key: 'looMedian', name: 'loro_median_abs_error_pct', label: 'Leave-one-run-out: median |error|', unit: '%', decimals: 1 },
      { key: 'looP90', name: 'loro_p90_abs_error_pct', label: 'Leave-one-run-out: p90 |error|', unit: '%', decimals: 1 },
      { key: 'coverage', name: 'band_80pct_coverage_pct', label: '80 % band held', unit: '%', decimals: 0 },
    ],
    rows: stages.map((stage) => {
      const cover = calibration.bandCoverage[stage];
      return {
        stage,
        n: calibration.leaveOneRunOut[stage]?.n ?? calibration.inSample[stage]?.n ?? 0,
        inMedian: calibration.inSample[stage]?.medianAbsErrorPct ?? null,
        looMedian: calibration.leaveOneRunOut[stage]?.medianAbsErrorPct ?? null,
        looP90: calibration.leaveOneRunOut[stage]?.p90AbsErrorPct ?? null,
        coverage: cover && cover.n > 0 ? (100 * cover.inside) / cover.n : null,
      };
    }),
  };
}
