import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderChartPage } from '../../harness/report/page.js';
import { hasSharedData, projectRoot, sharedDataPath } from '../../harness/util/shared-data.js';
import { runCli, scratchDir } from '../cli/run-cli.js';
import { sampleCharts } from '../report/charts/fixtures/sample-charts.js';
import { LENGTHS_PATH, SCENARIO_PATH, verlFixture } from '../whatif/fixtures/verl-run.js';
import type { LayoutReport } from './chart-layout.js';
import { launchOfflineBrowser, shouldSkipBrowserTests, visitOffline, type OfflineBrowser } from './offline-browser.js';

/**
 * Every chart page the project writes besides the reproduction report (which
 * report.browser.test.ts checks the same way), rendered in chromium at a desktop width and at a
 * phone's (420 px): no two text labels of a chart overlap, none is cut or pushed outside its
 * chart, no chart is wider than the page (chart-layout.ts). Pages: every chart builder's sample,
 * `whatif --chart` with every scheduler, `whatif --async --chart` (20 splits), `sweep --chart`, `pipeline --chart` on a dense
 * FlexFusion instance, the nightly trend page, and `traces gpu --chart` when the shared traces
 * are here.
 */
const WIDTHS = [1280, 420] as const;
const HTA = ['hta-kineto', 'tests', 'data'];
const SUITE = fileURLToPath(new URL('../nightly/fixtures/small-suite.json', import.meta.url));
const ASYNC_SCENARIO = fileURLToPath(new URL('../whatif/async/fixtures/dapo-7b-16gpu.json', import.meta.url));

/** Two iterations of 64 prompts with a long tail (as the sweep CLI test). */
function sweepTrace(): string {
  const lines = [JSON.stringify({ $meta: { format: 'rlhf-replay.lengths', version: 1, synthetic: true, notes: [] } })];
  for (let it = 0; it < 2; it++) {
    for (let g = 0; g < 64; g++) lines.push(JSON.stringify({ iteration: it, group_id: `g${g}`, prompt_id: `p${g}`, prompt_tokens: 100 + g, response_tokens: [40 + ((13 * g * g + 7 * it) % 2000)], truncated: [false] }));
  }
  return `${lines.join('\n')}\n`;
}

async function run(argv: readonly string[]): Promise<void> {
  const result = await runCli(argv);
  if (result.code !== 0) throw new Error(`${argv.slice(0, 2).join(' ')} exited ${result.code}: ${result.err}`);
}

function problemsText(layout: LayoutReport | undefined): string[] {
  return (layout?.problems ?? []).map((p) => `${p.chart}: ${p.kind}: ${p.detail}`);
}

