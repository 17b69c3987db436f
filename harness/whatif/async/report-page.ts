import { lineWithBandChart, paretoScatterChart, type ParetoRow } from '../../report/charts/index.js';
import type { ChartEntry, ChartPage, PageSection } from '../../report/page-model.js';
import type { AsyncWhatIfReport, PointRow } from './report.js';
import { bandText, frontierTable, notRunTable, pointsTable } from './report-tables.js';
import { fastestLine, recordedLine } from './report-text.js';

/** The `--chart` page of `whatif --async`: the time–cost scatter with staleness as colour and the frontier, step time against rollout share, the tables. */

const short = (value: number) => String(Number(value.toPrecision(4)));
const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** A point's on-chart name: its configuration in brief and its split. */
export function pointLabel(p: PointRow): string {
  const config = p.scheduler === 'one-step-off' ? 'one-step-off' : `staleness ${p.stalenessThreshold}`;
  return `${config}, ${p.rolloutGpus}:${p.trainerGpus}`;
}

export function frontierChart(report: AsyncWhatIfReport): ChartEntry {
  const b = report.baseline;
  const rows: ParetoRow[] = [
    ...(b ? [{ label: 'co-located', kind: `co-located (${b.scheduler})`, x: b.stepTimeS, y: b.costUsd, colour: 0, frontier: b.onFrontier, details: [`${b.gpus} GPUs`, ...(b.stepTimeBand80S ? [`step time 80% band ${bandText(b.stepTimeBand80S)} s`] : [])] }] : []),
    ...report.points
      .filter((p) => p.status === 'ok')
      .map((p) => ({
        label: pointLabel(p),
        kind: p.scheduler,
        x: p.batchTimeS!,
        y: p.batchCostUsd!,
        colour: p.staleShare ?? 0,
        frontier: p.onFrontier,
        details: [
          p.config,
          `${p.rolloutGpus} rollout : ${p.trainerGpus} trainer GPUs`,
          ...(p.stepTimeBand80S ? [`step time 80% band ${bandText(p.stepTimeBand80S)} s`] : []),
          ...(p.speedupX !== null ? [`speedup ${short(p.speedupX)} × the co-located run`] : []),
          ...(p.policyLagMeanVersions !== null ? [`mean policy lag ${short(p.policyLagMeanVersions)} versions`] : []),
        ],
      })),
  ];
  return {
    id: 'frontier',
    title: 'Step time against cost per step, staleness as colour',
    description:
      'Every run that finished: the co-located baseline and each asynchronous split and configuration (a run that trains another number of samples per step than the co-located batch is placed at its time and cost for that batch). Lower-left is faster and cheaper, paler is fresher (a smaller share of samples trained by a newer policy than generated them). The line joins the time–cost–staleness Pareto frontier, in step-time order; its runs are ringed and labelled where a label fits (every run is named in its tooltip).',
    spec: paretoScatterChart(rows, {
      xTitle: 'Step time (s)',
      yTitle: 'Cost per step (USD)',
      colourTitle: 'Stale samples (fraction)',
      kindTitle: 'Scheduler',
      xUnit: 's',
      yUnit: 'USD',
      colourDomain: [0, 1],
      description: 'Step time against cost per step of every run, coloured by stale share, with the Pareto frontier joined',
    }),
  };
}

/** One chart per total GPU count: step time against rollout share, a line per configuration, the co-located step as a dashed line. */
export function shareCharts(report: AsyncWhatIfReport): ChartEntry[] {
  const totals = [...new Set(report.points.map((p) => p.totalGpus))];
  return totals.flatMap((total) => {
    const ran = report.points.filter((p) => p.totalGpus === total && p.status === 'ok');
    if (ran.length === 0) return [];
    return [
      {
        id: `step-time-vs-share-g${total}`,
        title: `Step time against rollout share, ${total} GPUs`,
        description: `Each configuration's simulated step time at each rollout share of ${total} GPUs that ran${report.baseline ? `; the dashed line is the co-located ${report.baseline.scheduler} step on ${report.baseline.gpus} GPUs (${short(report.baseline.stepTimeS)} s)` : ''}. The diamond marks each configuration's fastest split. The 80 % bands (what a real run would measure) are in the table, not drawn: every configuration shares the same relative band, so bands drawn would cover the differences between the lines that the simulation compares.`,
        spec: lineWithBandChart(
          ran.map((p) => ({ series: p.config, x: 100 * p.rolloutShare, mean: p.stepTimeS! })),
          {
            xTitle: 'Rollout share (%)',
            xUnit: '%',
            yTitle: 'Step time (s)',
            yUnit: 's',
            seriesTitle: 'Configuration',
            ticksAtData: false,
            yZero: true,
            optimum: 'min',
            ...(report.baseline ? { referenceY: report.baseline.stepTimeS } : {}),
            description: `Step time against rollout share on ${total} GPUs per asynchronous configuration`,
          },
        ),
      },
    ];
  });
}

export function asyncWhatIfPage(report: AsyncWhatIfReport): ChartPage {
  const m = report.meta;
  const notRun = notRunTable(report);
  const sections: PageSection[] = [
    { kind: 'table', id: 'frontier-table', title: 'Time–cost–staleness frontier', table: frontierTable(report) },
    { kind: 'table', id: 'points', title: 'Every run that finished (co-located baseline first)', table: pointsTable(report) },
    ...(notRun.rows.length > 0 ? [{ kind: 'table' as const, id: 'not-run', title: 'Not run', table: notRun }] : []),
    ...(report.notes.length > 0 || report.errors.length > 0 ? [{ kind: 'text' as const, id: 'notes', title: 'Notes', paragraphs: [...report.notes, ...report.errors.map((e) => `error: ${e.id}: ${e.message}`)] }] : []),
  ];
  const fastest = fastestLine(report);
  return {
    title: `Should ${m.scenarioName} go asynchronous?`,
    intro: `The co-located run (${m.baseline}, ${m.colocatedGpus} GPUs) against one-step-off and fully-async on rollout:trainer splits of ${m.gpus.join(', ')} GPUs, replaying ${m.lengths} (${m.iterations} iteration${m.iterations === 1 ? '' : 's'}, seed ${m.seed}).${m.costModel ? ` Cost model: ${m.costModel}.` : ''}${report.recorded ? `\n\n${capitalised(recordedLine(report.recorded))}.` : ''}${fastest ? `\n\n${capitalised(fastest)}.` : ''}`,
    charts: [...(report.baseline || report.points.some((p) => p.status === 'ok') ? [frontierChart(report)] : []), ...shareCharts(report)],
    sections,
    footer: 'Generated by rlhf-replay whatif --async',
  };
}
