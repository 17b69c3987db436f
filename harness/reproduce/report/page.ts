import type { ChartPage, PageSection } from '../../report/page-model.js';
import type { Table } from '../../report/tables.js';
import { describePublished, type ComparisonDocument } from '../compare.js';
import type { ReproduceResults } from '../results.js';
import type { AssumptionTables } from './assumptions.js';
import type { ReportCharts } from './charts.js';
import type { Provenance } from './provenance.js';
import { compactComparisonTable, counts, headline, STATUS_RULE, statusLine, statusText } from './summary.js';

/**
 * reports/index.html as page data (harness/report/page.ts renders it offline, escaped): the
 * comparison first, then the charts of each paper, the traces, the sensitivity analysis, the
 * statistics tables, every assumption, and the provenance.
 */
export interface PageInputs {
  readonly results: ReproduceResults;
  readonly comparison: ComparisonDocument;
  readonly charts: ReportCharts;
  readonly assumptions: AssumptionTables;
  readonly provenance: Provenance;
  readonly tables: { readonly metrics: Table; readonly ratios: Table };
}

/** One paragraph per figure that is not within tolerance (better than published, missed or failed): its reason. */
function reasons(doc: ComparisonDocument): string[] {
  return doc.figures.filter((figure) => figure.status !== 'reproduced').map((figure) => `${figure.id} (${statusText(figure)}): ${figure.reason}`);
}

function howTable(doc: ComparisonDocument): Table {
  return {
    columns: [
      { key: 'id', name: 'figure', label: 'Figure', unit: null },
      { key: 'description', name: 'description', label: 'What', unit: null },
      { key: 'how', name: 'reproduced_as', label: 'Reproduced as', unit: null },
      { key: 'tolerance', name: 'tolerance', label: 'Tolerance', unit: null },
      { key: 'source', name: 'source', label: 'Published in', unit: null },
    ],
    rows: doc.figures.map((figure) => ({
      id: figure.id,
      description: figure.description,
      how: figure.reproducedAs,
      tolerance: [figure.tolerance.relative !== undefined ? `±${100 * figure.tolerance.relative} %` : '', figure.tolerance.absolute !== undefined ? `±${figure.tolerance.absolute} ${figure.unit}` : ''].filter(Boolean).join(', '),
      source: figure.source,
    })),
  };
}

function notSimulatedTable(doc: ComparisonDocument): Table {
  return {
    columns: [
      { key: 'id', name: 'figure', label: 'Figure', unit: null },
      { key: 'published', name: 'published', label: 'Published', unit: null },
      { key: 'reason', name: 'reason', label: 'Why it is not simulated', unit: null },
    ],
    rows: doc.notSimulated.map((figure) => ({ id: figure.id, published: describePublished(figure.published, figure.unit), reason: figure.reason })),
  };
}

function traceTable(provenance: Provenance): Table {
  return {
    columns: [
      { key: 'experiment', name: 'experiment', label: 'Experiment', unit: null },
      { key: 'source', name: 'trace', label: 'Trace', unit: null },
      { key: 'mode', name: 'mode', label: 'Recorded or generated', unit: null },
      { key: 'path', name: 'path', label: 'Input', unit: null },
      { key: 'why', name: 'why', label: 'Why', unit: null },
    ],
    rows: provenance.traces.map((t) => ({ ...t })),
  };
}

const HEADLINE_METRIC_COLUMNS = ['paper', 'config', 'scheduler', 'n', 'iterationTimeS:mean', 'iterationTimeS:ciLow', 'iterationTimeS:ciHigh', 'samplesPerS:mean', 'gpuSecondsAllocated:mean', 'costUsd:mean', 'utilization:mean'];

function narrow(table: Table, keys: readonly string[]): Table {
  return { columns: table.columns.filter((column) => keys.includes(column.key)), rows: table.rows };
}

