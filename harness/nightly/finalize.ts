import { basename, join } from 'node:path';
import type { CaseOutcome } from '../jobs/cases.js';
import { renderChartPage } from '../report/page.js';
import { writeOutputs } from '../util/output-folder.js';
import { readAcknowledgements } from './acknowledge.js';
import { baselineFileTexts, GOLDEN_FILE, readBaselines, TIMINGS_FILE, updatedBaselines } from './baseline.js';
import { appendedHistory, readHistory } from './history.js';
import { nightlyJunit } from './junit.js';
import { nightlyMarkdown } from './markdown.js';
import type { NightlyPlan } from './plan.js';
import { buildNightlyReport, type NightlyReport } from './report.js';
import { nightlyTrendPage } from './trend-page.js';
import type { NightlyCaseResult } from './types.js';

export interface FinalizeOptions {
  /** Folder for nightly.json, summary.md, junit.xml and trend.html. */
  readonly outDir: string;
  readonly historyPath: string;
  readonly acknowledgePath: string;
  readonly baselineDir: string;
  readonly updateBaseline: boolean;
  readonly run: string;
  readonly commit: string | null;
  /** YYYY-MM-DD, UTC. */
  readonly today: string;
}

export const OUTPUT_FILES = { json: 'nightly.json', markdown: 'summary.md', junit: 'junit.xml', html: 'trend.html' } as const;

export interface FinalizeResult {
  readonly report: NightlyReport;
  readonly jsonText: string;
  readonly markdown: string;
  readonly written: readonly string[];
}

/**
 * The nightly's finalize step, shared by an unsharded run and `merge`: read the acknowledge list
 * and the history, judge every figure, render every output, and write them as one transaction
 * (`writeOutputs`): the pages, the history line and (when asked) the baselines are committed
 * together, so a killed run leaves all of them as they were or all of them new, never a page
 * naming a run the history lacks. The transaction opens first, so the history read here is whole
 * even after a killed run. Any bad input file stops it before a byte is written.
 */
export async function finalizeNightly(plan: NightlyPlan, outcomes: readonly CaseOutcome<NightlyCaseResult>[], options: FinalizeOptions): Promise<FinalizeResult> {
  const baselineFiles = options.updateBaseline ? [join(options.baselineDir, GOLDEN_FILE), join(options.baselineDir, TIMINGS_FILE)] : [];
  const { value, written } = await writeOutputs({ folder: options.outDir, command: 'nightly', files: [options.historyPath, ...baselineFiles] }, async (output) => {
    const acknowledgements = await readAcknowledgements(options.acknowledgePath);
    const history = await readHistory(options.historyPath);
    const previousBaselines = options.updateBaseline ? await readBaselines(options.baselineDir) : undefined;

    const report = buildNightlyReport({
      plan,
      outcomes,
      acknowledgements,
      today: options.today,
      history: history.runs,
      run: options.run,
      commit: options.commit,
      baselineUpdated: options.updateBaseline,
    });
    const jsonText = `${JSON.stringify(report.json, null, 2)}\n`;
    const markdown = nightlyMarkdown(report);
    const junit = nightlyJunit(report);
    const html = await renderChartPage(nightlyTrendPage(report));
    const historyText = appendedHistory(history.text, { run: options.run, commit: options.commit, figures: Object.fromEntries(report.figures.map((f) => [f.id, f.value])) });
    const failedCases = outcomes.filter((o) => o.status === 'error').map((o) => o.id);
    const baselines = previousBaselines ? updatedBaselines(previousBaselines, report.figures, failedCases, plan.cases.map((c) => c.id)) : undefined;

    await output.write(OUTPUT_FILES.json, jsonText);
    await output.write(OUTPUT_FILES.markdown, markdown);
    await output.write(OUTPUT_FILES.junit, junit);
    await output.write(OUTPUT_FILES.html, html);
    await output.writeFile(options.historyPath, historyText);
    if (baselines) {
      const texts = baselineFileTexts(baselines);
      for (const path of baselineFiles) await output.writeFile(path, texts[basename(path) as keyof typeof texts]);
    }
    return { report, jsonText, markdown };
  });
  return { ...value, written };
}
