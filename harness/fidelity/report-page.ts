import type { FrameworkCalibration } from '../cost/framework/types.js';
import { errorStripChart } from '../report/charts/error-strip.js';
import { measuredVsSimulatedChart } from '../report/charts/measured-vs-simulated.js';
import type { ChartPage, PageSection } from '../report/page-model.js';
import type { Table } from '../report/tables.js';
import { BAND_WIDENING_WHY } from './bands.js';
import { UNKNOWN_GPU_ASSUMPTION } from './from-recorded.js';
import type { FidelityReport } from './run-fidelity.js';
import { fidelityErrorTable, frameworkParameterTable, stepHeading, stepTable } from './tables.js';

/**
 * The fidelity page (`fidelity --html`, and the fidelity section of the reproduction report):
 * simulated against measured per stage on log–log axes with the y = x line, in-sample and
 * out-of-sample points marked; errors by stage and by run; the calibration's parameters, errors
 * and band coverage; every step's table; what could not be simulated.
 */
export function fidelitySections(report: FidelityReport, framework: FrameworkCalibration | undefined): PageSection[] {
  const outOfSample = report.rows.map((row) => ({ label: row.runId, series: row.stage, kind: row.inferredWorkload ? 'out of sample, workload inferred' : 'out of sample', measuredS: row.measuredS, simulatedS: row.simulatedS }));
  const inSample = report.inSampleRows.map((row) => ({ label: row.runId, series: row.stage, kind: 'in sample', measuredS: row.measuredS, simulatedS: row.simulatedS }));
  const stageOrder = ['gen', 'old_log_prob', 'ref', 'values', 'update_critic', 'update_actor', 'train', 'step'];
  const byStage = [...report.rows].sort((a, b) => stageOrder.indexOf(a.stage) - stageOrder.indexOf(b.stage));
  const runOf = new Map(report.steps.map((s) => [s.prepared.simulation.step.id, s.prepared.simulation.step.runKey]));
  // A run on the chart: its row ids and its source's file name (the table within it is in the step tables below).
  const idsOf = new Map<string, string[]>();
  for (const step of report.steps) {
    const s = step.prepared.simulation.step;
    idsOf.set(s.runKey, [...(idsOf.get(s.runKey) ?? []), s.id]);
  }
  const runLabel = (runKey: string) => {
    const ids = [...new Set(idsOf.get(runKey) ?? [])];
    const name = runKey.split('/').pop()!.split(' § ')[0]!;
    return `${ids.length > 1 ? `${ids[0]}–${ids.at(-1)}` : (ids[0] ?? '')} ${name}`.trim();
  };
  const sections: PageSection[] = [
    {
      kind: 'chart',
      id: 'fidelity-scatter',
      title: 'Simulated against measured, per stage (log–log)',
      spec: measuredVsSimulatedChart([...inSample, ...outOfSample]),
      description:
        'Each point is one stage of one recorded step. On the solid line the simulation equals the measurement; the dashed lines are ±25 %. "Out of sample": predicted by a calibration fitted without the step’s run (or never fitted on it); "in sample": the same steps under the calibration fitted on every run.',
    },
    {
      kind: 'chart',
      id: 'fidelity-error-by-stage',
      title: 'Out-of-sample error by stage',
      spec: errorStripChart(
        byStage.map((row) => ({ category: row.stage, label: row.runId, series: row.inferredWorkload ? 'workload inferred' : 'workload measured', errorPct: row.errorPct })),
        { categoryTitle: 'Stage', seriesTitle: 'Workload', description: 'Signed error (simulated / measured − 1) per stage; the shaded band is the ±15 % goal.' },
      ),
      description: 'Signed error (simulated / measured − 1) of every compared stage; the shaded band is ±15 %.',
    },
    {
      kind: 'chart',
      id: 'fidelity-error-by-run',
      title: 'Out-of-sample error by run',
      spec: errorStripChart(
        report.rows.map((row) => ({ category: runLabel(runOf.get(row.runId) ?? row.runId), label: `${row.runId} ${row.stage}`, series: row.stage, errorPct: row.errorPct })),
        { categoryTitle: 'Run (log or source table)', seriesTitle: 'Stage' },
      ),
      description: 'A run is one log or one source table: its steps are not independent, so leave-one-run-out holds them out together.',
    },
    { kind: 'table', id: 'fidelity-summary', title: 'Errors by stage: out of sample and in sample', table: fidelityErrorTable(report), caption: 'out of sample: every row of the run left out of the fit; in sample: the same rows under the fit on all runs' },
  ];
  if (framework) {
    sections.push({ kind: 'table', id: 'fidelity-parameters', title: 'Framework calibration: fitted parameters', table: frameworkParameterTable(framework, { runNames: true }), caption: framework.fit.method });
    sections.push({ kind: 'table', id: 'fidelity-bands', title: '80 % bands: coverage on left-out runs', table: coverageTable(framework), caption: 'Each left-out measurement checked against the band built from the other runs’ left-out errors' });
  }
  sections.push({
    kind: 'text',
    id: 'fidelity-assumptions',
    title: 'Assumptions of the fidelity check',
    paragraphs: [
      `Band widening — ${BAND_WIDENING_WHY}.`,
      `Unknown GPU — ${UNKNOWN_GPU_ASSUMPTION.why}.`,
      'Workloads — a step’s samples are the quantiles of a capped lognormal solved for its published mean, max and clip ratio (harness/traces/generate/from-statistics.ts); prompts all have the published mean; where a source publishes no length statistics, a recorded length law stands in and the row is marked "workload inferred" and never fitted on.',
      'Settings a source does not state come from the run’s own log, the veRL recipe the source names (harness/fidelity/verl-recipes.ts) or veRL’s default of the run’s era (harness/fidelity/verl-eras.ts); each step lists them below.',
    ],
  });
  for (const step of report.steps) {
    const s = step.prepared.simulation.step;
    sections.push({
      kind: 'table',
      id: `step-${s.id.replace(/[^A-Za-z0-9_-]+/g, '-')}`,
      title: stepHeading(step),
      table: stepTable(step),
      caption: [
        ...Object.entries(s.assumed).map(([field, why]) => `${field}: ${why}`),
        ...step.prepared.workload.inferences,
        ...step.outsideCalibration.map((r) => `outside the calibration: ${r}`),
        ...s.notes,
      ].join(' · '),
    });
  }
  if (report.unsupported.length > 0) {
    sections.push({ kind: 'text', id: 'fidelity-unsupported', title: 'Not simulated', paragraphs: report.unsupported.map((u) => `${u.runId}: ${u.reason}`) });
  }
  return sections;
}

function coverageTable(framework: FrameworkCalibration): Table {
  return {
    columns: [
      { key: 'stage', name: 'stage', label: 'Stage', unit: null },
      { key: 'n', name: 'checked_n', label: 'Left-out measurements', unit: null },
      { key: 'inside', name: 'inside_n', label: 'Inside their band', unit: null },
      { key: 'share', name: 'inside_pct', label: 'Share inside', unit: '%', decimals: 0 },
    ],
    rows: Object.entries(framework.bandCoverage).map(([stage, c]) => ({ stage, n: c.n, inside: c.inside, share: c.n > 0 ? (100 * c.inside) / c.n : null })),
  };
}

export function fidelityPage(report: FidelityReport, meta: { framework: FrameworkCalibration | undefined; sources: readonly string[] }): ChartPage {
  return {
    title: 'Fidelity against recorded RL training runs',
    intro: `Recorded steps from ${meta.sources.join(', ')}, simulated and compared stage by stage. ${meta.framework ? `Framework calibration: ${meta.framework.description}.` : 'No framework calibration: the raw cost model.'}`,
    toc: true,
    sections: fidelitySections(report, meta.framework),
    footer: 'Generated by rlhf-replay fidelity',
  };
}