/** Which assumptions drive each figure, the variations a scenario could not run, and the assumptions not varied where. */
function sensitivityNotes(results: ReproduceResults): PageSection[] {
  const rows = results.sensitivity.map((s) => ({ figure: s.figure, probe: s.probeConfigs.join(', ') || '—', dependsOn: s.dependsOn.join(', ') || '—', note: s.none ?? `${s.entries.length} assumptions move it; baseline ${Number.isFinite(s.baseline) ? Number(s.baseline.toPrecision(4)) : '—'}` }));
  const infeasible = [...new Set(results.sensitivity.flatMap((s) => s.infeasible.map((i) => `${i.assumption} = ${String(i.value)}: ${i.why}`)))];
  const skipped = [...new Set(results.plan.config.sensitivity.skipped.map((s) => `${s.id} on ${s.config}: ${s.why}`))];
  return [
    {
      kind: 'table',
      id: 'depends-on',
      title: 'What each figure depends on most',
      table: {
        columns: [
          { key: 'figure', name: 'figure', label: 'Figure', unit: null },
          { key: 'probe', name: 'probe_configurations', label: 'Probe configuration', unit: null },
          { key: 'dependsOn', name: 'depends_on', label: 'Depends most on (moves it by > 1 %)', unit: null },
          { key: 'note', name: 'note', label: 'Note', unit: null },
        ],
        rows,
      },
    },
    ...(infeasible.length > 0 ? [{ kind: 'text', title: 'Variations the scenario cannot run (left out)', paragraphs: infeasible } as const] : []),
    ...(skipped.length > 0 ? [{ kind: 'text', title: 'Assumptions not varied on a configuration, and why', paragraphs: skipped } as const] : []),
  ];
}

