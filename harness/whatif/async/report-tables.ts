import { catalogMetric, counterMetric, metricColumn } from '../../metrics/catalog.js';
import type { Table, TableColumn } from '../../report/tables.js';
import type { AsyncWhatIfReport, Band, PointRow } from './report.js';

/** The asynchronous what-if's tables, one shape for the terminal and the HTML page; every column name carries its unit. */

/** '[low, high]' at 3 significant figures (the header carries the unit), or null. */
export function bandText(band: Band): string | null {
  if (!band) return null;
  const f = (x: number) => Number(x.toPrecision(3)).toString();
  return `[${f(band[0])}, ${f(band[1])}]`;
}

/** A scheduler counter's column: the catalog's label and description, a machine name with its unit. */
const counter = (counterName: string, key: string, name: string, unit: string, decimals: number): TableColumn => {
  const spec = counterMetric(counterName);
  return { key, name, label: spec.label, unit, decimals, description: spec.description };
};

const POINT_COLUMNS: readonly TableColumn[] = [
  { key: 'totalGpus', name: 'gpus', label: 'GPUs', unit: null, description: 'GPUs the asynchronous run holds' },
  { key: 'rolloutGpus', name: 'rollout_gpus', label: 'Rollout GPUs', unit: null },
  { key: 'trainerGpus', name: 'trainer_gpus', label: 'Trainer GPUs', unit: null },
  { key: 'rolloutSharePct', name: 'rollout_share_pct', label: 'Rollout share', unit: '%', decimals: 1 },
  { key: 'config', name: 'configuration', label: 'Configuration', unit: null },
  metricColumn(catalogMetric('iterationTimeS'), { key: 'stepTimeS', decimals: 1, description: 'mean step time over the replayed iterations' }),
  { key: 'stepBand', name: 'iteration_time_band_80pct_s', label: 'Iteration time, 80 % band', unit: 's' },
  { key: 'speedupX', name: 'speedup_x', label: 'Speedup vs co-located', unit: '×', decimals: 2, description: 'trained samples per second over the co-located run’s' },
  metricColumn(catalogMetric('gpuSecondsAllocated'), { key: 'gpuSecondsAllocated', decimals: 0 }),
  metricColumn(catalogMetric('costUsd'), { key: 'costUsd', decimals: 3 }),
  counter('policy_lag_mean_versions', 'policyLagMeanVersions', 'policy_lag_mean_versions', 'versions', 2),
  counter('stale_samples_frac', 'staleShare', 'stale_samples_frac', 'fraction', 2),
  counter('interrupted_sequences_frac', 'interruptedShare', 'interrupted_frac', 'fraction', 2),
  counter('rollouter_idle_frac', 'rolloutIdleShare', 'rollout_idle_frac', 'fraction', 2),
  counter('trainer_idle_frac', 'trainerIdleShare', 'trainer_idle_frac', 'fraction', 2),
  { key: 'frontier', name: 'on_frontier', label: 'Frontier', unit: null, description: 'on the time–cost–staleness Pareto frontier' },
];

function pointCells(p: PointRow) {
  return {
    totalGpus: p.totalGpus,
    rolloutGpus: p.rolloutGpus,
    trainerGpus: p.trainerGpus,
    rolloutSharePct: p.rolloutShare * 100,
    config: p.config,
    stepTimeS: p.stepTimeS,
    stepBand: bandText(p.stepTimeBand80S),
    speedupX: p.speedupX,
    gpuSecondsAllocated: p.gpuSecondsAllocated,
    costUsd: p.costUsd,
    policyLagMeanVersions: p.policyLagMeanVersions,
    staleShare: p.staleShare,
    interruptedShare: p.interruptedShare,
    rolloutIdleShare: p.rolloutIdleShare,
    trainerIdleShare: p.trainerIdleShare,
    projectedStepTimeS: p.projectedStepTimeS,
    samplesPerStep: p.samplesPerStep,
    batchTimeS: p.batchTimeS,
    frontier: p.onFrontier ? '*' : '',
  };
}

const BATCH_COLUMNS: readonly TableColumn[] = [
  { key: 'samplesPerStep', name: 'samples_per_step', label: 'Samples per step', unit: null, decimals: 0, description: 'samples trained per step' },
  { key: 'batchTimeS', name: 'time_per_colocated_batch_s', label: 'Time per co-located batch', unit: 's', decimals: 1, description: 'time to train as many samples as a co-located step: what the frontier compares' },
];

