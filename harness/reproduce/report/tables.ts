import { mean } from '../../stats/mean.js';
import { median } from '../../stats/median.js';
import { summarise } from '../../stats/summarise.js';
import type { Table, TableColumn } from '../../report/tables.js';
import type { ComparisonDocument } from '../compare.js';
import { describePublished } from '../compare.js';
import { statusText } from './summary.js';
import { pairedRatio } from '../figures/estimates.js';
import { catalogMetric, metricColumn, unitSuffix } from '../../metrics/catalog.js';
import { ITERATION_METRIC_NAMES, type MetricName } from '../../metrics/iteration.js';
import type { ReproduceResults } from '../results.js';

/**
 * The reproduction's tables, each with machine column names carrying units (CSV and JSON) and
 * human headers (page, terminal): the comparison, per-figure estimates per configuration,
 * per-configuration statistics of every metric (arquero summaries with bootstrap CIs), the ratios
 * against each paper's baselines, the sensitivity analysis, and every simulated iteration.
 */
export function comparisonTable(doc: ComparisonDocument): Table {
  return {
    columns: [
      { key: 'id', name: 'figure', label: 'Figure', unit: null },
      { key: 'published', name: 'published', label: 'Published', unit: null },
      { key: 'mean', name: 'reproduced_mean', label: 'Reproduced', unit: null, decimals: 3 },
      { key: 'ciLow', name: 'reproduced_ci_low', label: '95 % CI low', unit: null, decimals: 3 },
      { key: 'ciHigh', name: 'reproduced_ci_high', label: '95 % CI high', unit: null, decimals: 3 },
      { key: 'unit', name: 'unit', label: 'Unit', unit: null },
      { key: 'status', name: 'status', label: 'Status', unit: null },
      { key: 'dependsOn', name: 'depends_on', label: 'Depends most on', unit: null },
      { key: 'reason', name: 'reason', label: 'Reason', unit: null },
    ],
    rows: doc.figures.map((figure) => ({
      id: figure.id,
      published: describePublished(figure.published, figure.unit),
      mean: figure.reproduced?.mean ?? null,
      ciLow: figure.reproduced?.ciLow ?? null,
      ciHigh: figure.reproduced?.ciHigh ?? null,
      unit: figure.unit,
      status: statusText(figure),
      dependsOn: figure.dependsOn.join(', '),
      reason: figure.reason,
    })),
  };
}

/** One figure's estimate per configuration (for figures aggregated over several). */
export function figureTable(results: ReproduceResults, figureId: string, unit: string): Table | undefined {
  const figure = results.figures.find((f) => f.id === figureId);
  if (!figure || !figure.outcome.ok || figure.outcome.perConfig.length === 0) return undefined;
  const suffix = unitSuffix(unit);
  return {
    columns: [
      { key: 'config', name: 'configuration', label: 'Configuration', unit: null },
      { key: 'label', name: 'label', label: 'Setting', unit: null },
      { key: 'mean', name: `estimate_${suffix}`, label: 'Estimate', unit, decimals: 3 },
      { key: 'ciLow', name: `ci_low_${suffix}`, label: '95 % CI low', unit, decimals: 3 },
      { key: 'ciHigh', name: `ci_high_${suffix}`, label: '95 % CI high', unit, decimals: 3 },
      { key: 'n', name: 'units', label: 'Paired iterations', unit: null },
    ],
    rows: figure.outcome.perConfig.map((e) => ({ config: e.config, label: e.label, mean: e.mean, ciLow: e.ciLow, ciHigh: e.ciHigh, n: e.n })),
  };
}

const METRICS: readonly MetricName[] = ITERATION_METRIC_NAMES;

function iterationRows(results: ReproduceResults): Record<string, string | number | null>[] {
  const rows: Record<string, string | number | null>[] = [];
  for (const run of results.main) {
    for (const row of run.result.iterations) {
      rows.push({ paper: run.testCase.config.paper, config: run.testCase.config.id, scheduler: row.scheduler, seed: row.seed, iteration: row.iteration, ...row.metrics });
    }
  }
  return rows;
}

