import { join } from 'node:path';
import { renderChartPage } from '../report/page.js';
import { tableToCsv, tableToJson, type Table } from '../report/tables.js';
import type { CaseOutcome } from '../jobs/cases.js';
import { writeFileAtomic } from '../util/atomic-write.js';
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
import { buildValidation } from './validation/compare.js';
import { validationMarkdown, validationSection, validationTable, validationTerminal } from './validation/report.js';

/**
 * The finalize step of `reproduce`, shared by an unsharded run and `merge`: from the plan and the
 * outcomes alone it computes the figures, compares them with the published ones (the only place
 * the paper targets are read), and writes the report. Every file is written atomically.
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

export async function finalizeReproduce(plan: ReproducePlan, outcomes: readonly CaseOutcome[], options: FinalizeOptions): Promise<FinalizedReproduction> {
  const results = computeResults(plan, outcomes);
  const paperFiles = await Promise.all(plan.config.papers.map((paper) => loadPaperFigures(paper, options.paperDir ?? PAPER_BASELINE_DIR)));
  const validation = buildValidation(outcomes);
  const compared = buildComparison(paperFiles, results.figures, results.sensitivity);
  const traceChoice = results.standIns.length > 0 ? { traceChoice: compareTraceChoice(compared, TRACE_MAPPINGS['hh-rlhf'].source, results.standIns) } : {};
  const comparison: ComparisonDocument = { ...compared, ...traceChoice, validation };
  const provenance = await collectProvenance(results);
  const units = new Map(comparison.figures.map((figure) => [figure.id, figure.unit]));
  const tables = { metrics: metricsTable(results), ratios: ratiosTable(results) };
  const charts = reportCharts(results, units);
  const assumptions = assumptionTables(plan);
  const page = reportPage({ results, comparison, charts, assumptions, provenance, tables });
  // The validation group goes right after the paper comparison; the RLHFless decomposition right after RLHFless's charts.
  const sections = [...(page.sections ?? [])];
  sections.splice(sections.findIndex((section) => section.kind === 'group' && section.id === 'comparison') + 1, 0, validationSection(validation));
  const decomposition = decompositionSection(results, units);
  if (decomposition) sections.splice(sections.findIndex((section) => section.kind === 'group' && section.id === 'traces'), 0, decomposition);
  const standIn = standInSection(results, comparison);
  if (standIn) sections.splice(sections.findIndex((section) => section.kind === 'group' && section.id === 'traces'), 0, standIn);
  const html = await renderChartPage({ ...page, sections });

  const written: string[] = [];
  const write = async (relative: string, contents: string) => {
    const path = join(options.outDir, relative);
    await writeFileAtomic(path, contents);
    written.push(path);
  };
  const writeTable = async (stem: string, table: Table) => {
    await write(join(OUTPUT_FILES.tables, `${stem}.csv`), tableToCsv(table));
    await write(join(OUTPUT_FILES.tables, `${stem}.json`), `${JSON.stringify(tableToJson(table), null, 2)}\n`);
  };
  const json = comparisonJson(comparison);
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
  await writeTable('decomposition', decompositionTable(results, units));
  if (comparison.traceChoice) {
    await writeTable('trace-choice', traceChoiceTable(comparison.traceChoice));
    await writeTable('trace-choice-lengths', lengthStatsTable(standInLengthStats(results)));
  }
  for (const [name, table] of Object.entries(assumptions)) await writeTable(`assumptions-${name}`, table);
  await write(OUTPUT_FILES.summary, [markdownSummary(results, comparison, provenance.commit).trimEnd(), decompositionMarkdown(results, units).trimEnd(), standInMarkdown(results, comparison).trimEnd(), validationMarkdown(validation)].filter(Boolean).join('\n\n'));
  await write(OUTPUT_FILES.comparison, json);
  await write(OUTPUT_FILES.page, html);

  const misses = comparison.figures.some((figure) => figure.status === 'missed' || figure.status === 'failed');
  const exitCode = results.errors.some((e) => !e.inputError) ? EXIT_INTERNAL_ERROR : results.errors.length > 0 ? EXIT_BAD_INPUT : options.check && misses ? EXIT_CHECK_FAILED : EXIT_OK;
  return { results, comparison, provenance, summaryText: `${terminalSummary(results, comparison)}${validationTerminal(validation)}`, comparisonJson: json, written, exitCode };
}
