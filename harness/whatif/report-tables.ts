import { catalogMetric, metricColumn } from '../metrics/catalog.js';
import type { Table, TableColumn } from '../report/tables.js';
import type { WhatIfReport } from './what-if.js';

/** The what-if tables, one shape for the terminal and the HTML page. Column names carry units. */

const snake = (stage: string) => stage.replace(/[^a-z0-9]+/gi, '_').replace(/^_+|_+$/g, '').toLowerCase() || 'stage';

export function recordedStepsTable(report: WhatIfReport): Table {
  const { recorded } = report;
  const stages = recorded.matchedStages;
  const iterationOfStep = new Map(report.pairing.pairs.map((p) => [p.step.step, p.iteration] as const));
  const columns: TableColumn[] = [
    { key: 'step', name: 'step', label: 'Step', unit: null },
    { key: 'iteration', name: 'iteration', label: 'Iteration', unit: null, description: 'lengths-trace iteration it is compared with' },
    { key: 'durationS', name: 'step_s', label: 'Step time', unit: 's', decimals: 3 },
    { key: 'busyPct', name: 'gpu_busy_pct', label: 'GPUs busy', unit: '%', decimals: 1 },
    ...stages.map((stage) => ({ key: `stage:${stage}`, name: `${snake(stage)}_s`, label: stage, unit: 's', decimals: 3 })),
  ];
  return {
    columns,
    rows: recorded.steps.map((s) => ({
      step: s.step,
      iteration: iterationOfStep.get(s.step) ?? null,
      durationS: s.durationS ?? null,
      busyPct: s.busyFraction === undefined ? null : 100 * s.busyFraction,
      ...Object.fromEntries(stages.map((stage) => [`stage:${stage}`, s.stagesS[stage] ?? null])),
    })),
  };
}

export function mappingTable(report: WhatIfReport): Table {
  return {
    columns: [
      { key: 'name', name: 'annotation', label: 'Annotation', unit: null },
      { key: 'stage', name: 'stage', label: 'Stage', unit: null },
      { key: 'tasks', name: 'simulator_tasks', label: 'Simulator tasks', unit: null },
      { key: 'count', name: 'ranges', label: 'Ranges', unit: null },
      { key: 'totalS', name: 'total_s', label: 'Total', unit: 's', decimals: 3 },
      { key: 'via', name: 'mapped_by', label: 'Mapped by', unit: null },
    ],
    rows: report.recorded.annotations.map((a) => ({
      name: a.name,
      stage: a.stage,
      tasks: a.tasks ? a.tasks.join('+') : null,
      count: a.count,
      totalS: a.totalS,
      via: a.via === 'stage-map' ? '--stage-map' : a.via === 'default' ? 'default table' : 'not matched',
    })),
  };
}

export function fidelityTable(report: WhatIfReport): Table {
  return {
    columns: [
      { key: 'stage', name: 'stage', label: 'Stage', unit: null },
      { key: 'tasks', name: 'simulator_tasks', label: 'Simulator tasks', unit: null },
      { key: 'steps', name: 'steps', label: 'Steps', unit: null },
      { key: 'recordedMeanS', name: 'recorded_mean_s', label: 'Recorded, mean', unit: 's', decimals: 3 },
      { key: 'simulatedMeanS', name: 'simulated_mean_s', label: 'Simulated, mean', unit: 's', decimals: 3 },
      { key: 'meanErrorPct', name: 'mean_error_pct', label: 'Mean error', unit: '%', decimals: 1 },
      { key: 'meanAbsErrorPct', name: 'mean_abs_error_pct', label: 'Mean absolute error', unit: '%', decimals: 1 },
    ],
    rows: report.fidelity.stages.map((s) => ({
      stage: s.stage,
      tasks: s.tasks ? s.tasks.join('+') : 'iteration',
      steps: s.iterations,
      recordedMeanS: s.recordedMeanS,
      simulatedMeanS: s.simulatedMeanS ?? null,
      meanErrorPct: s.meanErrorPct ?? null,
      meanAbsErrorPct: s.meanAbsErrorPct ?? null,
    })),
  };
}

/** The recorded run first (when it has step times), then every scheduler. */
export function schedulersTable(report: WhatIfReport): Table {
  const recorded = report.recorded.perStep;
  const recordedUtilisation = report.utilisation.meanUtilisation['recorded'];
  return {
    columns: [
      { key: 'run', name: 'run', label: 'Run', unit: null },
      metricColumn(catalogMetric('iterationTimeS'), { key: 'iterationTimeS', decimals: 2 }),
      { key: 'timePct', name: 'time_vs_baseline_pct', label: 'Time vs baseline', unit: '%', decimals: 1 },
      { key: 'speedupX', name: 'speedup_x', label: 'Speedup', unit: '×', decimals: 2 },
      metricColumn(catalogMetric('gpuSecondsAllocated'), { key: 'gpuSeconds', decimals: 0 }),
      { key: 'gpuPct', name: 'gpu_s_vs_baseline_pct', label: 'GPU time vs baseline', unit: '%', decimals: 1 },
      metricColumn(catalogMetric('costUsd'), { key: 'costUsd', decimals: 3 }),
      { key: 'costPct', name: 'cost_vs_baseline_pct', label: 'Cost vs baseline', unit: '%', decimals: 1 },
      { key: 'utilisationPct', name: 'gpu_busy_pct', label: 'GPUs busy', unit: '%', decimals: 1 },
      { key: 'projectedTimeS', name: 'projected_iteration_time_s', label: 'Projected iteration time', unit: 's', decimals: 2 },
      { key: 'projectedCostUsd', name: 'projected_cost_usd', label: 'Projected cost', unit: 'USD', decimals: 3 },
    ],
    rows: [
      ...(recorded
        ? [
            {
              run: 'recorded',
              iterationTimeS: recorded.iterationTimeS,
              gpuSeconds: recorded.gpuSeconds,
              costUsd: recorded.costUsd,
              utilisationPct: recordedUtilisation === null || recordedUtilisation === undefined ? null : 100 * recordedUtilisation,
            },
          ]
        : []),
      ...report.outcomes.map((o) => {
        const busy = report.utilisation.meanUtilisation[o.scheduler];
        return {
          run: o.scheduler === report.fidelity.baseline ? `${o.scheduler} (baseline)` : o.scheduler,
          iterationTimeS: o.iterationTimeS,
          timePct: o.vsBaseline.iterationTimePct,
          speedupX: o.vsBaseline.speedupX,
          gpuSeconds: o.gpuSecondsAllocated,
          gpuPct: o.vsBaseline.gpuSecondsPct,
          costUsd: o.costUsd,
          costPct: o.vsBaseline.costPct,
          utilisationPct: busy === null || busy === undefined ? null : 100 * busy,
          projectedTimeS: o.projected?.iterationTimeS ?? null,
          projectedCostUsd: o.projected?.costUsd ?? null,
        };
      }),
    ],
  };
}
