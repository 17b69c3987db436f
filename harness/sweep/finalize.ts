import { groupedBarChart, lineWithBandChart } from '../report/charts/index.js';
import type { ChartPage } from '../report/page-model.js';
import type { Table } from '../report/tables.js';
import { formatTextTable } from '../report/text-table.js';
import { bootstrapMeanCi } from '../stats/bootstrap-mean-ci.js';
import { EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR, EXIT_OK } from '../util/exit-codes.js';
import type { CaseOutcome } from '../jobs/cases.js';
import { bandFromFactors } from '../fidelity/metric-bands.js';
import { metricHeader } from '../metrics/catalog.js';
import { metricSpec } from './metrics.js';
import { pointId, type SweepPlan } from './plan.js';
import type { SweepPointResult } from './point.js';

/** One row of the sweep: the metric over the point's iterations. */
export interface SweepRow {
  readonly id: string;
  readonly value: number | string | boolean;
  readonly status: 'ok' | 'error';
  /** Mean of the metric over the iterations (null when the point failed or never had the metric). */
  readonly mean: number | null;
  /** 95 % percentile-bootstrap interval of the mean over iterations; null with fewer than two. */
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  /** 80 % band of the mean for what a real run would measure (fidelity/metric-bands.ts); null for a metric without a stage kind or without a framework calibration. */
  readonly bandLow: number | null;
  readonly bandHigh: number | null;
  readonly iterations: number;
  readonly perIteration: readonly { readonly iteration: number; readonly value: number }[];
  /** Notes only this point's replay made (the ones every point made are the report's). */
  readonly notes: readonly string[];
  readonly error?: string;
}

