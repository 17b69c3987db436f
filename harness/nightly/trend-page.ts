import type { ChartPage, PageSection } from '../report/page-model.js';
import type { Table } from '../report/tables.js';
import { formatPct, type FigureEntry, type NightlyReport } from './report.js';
import { trendChart } from './trend-chart.js';

/**
 * The HTML trend page (rendered by the report engine, harness/report/page.ts): the verdict, the
 * regressions / improvements / acknowledged changes with their diffs, then one chart per case with
 * its figures' history and detected steps, and how steps are detected.
 */
function figureTable(entries: readonly FigureEntry[]): Table {
  return {
    columns: [
      { key: 'id', name: 'figure', unit: null },
      { key: 'baseline', name: 'baseline_value', label: 'Baseline', unit: null },
      { key: 'current', name: 'current_value', label: 'Current', unit: null },
      { key: 'unit', name: 'unit', label: 'Unit', unit: null },
      { key: 'change', name: 'change_pct', label: 'Change', unit: null },
      { key: 'diff', name: 'details', label: 'Details', unit: null },
    ],
    rows: entries.map((e) => ({ id: e.id, baseline: e.baseline, current: e.current, unit: e.unit, change: formatPct(e.changePct), diff: e.acknowledged ? `${e.diff} — acknowledged until ${e.acknowledged.expires}: ${e.acknowledged.reason}` : e.diff })),
  };
}

const STEP_METHOD = [
  'Steps are found as asv does: each figure’s history (this run last) is fitted with a piecewise-constant function minimising squared error (of log values, when all are positive) plus a penalty of 4σ²·ln n per segment, solved exactly by dynamic programming; σ is estimated robustly from successive differences (1.4826 · median|Δ| / √2).',
  'On noisy figures (timings) each value is first clamped to within 3σ of the median of the 5 runs around it and a level must hold for at least two runs, so one outlying night is not a step; deterministic figures step at the first changed run. Adjacent levels closer than half the timing rule’s minimum effect (timings) or the tolerance (deterministic figures) are merged.',
  'Charts show each figure relative to its stored baseline (or its first run when it has none): dashed lines are the fitted levels, triangles the detected steps.',
];

export function nightlyTrendPage(report: NightlyReport): ChartPage {
  const j = report.json;
  const references = new Map<string, number>();
  for (const testCase of report.plan.cases) for (const [name, baseline] of Object.entries(testCase.baselines)) references.set(`${testCase.id}:${name}`, baseline.value);

  const sections: PageSection[] = [
    {
      kind: 'keyValue',
      id: 'run',
      title: 'Run',
      items: [
        { key: 'verdict', value: j.ok ? (j.baselineUpdated ? 'ok (baseline updated)' : 'ok') : 'failed' },
        { key: 'run', value: j.run },
        { key: 'commit', value: j.commit },
        { key: 'cases', value: j.cases },
        { key: 'figures', value: j.figures },
        { key: 'regressions', value: j.regressions.length },
        { key: 'improvements', value: j.improvements.length },
        { key: 'unchanged', value: j.unchanged },
        { key: 'acknowledged', value: j.acknowledged.length },
        { key: 'new (no baseline)', value: j.new.length },
        { key: 'not compared', value: j.notCompared.length },
        { key: 'case errors', value: j.errors.length },
      ],
    },
  ];
  if (j.regressions.length > 0) sections.push({ kind: 'table', id: 'regressions', title: 'Regressions', table: figureTable(j.regressions) });
  if (j.improvements.length > 0) sections.push({ kind: 'table', id: 'improvements', title: 'Improvements', table: figureTable(j.improvements) });
  if (j.acknowledged.length > 0) sections.push({ kind: 'table', id: 'acknowledged', title: 'Acknowledged changes', table: figureTable(j.acknowledged) });
  if (j.errors.length > 0) sections.push({ kind: 'text', id: 'errors', title: 'Case errors', paragraphs: j.errors.map((e) => `${e.case} (${e.kind}): ${e.message}`) });
  if (j.warnings.length > 0) sections.push({ kind: 'text', id: 'warnings', title: 'Warnings', paragraphs: [...j.warnings] });
  if (j.notCompared.length > 0) sections.push({ kind: 'text', id: 'not-compared', title: 'Not compared', paragraphs: j.notCompared.map((n) => `${n.id}: ${n.reason}`) });

  const notes = new Map(report.caseNotes.map((n) => [n.case, n.notes]));
  sections.push({
    kind: 'group',
    id: 'trends',
    title: 'Trends',
    intro: 'One chart per case, its figures relative to their baseline; hover a point for its value and run.',
    sections: report.trends.map((trend, index) => ({
      kind: 'chart',
      id: `trend-${index + 1}`,
      title: `${trend.case} (${trend.kind})`,
      spec: trendChart(trend.figures, references, { description: `History of ${trend.case}` }),
      description: [
        ...trend.figures.flatMap((f) => {
          const recent = f.steps.slice(-3).map((s) => `${formatPct(s.changePct)} at run ${f.points[s.index]!.run}`);
          const older = f.steps.length - recent.length;
          return recent.length > 0 ? [`Steps in ${f.figure}: ${older > 0 ? `${older} earlier, then ` : ''}${recent.join(', ')}.`] : [];
        }),
        ...(notes.get(trend.case) ?? []),
      ].join('\n\n'),
    })),
  });
  sections.push({ kind: 'text', id: 'method', title: 'How steps are detected', paragraphs: STEP_METHOD });
  return {
    title: `rlhf-replay nightly — ${j.run}`,
    intro: `${j.ok ? 'No regressions.' : j.errors.length > 0 ? 'Some cases failed.' : `${j.regressions.length} regression(s).`} ${j.cases} cases, ${j.figures} figures.`,
    sections,
    toc: true,
    footer: 'Generated by rlhf-replay nightly.',
  };
}