const PROJECTED_COLUMN: TableColumn = { key: 'projectedStepTimeS', name: 'projected_iteration_time_s', label: 'Projected onto the recorded run', unit: 's', decimals: 1, description: 'the recorded step × this point’s simulated step / the co-located simulated step (a named assumption)' };

/** Every point that ran, the co-located baseline first. */
export function pointsTable(report: AsyncWhatIfReport): Table {
  const b = report.baseline;
  const rows = report.points.filter((p) => p.status === 'ok').map((p) => pointCells(p));
  const baselineRow = b
    ? [
        {
          totalGpus: b.gpus,
          rolloutGpus: null,
          trainerGpus: null,
          rolloutSharePct: null,
          config: `co-located (${b.scheduler})`,
          stepTimeS: b.stepTimeS,
          stepBand: bandText(b.stepTimeBand80S),
          speedupX: 1,
          gpuSecondsAllocated: b.gpuSecondsAllocated,
          costUsd: b.costUsd,
          policyLagMeanVersions: 0,
          staleShare: 0,
          interruptedShare: 0,
          rolloutIdleShare: null,
          trainerIdleShare: null,
          frontier: b.onFrontier ? '*' : '',
        },
      ]
    : [];
  const projected = report.points.some((p) => p.projectedStepTimeS !== null);
  const otherBatch = b !== null && report.points.some((p) => p.samplesPerStep !== null && p.samplesPerStep !== b.samplesPerStep);
  const columns = [...POINT_COLUMNS.slice(0, -1), ...(otherBatch ? BATCH_COLUMNS : []), ...(projected ? [PROJECTED_COLUMN] : []), POINT_COLUMNS.at(-1)!];
  const baselineCells = { projectedStepTimeS: projected ? report.recorded!.recordedStepS : null, samplesPerStep: b?.samplesPerStep ?? null, batchTimeS: b?.stepTimeS ?? null };
  return { columns, rows: [...baselineRow.map((row) => ({ ...row, ...baselineCells })), ...rows] };
}

/** The frontier in step-time order (per co-located batch: the step itself unless a point trains another batch per step). */
export function frontierTable(report: AsyncWhatIfReport): Table {
  return {
    columns: [
      { key: 'label', name: 'run', label: 'Run', unit: null },
      metricColumn(catalogMetric('iterationTimeS'), { key: 'stepTimeS', decimals: 1, description: 'per co-located batch' }),
      { key: 'speedupX', name: 'speedup_x', label: 'Speedup vs co-located', unit: '×', decimals: 2 },
      metricColumn(catalogMetric('costUsd'), { key: 'costUsd', decimals: 3 }),
      counter('stale_samples_frac', 'staleShare', 'stale_samples_frac', 'fraction', 2),
    ],
    rows: report.frontier.map((f) => ({ ...f })),
  };
}

/** Points that did not run, one row per split and reason (the configurations it concerns listed). */
export function notRunTable(report: AsyncWhatIfReport): Table {
  const groups = new Map<string, { totalGpus: number; rolloutGpus: number; trainerGpus: number; status: string; reason: string; configs: string[] }>();
  for (const p of report.points) {
    if (p.status === 'ok') continue;
    const key = `${p.totalGpus}/${p.rolloutGpus}/${p.status}/${p.reason}`;
    const group = groups.get(key) ?? { totalGpus: p.totalGpus, rolloutGpus: p.rolloutGpus, trainerGpus: p.trainerGpus, status: p.status, reason: p.reason ?? '', configs: [] };
    group.configs.push(p.config);
    groups.set(key, group);
  }
  return {
    columns: [
      { key: 'totalGpus', name: 'gpus', label: 'GPUs', unit: null },
      { key: 'rolloutGpus', name: 'rollout_gpus', label: 'Rollout GPUs', unit: null },
      { key: 'trainerGpus', name: 'trainer_gpus', label: 'Trainer GPUs', unit: null },
      { key: 'configs', name: 'configurations', label: 'Configurations', unit: null },
      { key: 'status', name: 'status', label: 'Status', unit: null },
      { key: 'reason', name: 'reason', label: 'Reason', unit: null },
    ],
    rows: [...groups.values()].map((g) => ({ ...g, configs: g.configs.length > 2 ? `${g.configs.length} configurations` : g.configs.join('; ') })),
  };
}
