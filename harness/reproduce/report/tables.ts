import { mean } from '../../stats/mean.js';
import { median } from '../../stats/median.js';
import type { Table, TableColumn } from '../../report/tables.js';
import type { ComparisonDocument } from '../compare.js';
import { describePublished } from '../compare.js';
import { statusText } from './summary.js';
import { catalogMetric, metricColumn, unitSuffix } from '../../metrics/catalog.js';
import { ITERATION_METRIC_NAMES, type MetricName } from '../../metrics/iteration.js';
import type { ReproduceResults } from '../results.js';
import { metricBand } from '../../fidelity/metric-bands.js';
import type { ScenarioFramework } from '../../scenario/cost-model.js';

/**
 * The reproduction's tables, each with machine column names carrying units (CSV and JSON) and
 * human headers (page, terminal): the comparison, per-figure estimates per configuration,
 * per-configuration statistics of every metric (the book's means with bootstrap CIs), the ratios
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

/**
 * Mean, median and a 95 % bootstrap CI of the mean of every metric, per configuration ×
 * scheduler (in the order the runs first show them). The means and intervals are the book's: the
 * charts' bars show the same ones.
 */
/**
 * Mean, median and bootstrap interval of every iteration metric per configuration and scheduler;
 * for simulated times and costs, also the 80 % band of the mean from the framework calibration's
 * out-of-sample errors (fidelity/metric-bands.ts), given each configuration's framework.
 */
export function metricsTable(results: ReproduceResults, frameworks: ReadonlyMap<string, ScenarioFramework> = new Map()): Table {
  const { book } = results;
  const grouped = new Map<string, Record<string, string | number | null>>();
  for (const row of iterationRows(results)) {
    const key = `${row['config']}|${row['scheduler']}`;
    if (grouped.has(key)) continue;
    const side = { config: row['config'] as string, scheduler: row['scheduler'] as string };
    const out: Record<string, string | number | null> = { paper: row['paper'] as string, config: side.config, scheduler: side.scheduler, n: 0 };
    for (const metric of METRICS) {
      const values = book.data.series(side.config, side.scheduler, metric);
      const e = book.mean(side, metric);
      out[`${metric}:mean`] = e.mean;
      out[`${metric}:median`] = values.length > 0 ? median(values) : Number.NaN;
      out[`${metric}:ciLow`] = e.ciLow;
      out[`${metric}:ciHigh`] = e.ciHigh;
      out['n'] = Math.max(Number(out['n']), e.n);
      const framework = frameworks.get(side.config);
      const band = framework ? metricBand(catalogMetric(metric), e.mean, { framework, scheduler: side.scheduler }) : undefined;
      out[`${metric}:bandLow`] = band?.lowS ?? null;
      out[`${metric}:bandHigh`] = band?.highS ?? null;
    }
    grouped.set(key, out);
  }
  const metricColumns = METRICS.flatMap((metric): TableColumn[] => {
    const spec = catalogMetric(metric);
    return [
      metricColumn(spec, { key: `${metric}:mean`, suffix: '_mean', labelSuffix: ', mean', decimals: 3, description: `mean ${spec.description}` }),
      metricColumn(spec, { key: `${metric}:median`, suffix: '_median', labelSuffix: ', median', decimals: 3, description: `median ${spec.description}` }),
      metricColumn(spec, { key: `${metric}:ciLow`, suffix: '_ci_low', labelSuffix: ', 95 % CI low', decimals: 3, description: '95 % percentile-bootstrap interval of the mean' }),
      metricColumn(spec, { key: `${metric}:ciHigh`, suffix: '_ci_high', labelSuffix: ', 95 % CI high', decimals: 3, description: '95 % percentile-bootstrap interval of the mean' }),
      ...(spec.fidelityStage === undefined
        ? []
        : [
            metricColumn(spec, { key: `${metric}:bandLow`, suffix: '_band80_low', labelSuffix: ', 80 % band low', decimals: 3, description: 'what a real run would measure: 80 % band of the mean from the framework calibration’s out-of-sample errors, widened outside its range' }),
            metricColumn(spec, { key: `${metric}:bandHigh`, suffix: '_band80_high', labelSuffix: ', 80 % band high', decimals: 3, description: 'what a real run would measure: 80 % band of the mean from the framework calibration’s out-of-sample errors, widened outside its range' }),
          ]),
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

/** Speedup and cost reduction of every scheduler against each of its paper's baselines, per configuration: the book's ratio of means with its CI, and the median of per-iteration ratios. */
export function ratiosTable(results: ReproduceResults): Table {
  const { book } = results;
  const rows: Record<string, string | number | null>[] = [];
  for (const config of results.configs) {
    for (const baseline of RATIO_BASELINES[config.paper] ?? []) {
      if (!book.data.has(config.id, baseline)) continue;
      for (const scheduler of config.schedulers) {
        if (scheduler === baseline || !book.data.has(config.id, scheduler)) continue;
        const base = { config: config.id, scheduler: baseline };
        const candidate = { config: config.id, scheduler };
        const speed = book.speedup(base, candidate, 'iterationTimeS');
        if (speed.n === 0) continue;
        const cost = book.reductionPct(base, candidate, 'gpuSecondsAllocated');
        const [bt, ct] = book.data.paired(base, candidate, 'iterationTimeS');
        const [bc, cc] = book.data.paired(base, candidate, 'gpuSecondsAllocated');
        rows.push({
          config: config.id,
          scheduler,
          baseline,
          n: speed.n,
          speedupMean: speed.mean,
          speedupMedian: median(bt.map((b, i) => b / ct[i]!)),
          speedupLow: speed.ciLow,
          speedupHigh: speed.ciHigh,
          costMean: cost.mean,
          costMedian: bc.length > 0 ? median(bc.map((b, i) => 100 * (1 - cc[i]! / b))) : Number.NaN,
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
