import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderChartPage, type ChartPage } from '../../harness/report/page.js';
import { sampleCharts } from '../report/charts/fixtures/sample-charts.js';
import { launchOfflineBrowser, shouldSkipBrowserTests, visitOffline, type OfflineBrowser } from './offline-browser.js';

/**
 * The report page in a real browser (Debian chromium, network cut off): every chart renders
 * live, nothing breaks the CSP, nothing leaves the page, hostile strings stay text.
 * See offline-browser.ts for the skip policy (fails without chromium unless opted out locally).
 */
const HOSTILE = `<img src="https://attacker.invalid/x.png" onerror="alert(1)"></script><script>alert(2)</script>`;

const page: ChartPage = {
  title: `Every chart ${HOSTILE}`,
  intro: `Sample data for the real-browser test. ${HOSTILE}`,
  toc: true,
  charts: sampleCharts(HOSTILE),
  sections: [
    {
      kind: 'table',
      id: 'comparison',
      title: 'Comparison',
      table: {
        columns: [
          { key: 'figure', name: 'figure', unit: null },
          { key: 'value', name: 'speedup_x', label: 'Speedup', unit: '×', decimals: 2 },
        ],
        rows: [{ figure: HOSTILE, value: 2.5 }],
      },
    },
    { kind: 'preformatted', title: 'Command', text: HOSTILE },
  ],
};

describe.skipIf(shouldSkipBrowserTests())('report page in chromium, offline', () => {
  let browser: OfflineBrowser;
  let dir: string;
  let pagePath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'browser-page-'));
    pagePath = join(dir, 'index.html');
    await writeFile(pagePath, await renderChartPage(page));
    browser = await launchOfflineBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders every chart live with marks, with no console error, CSP violation or request leaving the page', async () => {
    const visit = await visitOffline(browser, pagePath, { hoverChart: 'grouped-bar' });
    expect(visit.chartsState).toBe('done');
    expect(visit.charts.map((chart) => chart.id)).toEqual(page.charts!.map((chart) => chart.id));
    for (const chart of visit.charts) {
      expect({ id: chart.id, state: chart.state, hasFallback: chart.hasFallback }).toEqual({ id: chart.id, state: 'rendered', hasFallback: false });
      expect(chart.liveMarkItems, chart.id).toBeGreaterThan(0);
    }
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
    expect(visit.cspViolations).toEqual([]);
    expect(visit.dialogs).toEqual([]);
    expect(visit.requests).toEqual([visit.url]);
    expect(visit.blockedRequests).toEqual([]);
  });

  it('shows tooltips as escaped text (no markup from the data, no CSP violation)', async () => {
    const visit = await visitOffline(browser, pagePath, { hoverChart: 'grouped-bar' });
    expect(visit.tooltip?.visible).toBe(true);
    expect(visit.tooltip?.text).toContain('mean 10.5 samples/s');
    expect(visit.tooltip?.text).toContain('<img src=');
    expect(visit.tooltip?.html).not.toMatch(/<img|<script/i);
    expect(visit.cspViolations).toEqual([]);
    expect(visit.dialogs).toEqual([]);
    expect(visit.requests).toEqual([visit.url]);
  });

  it('shows the static SVG fallback of every chart when JavaScript is off', async () => {
    const visit = await visitOffline(browser, pagePath, { javaScriptEnabled: false });
    expect(visit.charts.every((chart) => chart.hasFallback && chart.liveMarkItems === 0)).toBe(true);
    expect(visit.loadedFallbacks).toBe(page.charts!.length);
    expect(visit.cspViolations).toEqual([]);
    expect(visit.requests).toEqual([visit.url]);
  });

  it('keeps the fallback of a chart whose live rendering fails, and renders the others', async () => {
    const html = await readFile(pagePath, 'utf8');
    const broken = html.replace(/(<script type="application\/json" id="spec-tornado">)[\s\S]*?(<\/script>)/, '$1{not json$2');
    expect(broken).not.toBe(html);
    const brokenPath = join(dir, 'broken.html');
    await writeFile(brokenPath, broken);
    const visit = await visitOffline(browser, brokenPath);
    const tornado = visit.charts.find((chart) => chart.id === 'tornado')!;
    expect(tornado).toMatchObject({ state: 'failed', hasFallback: true, liveMarkItems: 0 });
    expect(visit.loadedFallbacks).toBe(1);
    expect(visit.charts.filter((chart) => chart.state === 'rendered')).toHaveLength(page.charts!.length - 1);
    expect(visit.consoleErrors).toEqual([expect.stringContaining('chart tornado could not render')]);
  });

  // Controls: the checks above could not fail if the harness did not see violations or requests.
  it('detects a CSP violation and an outgoing request when a page has them', async () => {
    const withCsp = join(dir, 'violating.html');
    await writeFile(
      withCsp,
      `<!doctype html><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><p>x</p><script>document.title = 'ran'</script>`,
    );
    const cspVisit = await visitOffline(browser, withCsp);
    expect(cspVisit.cspViolations).toEqual([expect.stringMatching(/^script-src-elem blocked inline/)]);
    const withoutCsp = join(dir, 'leaking.html');
    await writeFile(withoutCsp, `<!doctype html><img src="https://example.invalid/pixel.png"><p>x</p>`);
    const leakVisit = await visitOffline(browser, withoutCsp);
    expect(leakVisit.blockedRequests).toEqual(['https://example.invalid/pixel.png']);
  });
});
