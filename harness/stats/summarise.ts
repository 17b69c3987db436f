import { from, op } from 'arquero';
import { bootstrapMeanCi } from './bootstrap-mean-ci.js';
import type { BootstrapOptions } from './confidence-interval.js';
import { mean } from './mean.js';
import { median } from './median.js';
import { standardDeviation } from './standard-deviation.js';

export interface SummariseOptions extends BootstrapOptions {
  /** Columns that define a group (e.g. ['scheduler', 'model']); [] for one group of all rows. */
  readonly by: readonly string[];
  /** Numeric columns to summarise, named with their units ('iteration_time_s'). */
  readonly metrics: readonly string[];
}

export type GroupKey = string | number | boolean | null;

/** One group × metric: the group's key columns, then the metric's statistics over its finite values. */
export interface SummaryRow {
  readonly key: Readonly<Record<string, GroupKey>>;
  readonly metric: string;
  /** Finite values used; missing (null/undefined) and non-finite values are not counted. */
  readonly n: number;
  readonly mean: number;
  readonly median: number;
  /** Sample standard deviation (n − 1); NaN for n = 1. */
  readonly sd: number;
  /** Percentile-bootstrap interval of the mean. */
  readonly ciLow: number;
  readonly ciHigh: number;
}

/**
 * Mean, median, standard deviation and a bootstrap confidence interval of the mean for every
 * metric in every group (arquero groups, in first-seen order; metrics in the order given). Each
 * interval has its own resampling stream, seeded from `seed`, the group key and the metric, so
 * adding a group or a metric does not move the others' intervals. A metric with no finite value
 * in a group gives n = 0 and NaN statistics rather than vanishing.
 */
export function summarise(rows: readonly Readonly<Record<string, unknown>>[], options: SummariseOptions): SummaryRow[] {
  const { by, metrics } = options;
  const seed = options.seed ?? 1;
  if (metrics.length === 0) return [];
  rows.forEach((row, index) => {
    for (const metric of metrics) {
      const value = row[metric];
      if (value !== null && value !== undefined && typeof value !== 'number') {
        throw new TypeError(`summarise: row ${index} metric '${metric}' is ${JSON.stringify(value)}, not a number`);
      }
    }
  });
  const aggregates = Object.fromEntries(metrics.map((metric, i) => [`__values_${i}`, op.array_agg(metric)]));
  const table = from(rows.map((row) => ({ ...row })));
  const grouped = (by.length > 0 ? table.groupby([...by]) : table).rollup(aggregates).objects() as Record<string, unknown>[];
  const summary: SummaryRow[] = [];
  for (const group of grouped) {
    const key: Record<string, GroupKey> = {};
    for (const column of by) key[column] = (group[column] ?? null) as GroupKey;
    metrics.forEach((metric, i) => {
      const values = ((group[`__values_${i}`] ?? []) as unknown[]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (values.length === 0) {
        summary.push({ key, metric, n: 0, mean: Number.NaN, median: Number.NaN, sd: Number.NaN, ciLow: Number.NaN, ciHigh: Number.NaN });
        return;
      }
      const interval = bootstrapMeanCi(values, { ...options, seed: `${seed}/${JSON.stringify(by.map((column) => key[column]))}/${metric}` });
      summary.push({
        key,
        metric,
        n: values.length,
        mean: mean(values),
        median: median(values),
        sd: standardDeviation(values),
        ciLow: interval.ciLow,
        ciHigh: interval.ciHigh,
      });
    });
  }
  return summary;
}
