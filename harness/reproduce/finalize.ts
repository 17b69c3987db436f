import { renderChartPage } from '../report/page.js';
import { tableToCsv, tableToJson, type Table } from '../report/tables.js';
import type { CaseOutcome } from '../jobs/cases.js';
import { writeOutputs } from '../util/output-folder.js';
import { EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_INTERNAL_ERROR, EXIT_OK } from '../util/exit-codes.js';
import { buildComparison, compareTraceChoice, type ComparisonDocument } from './compare.js';
import { loadPaperFigures, PAPER_BASELINE_DIR } from './paper-figures.js';
import type { ReproducePlan } from './plan.js';
import { assumptionTables } from './report/assumptions.js';
import { decompositionMarkdown, decompositionSection, decompositionTable } from './report/decomposition.js';
import { lengthStatsTable, standInLengthStats, standInMarkdown, standInSection, traceChoiceTable } from './report/stand-in.js';
import { TRACE_MAPPINGS } from './traces/sources.js';
import { reportCharts } from './report/charts.js';
import { reportPage } from './report/page.js';
import { collectProvenance, type Provenance } from './report/provenance.js';
import { markdownSummary, terminalSummary } from './report/summary.js';
import { comparisonTable, figureTable, iterationsTable, metricsTable, ratiosTable, sensitivityTable } from './report/tables.js';
import { computeResults, type ReproduceResults } from './results.js';
import { fidelityGroup, fidelityMarkdown, fidelityOutcome, fidelityRowsTable, fidelityTerminal } from './fidelity/report.js';
import { buildValidation } from './validation/compare.js';
import { RUN_KIND } from './cases/run.js';
import { configScenario } from './scenario-variant.js';
import { scenarioFramework, type ScenarioFramework } from '../scenario/cost-model.js';
import { validationMarkdown, validationSection, validationTable, validationTerminal } from './validation/report.js';

/**
 * The finalize step of `reproduce`, shared by an unsharded run and `merge`: from the plan and the
 * outcomes alone it computes the figures, compares them with the published ones (the only place
 * the paper targets are read), and writes the report as one set (`writeOutputs`): the folder
 * holds this run's files or the previous run's, and files of an earlier run this one did not write
 * are removed.
 */
export interface FinalizeOptions {
  readonly outDir: string;
  /** Folder of the published figures (baselines/paper). */
  readonly paperDir?: string;
  /** Exit 1 when a simulated figure misses its tolerance. */
  readonly check?: boolean;
}

export interface FinalizedReproduction {
  readonly results: ReproduceResults;
  readonly comparison: ComparisonDocument;
  readonly provenance: Provenance;
  /** What the command prints (text, or with --json the comparison). */
  readonly summaryText: string;
  readonly comparisonJson: string;
  readonly written: readonly string[];
  readonly exitCode: number;
}

export const OUTPUT_FILES = { page: 'index.html', comparison: 'comparison.json', summary: 'summary.md', tables: 'tables' } as const;

