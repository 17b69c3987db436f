import type { GroupKey, SummaryRow } from '../stats/summarise.js';
import type { Table, TableCell, TableColumn } from './tables.js';

export interface SummaryMetricColumn {
  /** The metric as passed to `summarise`, named with its unit: 'iteration_time_s'. */
  readonly metric: string;
  /** Human label: 'Iteration time'. Defaults to the metric name. */
  readonly label?: string;
  /** Human unit: 's'. */
  readonly unit: string | null;
  readonly decimals?: number;
}

export interface SummaryTableOptions {
  /** One column per `by` key of the summary (key = the `by` column name). */
  readonly groupColumns: readonly TableColumn[];
  readonly metrics: readonly SummaryMetricColumn[];
  /** Confidence level for the headers; default 0.95. */
  readonly confidence?: number;
}

const STATISTICS = [
  { stat: 'mean', prefix: 'mean', label: 'mean' },
  { stat: 'median', prefix: 'median', label: 'median' },
  { stat: 'ciLow', prefix: 'ci_low', label: 'CI low' },
  { stat: 'ciHigh', prefix: 'ci_high', label: 'CI high' },
  { stat: 'sd', prefix: 'sd', label: 'SD' },
] as const;

/**
 * `summarise` output as one wide table, one row per group: for each metric `mean_<metric>`,
 * `median_<metric>`, `ci_low_<metric>`, `ci_high_<metric>`, `sd_<metric>` (the unit stays the
 * name's suffix) and `n_<metric>` (how many values, unitless). Ready for `writeCsvTable`,
 * `writeJsonTable` or a page's table section.
 */
export function summaryTable(summary: readonly SummaryRow[], options: SummaryTableOptions): Table {
  const percent = Math.round(100 * (options.confidence ?? 0.95));
  const columns: TableColumn[] = [...options.groupColumns];
  for (const metric of options.metrics) {
    const label = metric.label ?? metric.metric;
    for (const { prefix, label: statLabel } of STATISTICS) {
      columns.push({
        key: `${prefix}_${metric.metric}`,
        name: `${prefix}_${metric.metric}`,
        label: `${label} ${prefix.startsWith('ci_') ? `${percent}% ${statLabel}` : statLabel}`,
        unit: metric.unit,
        ...(metric.decimals === undefined ? {} : { decimals: metric.decimals }),
      });
    }
    columns.push({ key: `n_${metric.metric}`, name: `n_${metric.metric}`, label: `${label} n`, unit: null });
  }
  const rows = new Map<string, Record<string, TableCell>>();
  for (const entry of summary) {
    const groupId = JSON.stringify(options.groupColumns.map((column) => entry.key[column.key] ?? null));
    let row = rows.get(groupId);
    if (!row) {
      row = {};
      for (const column of options.groupColumns) row[column.key] = (entry.key[column.key] ?? null) as GroupKey;
      rows.set(groupId, row);
    }
    for (const { stat, prefix } of STATISTICS) row[`${prefix}_${entry.metric}`] = entry[stat];
    row[`n_${entry.metric}`] = entry.n;
  }
  return { columns, rows: [...rows.values()] };
}