export interface SweepReport {
  readonly meta: {
    readonly command: 'sweep';
    readonly scenario: string;
    readonly trace: string;
    readonly scheduler: string;
    readonly param: string;
    readonly paramUnit: string;
    readonly metric: string;
    readonly metricUnit: string;
    readonly optimum: 'min' | 'max';
    readonly seed: number;
    readonly costModel: string | null;
  };
  readonly rows: readonly SweepRow[];
  /** The best row by the metric (ties: the earlier value); null when no point succeeded. */
  readonly best: { readonly value: number | string | boolean; readonly mean: number } | null;
  readonly notes: readonly string[];
  readonly errors: readonly { readonly id: string; readonly message: string; readonly inputError: boolean }[];
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Outcomes (any order, one per case) → the report. The same function finalizes an unsharded run and a merge. */
export function summarizeSweep(plan: SweepPlan, outcomes: readonly CaseOutcome<SweepPointResult>[], optimum?: 'min' | 'max'): SweepReport {
  const { config } = plan;
  const spec = metricSpec(config.metric);
  const better = optimum ?? (spec.better === 'lower' ? 'min' : 'max');
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  let costModel: string | null = null;
  const errors: SweepReport['errors'][number][] = [];
  const bandNotes = new Set<string>();
  const rows = config.values.map((value, index): SweepRow => {
    const id = pointId(config.scheduler, config.param, index, value);
    const outcome = byId.get(id);
    if (!outcome || outcome.status === 'error') {
      const message = outcome?.status === 'error' ? outcome.error.message : 'no outcome for this point';
      errors.push({ id, message, inputError: outcome?.status === 'error' ? outcome.error.inputError : false });
      return { id, value, status: 'error', mean: null, ciLow: null, ciHigh: null, bandLow: null, bandHigh: null, iterations: 0, perIteration: [], notes: [], error: message };
    }
    costModel ??= outcome.result.costModel;
    const perIteration = outcome.result.iterations.flatMap((f) => {
      const v = spec.read(f);
      return v === undefined ? [] : [{ iteration: f.iteration, value: v }];
    });
    const values = perIteration.map((p) => p.value);
    const ci = values.length >= 2 ? bootstrapMeanCi(values, { seed: plan.seed }) : undefined;
    const m = values.length > 0 ? mean(values) : null;
    const band = m === null ? undefined : bandFromFactors(spec, m, outcome.result.bandFactors);
    if (outcome.result.bandNote) bandNotes.add(outcome.result.bandNote);
    return {
      id,
      value,
      status: 'ok',
      mean: m,
      ciLow: ci?.ciLow ?? null,
      ciHigh: ci?.ciHigh ?? null,
      bandLow: band?.lowS ?? null,
      bandHigh: band?.highS ?? null,
      iterations: outcome.result.iterations.length,
      perIteration,
      notes: outcome.result.notes,
    };
  });
  // Notes every successful point made belong to the sweep; the rest stay with their point.
  const succeeded = rows.filter((row) => row.status === 'ok');
  const shared = succeeded.length === 0 ? [] : succeeded[0]!.notes.filter((note) => succeeded.every((row) => row.notes.includes(note)));
  const rowsWithOwnNotes = rows.map((row) => ({ ...row, notes: row.notes.filter((note) => !shared.includes(note)) }));
  let best: SweepReport['best'] = null;
  for (const row of rowsWithOwnNotes) {
    if (row.mean === null) continue;
    if (best === null || (better === 'min' ? row.mean < best.mean : row.mean > best.mean)) best = { value: row.value, mean: row.mean };
  }
  return {
    meta: {
      command: 'sweep',
      scenario: config.scenario,
      trace: config.trace,
      scheduler: config.scheduler,
      param: config.param,
      paramUnit: config.unit,
      metric: config.metric,
      metricUnit: spec.unit,
      optimum: better,
      seed: plan.seed,
      costModel,
    },
    rows: rowsWithOwnNotes,
    best,
    notes: [...shared, ...[...bandNotes].filter((n) => !shared.includes(n)).map((n) => `bands: ${n}`)],
    errors,
  };
}

export function sweepExitCode(report: SweepReport): number {
  if (report.errors.length === 0) return EXIT_OK;
  return report.errors.every((e) => e.inputError) ? EXIT_BAD_INPUT : EXIT_INTERNAL_ERROR;
}

const snake = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase();

export function sweepTable(report: SweepReport): Table {
  const metric = metricSpec(report.meta.metric);
  const column = metric.column;
  return {
    columns: [
      { key: 'value', name: snake(report.meta.param) || 'value', label: report.meta.param, unit: null },
      { key: 'mean', name: column, label: `${metric.label}, mean`, unit: metric.unit || null, decimals: 3 },
      { key: 'ciLow', name: `ci_low_${column}`, label: '95 % CI low', unit: metric.unit || null, decimals: 3 },
      { key: 'ciHigh', name: `ci_high_${column}`, label: '95 % CI high', unit: metric.unit || null, decimals: 3 },
      ...(report.rows.some((row) => row.bandLow !== null)
        ? [
            { key: 'bandLow', name: `band80_low_${column}`, label: '80 % band low', unit: metric.unit || null, decimals: 3 },
            { key: 'bandHigh', name: `band80_high_${column}`, label: '80 % band high', unit: metric.unit || null, decimals: 3 },
          ]
        : []),
      { key: 'iterations', name: 'iterations', unit: null },
      { key: 'best', name: 'optimum', unit: null },
    ],
    rows: report.rows.map((row) => ({
      value: typeof row.value === 'boolean' ? String(row.value) : row.value,
      mean: row.mean,
      ciLow: row.ciLow,
      ciHigh: row.ciHigh,
      bandLow: row.bandLow,
      bandHigh: row.bandHigh,
      iterations: row.iterations,
      best: report.best !== null && row.mean !== null && row.value === report.best.value ? '*' : row.status === 'error' ? 'error' : '',
    })),
  };
}

const withUnit = (value: number, unit: string) => `${Number(value.toPrecision(6))}${unit ? ` ${unit}` : ''}`;

export function sweepText(report: SweepReport): string {
  const m = report.meta;
  const lines = [
    `sweep ${m.scheduler} · ${m.param} (${m.paramUnit}) · scenario ${m.scenario} · trace ${m.trace} · metric ${m.metric}${m.costModel ? ` · cost model: ${m.costModel}` : ''}`,
    '',
    formatTextTable(sweepTable(report)).trimEnd(),
    '',
    report.best === null ? 'no point succeeded' : `optimum (${m.optimum} ${m.metric}): ${m.param} = ${String(report.best.value)} → ${withUnit(report.best.mean, m.metricUnit)}`,
    ...report.notes.map((note) => `note: ${note}`),
    ...report.rows.flatMap((row) => row.notes.map((note) => `note (${m.param} = ${String(row.value)}): ${note}`)),
    ...report.errors.map((e) => `error: ${e.id}: ${e.message}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The chart page: the metric against the value with its band and optimum (numbers), or bars (choices). */
export function sweepChartPage(report: SweepReport): ChartPage {
  const m = report.meta;
  const ok = report.rows.filter((row): row is SweepRow & { mean: number } => row.mean !== null);
  const yTitle = metricHeader(metricSpec(m.metric));
  const numeric = ok.every((row) => typeof row.value === 'number');
  const spec = numeric
    ? lineWithBandChart(
        ok.map((row) => ({ series: m.scheduler, x: row.value as number, mean: row.mean, ciLow: row.ciLow, ciHigh: row.ciHigh })),
        { xTitle: `${m.param} (${m.paramUnit})`, yTitle, yUnit: m.metricUnit, seriesTitle: 'Scheduler', optimum: m.optimum, description: `${m.metric} of ${m.scheduler} against ${m.param}` },
      )
    : groupedBarChart(
        ok.map((row) => ({ group: String(row.value), series: m.scheduler, mean: row.mean, ciLow: row.ciLow, ciHigh: row.ciHigh })),
        { valueTitle: yTitle, valueUnit: m.metricUnit, groupTitle: m.param, seriesTitle: 'Scheduler' },
      );
  const bestText = report.best === null ? 'No point succeeded.' : `Optimum (${m.optimum}): ${m.param} = ${String(report.best.value)}, ${withUnit(report.best.mean, m.metricUnit)}.`;
  return {
    title: `Sweep of ${m.param} on ${m.scheduler}`,
    intro: `Scenario ${m.scenario}, trace ${m.trace}, seed ${m.seed}.${m.costModel ? ` Cost model: ${m.costModel}.` : ''} Bands are 95 % bootstrap intervals of the mean over the replayed iterations (none with a single iteration).`,
    charts: [{ id: 'sweep', title: `${m.metric} against ${m.param}`, spec, description: bestText }],
    sections: [
      { kind: 'table', id: 'points', title: 'Points', table: sweepTable(report) },
      ...(report.notes.length > 0 ? [{ kind: 'text' as const, id: 'notes', title: 'Notes', paragraphs: report.notes }] : []),
    ],
    footer: 'Generated by rlhf-replay sweep',
  };
}
