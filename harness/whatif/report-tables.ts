import type { Table, TableColumn } from '../report/tables.js';
import type { WhatIfReport } from './what-if.js';

/** The what-if tables, one shape for the terminal and the HTML page. Column names carry units. */

const snake = (stage: string) => stage.replace(/[^a-z0-9]+/gi, '_').replace(/^_+|_+$/g, '').toLowerCase() || 'stage';

export function recordedStepsTable(report: WhatIfReport): Table {
  const { recorded } = report;
  const stages = recorded.matchedStages;
  const iterationOfStep = new Map(report.pairing.pairs.map((p) => [p.step.step, p.iteration] as const));
  const columns: TableColumn[] = [
    { key: 'step', name: 'step', unit: null },
    { key: 'iteration', name: 'iteration', unit: null, description: 'lengths-trace iteration it is compared with' },
    { key: 'durationS', name: 'step_s', unit: null, decimals: 3 },
    { key: 'busyPct', name: 'gpu_busy_pct', unit: null, decimals: 1 },
    ...stages.map((stage) => ({ key: `stage:${stage}`, name: `${snake(stage)}_s`, unit: null, decimals: 3 })),
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
      { key: 'name', name: 'annotation', unit: null },
      { key: 'stage', name: 'stage', unit: null },
      { key: 'tasks', name: 'simulator_tasks', unit: null },
      { key: 'count', name: 'ranges', unit: null },
      { key: 'totalS', name: 'total_s', unit: null, decimals: 3 },
      { key: 'via', name: 'mapped_by', unit: null },
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
      { key: 'stage', name: 'stage', unit: null },
      { key: 'tasks', name: 'simulator_tasks', unit: null },
      { key: 'steps', name: 'steps', unit: null },
      { key: 'recordedMeanS', name: 'recorded_mean_s', unit: null, decimals: 3 },
      { key: 'simulatedMeanS', name: 'simulated_mean_s', unit: null, decimals: 3 },
      { key: 'meanErrorPct', name: 'mean_error_pct', unit: null, decimals: 1 },
      { key: 'meanAbsErrorPct', name: 'mean_abs_error_pct', unit: null, decimals: 1 },
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
      { key: 'run', name: 'run', unit: null },
      { key: 'iterationTimeS', name: 'iteration_time_s', unit: null, decimals: 2 },
      { key: 'timePct', name: 'time_vs_baseline_pct', unit: null, decimals: 1 },
      { key: 'speedupX', name: 'speedup_x', unit: null, decimals: 2 },
      { key: 'gpuSeconds', name: 'gpu_s', unit: null, decimals: 0 },
      { key: 'gpuPct', name: 'gpu_s_vs_baseline_pct', unit: null, decimals: 1 },
      { key: 'costUsd', name: 'cost_usd', unit: null, decimals: 3 },
      { key: 'costPct', name: 'cost_vs_baseline_pct', unit: null, decimals: 1 },
      { key: 'utilisationPct', name: 'gpu_busy_pct', unit: null, decimals: 1 },
      { key: 'projectedTimeS', name: 'projected_iteration_time_s', unit: null, decimals: 2 },
      { key: 'projectedCostUsd', name: 'projected_cost_usd', unit: null, decimals: 3 },
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