/** Every simulated (measured) iteration of the main runs. */
export function iterationsTable(results: ReproduceResults): Table {
  return {
    columns: [
      { key: 'paper', name: 'paper', unit: null },
      { key: 'config', name: 'configuration', unit: null },
      { key: 'scheduler', name: 'scheduler', unit: null },
      { key: 'seed', name: 'seed', unit: null },
      { key: 'iteration', name: 'iteration', unit: null },
      ...METRICS.map((metric): TableColumn => metricColumn(catalogMetric(metric), { decimals: 3 })),
    ],
    rows: iterationRows(results),
  };
}

/** Mean, median and a 95 % bootstrap CI of the mean of every metric, per configuration × scheduler (arquero groups). */
export function metricsTable(results: ReproduceResults, seed: string, resamples: number): Table {
  const rows = iterationRows(results);
  const summary = summarise(rows, { by: ['paper', 'config', 'scheduler'], metrics: METRICS, seed, resamples });
  const grouped = new Map<string, Record<string, string | number | null>>();
  for (const row of summary) {
    const key = `${row.key['config']}|${row.key['scheduler']}`;
    const out = grouped.get(key) ?? { paper: row.key['paper'] as string, config: row.key['config'] as string, scheduler: row.key['scheduler'] as string, n: row.n };
    const metric = row.metric as MetricName;
    out[`${metric}:mean`] = row.mean;
    out[`${metric}:median`] = row.median;
    out[`${metric}:ciLow`] = row.ciLow;
    out[`${metric}:ciHigh`] = row.ciHigh;
    out['n'] = Math.max(Number(out['n'] ?? 0), row.n);
    grouped.set(key, out);
  }
  const metricColumns = METRICS.flatMap((metric): TableColumn[] => {
    const spec = catalogMetric(metric);
    return [
      metricColumn(spec, { key: `${metric}:mean`, suffix: '_mean', labelSuffix: ', mean', decimals: 3, description: `mean ${spec.description}` }),
      metricColumn(spec, { key: `${metric}:median`, suffix: '_median', labelSuffix: ', median', decimals: 3, description: `median ${spec.description}` }),
      metricColumn(spec, { key: `${metric}:ciLow`, suffix: '_ci_low', labelSuffix: ', 95 % CI low', decimals: 3, description: '95 % percentile-bootstrap interval of the mean' }),
      metricColumn(spec, { key: `${metric}:ciHigh`, suffix: '_ci_high', labelSuffix: ', 95 % CI high', decimals: 3, description: '95 % percentile-bootstrap interval of the mean' }),
    ];
  });
  return {
    columns: [
      { key: 'paper', name: 'paper', unit: null },
      { key: 'config', name: 'configuration', unit: null },
      { key: 'scheduler', name: 'scheduler', unit: null },
      { key: 'n', name: 'iterations', label: 'Iterations (seeds × measured)', unit: null },
      ...metricColumns,
    ],
    rows: [...grouped.values()],
  };
}

/** The baselines each paper compares against, for the ratio table. */
const RATIO_BASELINES: Readonly<Record<string, readonly string[]>> = { rlhfuse: ['deepspeed-chat', 'realhf', 'rlhfuse-base'], rlhfless: ['verl'] };