describe.skipIf(shouldSkipBrowserTests())('every chart page is readable at 1280 px and 420 px', () => {
  let browser: OfflineBrowser;
  const pages = new Map<string, string>();

  beforeAll(async () => {
    const dir = await scratchDir('charts-layout');
    const samples = join(dir, 'samples.html');
    await writeFile(samples, await renderChartPage({ title: 'Every chart builder', charts: sampleCharts() }));
    pages.set('chart builders', samples);

    const fixture = await verlFixture(join(dir, 'run'), { steps: 3, seed: 11, maxPerturbation: 0.2 });
    const whatif = join(dir, 'whatif.html');
    await run(['whatif', '--gpu-trace', fixture.run.dir, '--lengths', LENGTHS_PATH, '--scenario', SCENARIO_PATH, '--keep-trace-batches', '--chart', whatif]);
    pages.set('whatif', whatif);

    const asyncWhatif = join(dir, 'whatif-async.html');
    await run(['whatif', '--async', '--lengths', join(projectRoot, 'traces', 'examples', 'default.jsonl'), '--scenario', ASYNC_SCENARIO, '--splits', '20', '--gpus', '16', '--iterations', '1', '--jobs', '1', '--chart', asyncWhatif]);
    pages.set('whatif --async', asyncWhatif);

    const trace = join(dir, 'trace.jsonl');
    await writeFile(trace, sweepTrace());
    const sweep = join(dir, 'sweep.html');
    await run(['sweep', '--scenario', join(projectRoot, 'harness', 'scenario', 'scenarios', 'rlhfuse-65b-33b.json'), '--trace', trace, '--keep-trace-batches', '--scheduler', 'rlhfuse-inter', '--param', 'migrationThreshold', '--values', '0,0.05,...,0.5', '--chart', sweep]);
    pages.set('sweep', sweep);

    const pipeline = join(dir, 'pipeline.html');
    await run(['pipeline', '--pp-large', '8', '--pp-small', '8', '--mb-large', '32', '--f-large', '5', '--f-small', '2', '--mem-large', '1.95', '--mem-small', '1', '--max-evaluations', '2000', '--memory-evaluations', '500', '--chart', pipeline]);
    pages.set('pipeline', pipeline);

    const nightly = (label: string) => ['nightly', '--suite', SUITE, '--baseline', join(dir, 'base'), '--history', join(dir, 'history.jsonl'), '--out', join(dir, 'nightly'), '--run-label', label, '--today', '2025-03-01'];
    await run([...nightly('r1'), '--update-baseline']);
    await run(nightly('r2'));
    pages.set('nightly trend', join(dir, 'nightly', 'trend.html'));

    if (hasSharedData(...HTA)) {
      const gpu = join(dir, 'gpu.html');
      await run(['traces', 'gpu', sharedDataPath(...HTA, 'trace_filter'), '--chart', gpu]);
      pages.set('traces gpu', gpu);
    }
    browser = await launchOfflineBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const width of WIDTHS) {
    it(`has no overlapping, cut or clipped label and no chart wider than the page at ${width} px`, async () => {
      for (const [name, file] of pages) {
        // RLHF_REPLAY_LAYOUT_SHOTS=<folder> keeps a full-page screenshot of each page, to look at.
        const shots = process.env.RLHF_REPLAY_LAYOUT_SHOTS;
        const visit = await visitOffline(browser, file, { width, layout: true, ...(shots ? { screenshotPath: join(shots, `${name.replace(/\W+/g, '-')}-${width}.png`) } : {}) });
        expect(visit.chartsState, name).toBe('done');
        expect(visit.layout!.charts, name).toBeGreaterThan(0);
        expect(visit.layout!.labels, name).toBeGreaterThan(0);
        expect(problemsText(visit.layout), `${name} at ${width} px`).toEqual([]);
        expect(visit.consoleErrors, name).toEqual([]);
      }
    });
  }

  // Controls: the check must see what it is meant to catch.
  it('detects overlapping labels, a cut label and a chart wider than the page', async () => {
    const dir = await scratchDir('charts-layout-control');
    const file = join(dir, 'bad.html');
    const piled = Array.from({ length: 6 }, (_, i) => ({ label: `configuration number ${i}`, timePerStepS: 100 + i, costPerStepUsd: 2 }));
    const { costVsTimeChart } = await import('../../harness/report/charts/cost-vs-time.js');
    const wide = costVsTimeChart(piled, { width: 1400 });
    // Force every point's label on, as the old chart drew them; a legend of 6 columns whose labels are cut at 60 px.
    const layers = (wide as unknown as { layer: Record<string, unknown>[] }).layer;
    layers.push({ mark: { type: 'text', align: 'left', dx: 7, dy: -7 }, encoding: { x: { field: 'time', type: 'quantitative' }, y: { field: 'cost', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } } });
    const encoding = layers.find((layer) => (layer as { mark?: { type?: string } }).mark?.type === 'point')!['encoding'] as { color: { legend: Record<string, unknown> } };
    encoding.color.legend = { ...encoding.color.legend, columns: 6, labelLimit: 60 };
    await writeFile(file, await renderChartPage({ title: 'Bad', charts: [{ id: 'bad', title: 'Bad', spec: wide }] }));
    const visit = await visitOffline(browser, file, { width: 420, layout: true });
    const kinds = new Set(visit.layout!.problems.map((p) => p.kind));
    expect(kinds).toEqual(new Set(['overlap', 'cut', 'too-wide', 'outside']));
  });
});