export function reportPage(inputs: PageInputs): ChartPage {
  const { results, comparison, charts, assumptions, provenance } = inputs;
  const c = counts(comparison);
  const sizes = results.plan.config.sizes;
  const sections: PageSection[] = [
    {
      kind: 'group',
      id: 'comparison',
      title: 'Published against reproduced',
      intro: `${headline(comparison)} ${STATUS_RULE} "Depends most on" lists the named assumptions that move the figure most in the sensitivity analysis.`,
      sections: [
        { kind: 'table', id: 'comparison-table', title: 'Comparison', table: compactComparisonTable(comparison), caption: `System figures: ${statusLine(c.system)}. Schedule-search figures: ${statusLine(c.scheduleSearch)}.` },
        ...(reasons(comparison).length > 0 ? [{ kind: 'text', id: 'miss-reasons', title: 'Why each figure is outside its target', paragraphs: reasons(comparison) } as const] : []),
        { kind: 'table', id: 'how-reproduced', title: 'How each figure is reproduced', table: howTable(comparison) },
        ...(comparison.notSimulated.length > 0 ? [{ kind: 'table', id: 'not-simulated', title: 'Published figures with no mechanism to simulate', table: notSimulatedTable(comparison) } as const] : []),
      ],
    },
  ];
  if (charts.rlhfuse.length > 0) sections.push({ kind: 'group', id: 'rlhfuse', title: 'RLHFuse (NSDI ’25)', intro: '256 Hopper GPUs, PPO, batch 512, mini-batch 64, LLaMA actor/critic pairs 13B/33B and 65B/33B, max generation 512-2048.', sections: charts.rlhfuse.map((chart) => ({ kind: 'chart', ...chart })) });
  if (charts.rlhfless.length > 0) sections.push({ kind: 'group', id: 'rlhfless', title: 'RLHFless (arXiv 2602.22718)', intro: '16 L40S testbed (Qwen2.5-3B/7B, PPO/GRPO, 3 epochs) against veRL with 3 decode actors; Llama2-70B generation simulation on up to 20 × 8 H100.', sections: charts.rlhfless.map((chart) => ({ kind: 'chart', ...chart })) });
  sections.push({
    kind: 'group',
    id: 'traces',
    title: 'Length traces',
    intro: 'Which trace each experiment replayed: a real public recording from shared/research/data when present and large enough, else the generator fitted to it (traces/fitted).',
    sections: [...charts.traces.map((chart) => ({ kind: 'chart', ...chart }) as const), { kind: 'table', id: 'trace-use', title: 'Trace per experiment', table: traceTable(provenance) }],
  });
  sections.push({
    kind: 'group',
    id: 'sensitivity',
    title: 'Sensitivity: how far each headline figure moves',
    intro: `Each named assumption with a plausible range is moved to its ends on the figure's probe configuration (seed 1, fewer iterations), one at a time, re-running only the schedulers it touches. ${results.plan.config.sensitivity.varied.length} assumptions varied.`,
    sections: [...charts.sensitivity.map((chart) => ({ kind: 'chart', ...chart }) as const), ...sensitivityNotes(results)],
  });
  sections.push({
    kind: 'group',
    id: 'statistics',
    title: 'Statistics',
    intro: `Across seeds and measured iterations (${sizes.seeds} seed(s)): mean, 95 % percentile-bootstrap interval (${sizes.bootstrapResamples} resamples). Every metric's mean, median and interval, every ratio, every iteration and the sensitivity runs are in tables/*.csv and tables/*.json beside this page.`,
    sections: [
      { kind: 'table', id: 'metrics', title: 'Headline metrics per configuration and system', table: narrow(inputs.tables.metrics, HEADLINE_METRIC_COLUMNS) },
      { kind: 'table', id: 'ratios', title: 'Speedups and cost reductions against each paper’s baselines', table: inputs.tables.ratios },
    ],
  });
  sections.push({
    kind: 'group',
    id: 'assumptions',
    title: 'Assumptions',
    intro: 'Every parameter of the reproduction is a cited fact, a value fitted from a public trace, or one of these named assumptions.',
    sections: [
      { kind: 'table', id: 'assumptions-reproduction', title: 'The reproduction’s own', table: assumptions.reproduction },
      { kind: 'table', id: 'assumptions-scenarios', title: 'Scenarios', table: assumptions.scenarios },
      { kind: 'table', id: 'assumptions-schedulers', title: 'Schedulers', table: assumptions.schedulers },
      { kind: 'table', id: 'assumptions-cost', title: 'Cost model', table: assumptions.cost },
      { kind: 'table', id: 'assumptions-generator', title: 'Trace generator and epoch synthesis', table: assumptions.generator },
      { kind: 'table', id: 'assumptions-sensitivity', title: 'Plausible values used by the sensitivity analysis', table: assumptions.sensitivity },
    ],
  });
  const notes = [...new Set(results.main.flatMap((run) => run.result.notes.filter((note) => !/migration threshold [\d.]+ %/.test(note)).map((note) => `${run.testCase.config.id}: ${note}`)))];
  sections.push({
    kind: 'group',
    id: 'provenance',
    title: 'Provenance',
    sections: [
      {
        kind: 'keyValue',
        title: 'Run',
        items: [
          { key: 'git commit', value: provenance.commit ?? 'not a git checkout' },
          { key: 'plan sha256', value: provenance.planHash, note: 'shards of one run share it; `rlhf-replay merge` checks it' },
          { key: 'papers', value: results.plan.config.papers.join(', ') },
          { key: 'seeds', value: sizes.seeds },
          { key: 'mode', value: results.plan.config.quick ? 'quick (smoke test: smaller grid)' : 'full' },
          { key: 'cases', value: results.plan.cases.length, note: `${results.errors.length} failed` },
          ...Object.entries(provenance.versions).map(([name, version]) => ({ key: name, value: version })),
        ],
      },
      {
        kind: 'keyValue',
        title: 'Calibration and cost models',
        items: [...provenance.calibrations.map((c) => ({ key: c.file, value: c.sha256, note: c.description })), ...provenance.costModels.map((model, i) => ({ key: `cost model ${i + 1}`, value: model }))],
      },
      {
        kind: 'keyValue',
        title: 'Public traces on this machine',
        items: provenance.traceAvailability.map((t) => ({ key: t.label, value: t.recorded ? `recorded: ${t.recordedGroups} groups, ${t.recordedSamples} samples` : 'absent', note: t.missing ?? `fit: ${t.fitted}` })),
      },
      ...(results.errors.length > 0 ? [{ kind: 'preformatted', title: 'Failed cases', text: results.errors.map((e) => `${e.id}: ${e.message}`).join('\n') } as const] : []),
      { kind: 'preformatted', title: 'Notes from the runs', text: notes.length > 0 ? notes.slice(0, 200).join('\n') : '(none)' },
    ],
  });
  const recorded = results.configs.filter((config) => config.trace.mode === 'recorded').length;
  const generated = results.configs.length - recorded;
  const missingShared = results.plan.config.traces.some((t) => !t.recorded);
  const traceNote = `Traces: ${recorded} experiment(s) replayed real public recordings, ${generated} drew from generators fitted to them${missingShared ? ' (some recordings are not in the shared folder on this machine: their fitted generators stood in)' : ''}; see Length traces.`;
  return {
    title: 'rlhf-replay: RLHFuse and RLHFless, reproduced from mechanism',
    intro: `${headline(comparison)}\n\n${traceNote}\n\nEvery number below comes out of simulating the schedulers' mechanisms on public length traces and a cost model calibrated on public GPU profiles; no result is typed in. Run: \`rlhf-replay reproduce\`.`,
    toc: true,
    sections,
    footer: `Generated by rlhf-replay ${provenance.versions['rlhf-replay'] ?? ''}${provenance.commit ? ` at commit ${provenance.commit.slice(0, 12)}` : ''}.`,
  };
}