/** Speedup and cost reduction of every scheduler against each of its paper's baselines, per configuration: ratio of means with CI, and the median of per-iteration ratios. */
export function ratiosTable(results: ReproduceResults, seed: string, resamples: number): Table {
  const rows: Record<string, string | number | null>[] = [];
  const options = { ci: true, resamples, seed };
  for (const config of results.configs) {
    const byScheduler = new Map<string, Map<string, { time: number; cost: number }>>();
    for (const run of results.main.filter((r) => r.testCase.config.id === config.id)) {
      for (const row of run.result.iterations) {
        const units = byScheduler.get(row.scheduler) ?? new Map();
        units.set(`${row.seed}/${row.iteration}`, { time: row.metrics.iterationTimeS ?? Number.NaN, cost: row.metrics.gpuSecondsAllocated ?? Number.NaN });
        byScheduler.set(row.scheduler, units);
      }
    }
    for (const baseline of RATIO_BASELINES[config.paper] ?? []) {
      const base = byScheduler.get(baseline);
      if (!base) continue;
      for (const scheduler of config.schedulers) {
        const candidate = byScheduler.get(scheduler);
        if (!candidate || scheduler === baseline) continue;
        const keys = [...base.keys()].filter((key) => candidate.has(key)).sort();
        if (keys.length === 0) continue;
        const bt = keys.map((k) => base.get(k)!.time);
        const ct = keys.map((k) => candidate.get(k)!.time);
        const bc = keys.map((k) => base.get(k)!.cost);
        const cc = keys.map((k) => candidate.get(k)!.cost);
        const speed = pairedRatio(bt, ct, options, `ratio/${config.id}/${baseline}/${scheduler}/time`);
        const cost = pairedRatio(cc, bc, options, `ratio/${config.id}/${baseline}/${scheduler}/cost`, (r) => 100 * (1 - r));
        rows.push({
          config: config.id,
          scheduler,
          baseline,
          n: keys.length,
          speedupMean: speed.mean,
          speedupMedian: median(keys.map((_, i) => bt[i]! / ct[i]!)),
          speedupLow: speed.ciLow,
          speedupHigh: speed.ciHigh,
          costMean: cost.mean,
          costMedian: median(keys.map((_, i) => 100 * (1 - cc[i]! / bc[i]!))),
          costLow: cost.ciLow,
          costHigh: cost.ciHigh,
        });
      }
    }
  }
  return {
    columns: [
      { key: 'config', name: 'configuration', unit: null },
      { key: 'scheduler', name: 'scheduler', unit: null },
      { key: 'baseline', name: 'baseline', unit: null },
      { key: 'n', name: 'paired_iterations', unit: null },
      { key: 'speedupMean', name: 'speedup_x', label: 'Speedup (ratio of mean times)', unit: '×', decimals: 3 },
      { key: 'speedupMedian', name: 'speedup_median_x', label: 'Median per-iteration speedup', unit: '×', decimals: 3 },
      { key: 'speedupLow', name: 'speedup_ci_low_x', unit: '×', decimals: 3 },
      { key: 'speedupHigh', name: 'speedup_ci_high_x', unit: '×', decimals: 3 },
      { key: 'costMean', name: 'cost_reduction_pct', label: 'Cost reduction (GPU·s allocated)', unit: '%', decimals: 2 },
      { key: 'costMedian', name: 'cost_reduction_median_pct', unit: '%', decimals: 2 },
      { key: 'costLow', name: 'cost_reduction_ci_low_pct', unit: '%', decimals: 2 },
      { key: 'costHigh', name: 'cost_reduction_ci_high_pct', unit: '%', decimals: 2 },
    ],
    rows,
  };
}

/** Every sensitivity evaluation: figure, assumption, value, the figure there, its baseline. */
export function sensitivityTable(results: ReproduceResults): Table {
  const rows: Record<string, string | number | boolean | null>[] = [];
  for (const sensitivity of results.sensitivity) {
    for (const entry of sensitivity.entries) {
      for (const value of entry.values) {
        rows.push({
          figure: sensitivity.figure,
          assumption: entry.assumption,
          value: String(value.value),
          figureValue: value.figure,
          baseline: sensitivity.baseline,
          change: value.figure - sensitivity.baseline,
          dependsOn: sensitivity.dependsOn.includes(entry.assumption),
        });
      }
    }
  }
  return {
    columns: [
      { key: 'figure', name: 'figure', unit: null },
      { key: 'assumption', name: 'assumption', unit: null },
      { key: 'value', name: 'assumption_value', unit: null },
      { key: 'figureValue', name: 'figure_value', label: 'Figure at this value', unit: "figure's unit", decimals: 4 },
      { key: 'baseline', name: 'figure_baseline', label: 'Figure at the defaults (probe)', unit: "figure's unit", decimals: 4 },
      { key: 'change', name: 'figure_change', unit: "figure's unit", decimals: 4 },
      { key: 'dependsOn', name: 'in_depends_on', unit: null },
    ],
    rows,
  };
}

/** Mean of a series or NaN (for charts). */
export function safeMean(values: readonly number[]): number {
  return values.length > 0 ? mean(values) : Number.NaN;
}
