import type { FrameworkCalibration } from '../cost/framework/types.js';
import type { Table } from '../report/tables.js';
import { formatWithBand } from './bands.js';
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

export function summaryTable(report: Pick<FidelityReport, 'summary'>): Table {
  return {
    columns: [
      { key: 'stage', name: 'stage', label: 'Stage', unit: null },
      { key: 'n', name: 'compared_n', label: 'Compared', unit: null },
      { key: 'median', name: 'median_abs_error_pct', label: 'Median |error|', unit: '%', decimals: 1 },
      { key: 'p90', name: 'p90_abs_error_pct', label: '90th percentile |error|', unit: '%', decimals: 1 },
    ],
    rows: Object.entries(report.summary).map(([stage, s]) => ({ stage, n: s!.n, median: s!.medianAbsErrorPct, p90: s!.p90AbsErrorPct })),
  };
}

export function frameworkParameterTable(calibration: FrameworkCalibration): Table {
  return {
    columns: [
      { key: 'name', name: 'parameter', label: 'Parameter', unit: null },
      { key: 'scope', name: 'scope', label: 'Applies to', unit: null },
      { key: 'value', name: 'value', label: 'Value', unit: null },
      { key: 'runs', name: 'fitted_on_runs_n', label: 'Runs fitted on', unit: null },
    ],
    rows: calibration.parameters.map((p) => ({
      name: p.name,
      scope: 'all' in p.scope ? 'every simulation' : 'servingEngine' in p.scope ? `serving engine ${p.scope.servingEngine}` : `GPU ${p.scope.gpu}`,
      value: Number(p.value.toPrecision(4)),
      runs: p.runs.length,
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