export function comparisonJson(doc: ComparisonDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The framework calibration each configuration's scenario runs under (for the bands of its times and costs). */
async function configFrameworks(plan: ReproducePlan): Promise<Map<string, ScenarioFramework>> {
  const out = new Map<string, ScenarioFramework>();
  for (const c of plan.cases) {
    if (c.kind !== RUN_KIND || out.has(c.config.id)) continue;
    out.set(c.config.id, await scenarioFramework(await configScenario(c.config)));
  }
  return out;
}

export async function finalizeReproduce(plan: ReproducePlan, outcomes: readonly CaseOutcome[], options: FinalizeOptions): Promise<FinalizedReproduction> {
  const results = computeResults(plan, outcomes);
  const paperFiles = await Promise.all(plan.config.papers.map((paper) => loadPaperFigures(paper, options.paperDir ?? PAPER_BASELINE_DIR)));
  const validation = buildValidation(outcomes);
  const compared = buildComparison(paperFiles, results.figures, results.sensitivity);
  const traceChoice = results.standIns.length > 0 ? { traceChoice: compareTraceChoice(compared, TRACE_MAPPINGS['hh-rlhf'].source, results.standIns) } : {};
  const comparison: ComparisonDocument = { ...compared, ...traceChoice, validation };
  const provenance = await collectProvenance(results);
  const units = new Map(comparison.figures.map((figure) => [figure.id, figure.unit]));
  const tables = { metrics: metricsTable(results, await configFrameworks(plan)), ratios: ratiosTable(results) };
  const charts = reportCharts(results, units);
  const assumptions = assumptionTables(plan);
  const page = reportPage({ results, comparison, charts, assumptions, provenance, tables });
  const fidelity = fidelityOutcome(outcomes);
  // The validation and fidelity groups go right after the paper comparison; the RLHFless decomposition and the stand-in trace choice before the traces.
  const sections = [...(page.sections ?? [])];
  sections.splice(sections.findIndex((section) => section.kind === 'group' && section.id === 'comparison') + 1, 0, validationSection(validation), fidelityGroup(fidelity));
  const decomposition = decompositionSection(results, units);
  if (decomposition) sections.splice(sections.findIndex((section) => section.kind === 'group' && section.id === 'traces'), 0, decomposition);
  const standIn = standInSection(results, comparison);
  if (standIn) sections.splice(sections.findIndex((section) => section.kind === 'group' && section.id === 'traces'), 0, standIn);
  const html = await renderChartPage({ ...page, sections });

  const json = comparisonJson(comparison);
  // One transaction: the folder holds this run's whole report or the previous one, never a mix.
  const { written } = await writeOutputs({ folder: options.outDir, command: 'reproduce' }, async (output) => {
    const write = (relative: string, contents: string) => output.write(relative, contents);
    const writeTable = async (stem: string, table: Table) => {
      await write(`${OUTPUT_FILES.tables}/${stem}.csv`, tableToCsv(table));
      await write(`${OUTPUT_FILES.tables}/${stem}.json`, `${JSON.stringify(tableToJson(table), null, 2)}\n`);
    };
    await writeTable('comparison', comparisonTable(comparison));
    for (const figure of comparison.figures) {
      const table = figureTable(results, figure.id, figure.unit);
      if (table) await writeTable(`figure-${figure.id}`, table);
    }
    await writeTable('metrics', tables.metrics);
    await writeTable('ratios', tables.ratios);
    await writeTable('iterations', iterationsTable(results));
    await writeTable('sensitivity', sensitivityTable(results));
    await writeTable('validation', validationTable(validation));
    if (fidelity.ok) await writeTable('fidelity', fidelityRowsTable(fidelity.result));
    await writeTable('decomposition', decompositionTable(results, units));
    if (comparison.traceChoice) {
      await writeTable('trace-choice', traceChoiceTable(comparison.traceChoice));
      await writeTable('trace-choice-lengths', lengthStatsTable(standInLengthStats(results)));
    }
    for (const [name, table] of Object.entries(assumptions)) await writeTable(`assumptions-${name}`, table);
    await write(
      OUTPUT_FILES.summary,
      `${[markdownSummary(results, comparison, provenance.commit).trimEnd(), decompositionMarkdown(results, units).trimEnd(), standInMarkdown(results, comparison).trimEnd(), validationMarkdown(validation).trimEnd(), fidelityMarkdown(fidelity).trimEnd()].filter(Boolean).join('\n\n')}\n`,
    );
    await write(OUTPUT_FILES.comparison, json);
    await write(OUTPUT_FILES.page, html);
  });

  const misses = comparison.figures.some((figure) => figure.status === 'missed' || figure.status === 'failed');
  const exitCode = results.errors.some((e) => !e.inputError) ? EXIT_INTERNAL_ERROR : results.errors.length > 0 ? EXIT_BAD_INPUT : options.check && misses ? EXIT_CHECK_FAILED : EXIT_OK;
  return { results, comparison, provenance, summaryText: `${terminalSummary(results, comparison)}${validationTerminal(validation)}${fidelityTerminal(fidelity)}`, comparisonJson: json, written, exitCode };
}
