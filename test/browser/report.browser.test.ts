import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../cli/run-cli.js';
import { launchOfflineBrowser, shouldSkipBrowserTests, visitOffline, type OfflineBrowser } from './offline-browser.js';

/**
 * The generated reproduction report (`reproduce --quick`, both papers, real simulations) opened
 * in Debian's chromium with the network cut off: every chart renders live, nothing logs an
 * error, nothing breaks the CSP, no request leaves the page. See offline-browser.ts for the
 * skip policy.
 */
describe.skipIf(shouldSkipBrowserTests())('reproduction report in chromium, offline', () => {
  let browser: OfflineBrowser;
  let page: string;

  beforeAll(async () => {
    const dir = await scratchDir('reproduce-browser');
    const run = await runCli(['reproduce', '--quick', '--out', join(dir, 'reports')]);
    if (run.code !== 0) throw new Error(`reproduce --quick exited ${run.code}: ${run.err}`);
    page = join(dir, 'reports', 'index.html');
    browser = await launchOfflineBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart with marks, with no console error, CSP violation or request leaving the page', async () => {
    const visit = await visitOffline(browser, page, { hoverChart: 'rlhfuse-throughput' });
    expect(visit.chartsState).toBe('done');
    const ids = visit.charts.map((chart) => chart.id);
    expect(ids).toEqual(expect.arrayContaining(['rlhfuse-throughput', 'rlhfuse-speedup-vs-length', 'rlhfuse-threshold-curve', 'rlhfuse-fused-pipeline', 'rlhfless-cost-vs-time', 'rlhfless-ablation', 'trace-lengths', 'trace-choice', 'waterfall-rlhfless-sim-average-cost-reduction']));
    expect(ids.some((id) => id.startsWith('tornado-'))).toBe(true);
    expect(ids.some((id) => id.startsWith('rlhfuse-timeline-'))).toBe(true);
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
    expect(visit.tooltip?.visible).toBe(true);
    expect(visit.tooltip?.text).toContain('samples/s');
  });

  for (const width of [1280, 420]) {
    it(`has no overlapping, cut or clipped label, no chart wider than the page and no value cell wrapped, at ${width} px`, async () => {
      const visit = await visitOffline(browser, page, { width, layout: true });
      expect(visit.chartsState).toBe('done');
      expect(visit.layout!.charts).toBe(visit.charts.length);
      expect(visit.layout!.keptCells).toBeGreaterThan(50);
      expect(visit.layout!.problems.map((p) => `${p.chart}: ${p.kind}: ${p.detail}`)).toEqual([]);
    });
  }

  it('shows every chart as a static image without JavaScript', async () => {
    const visit = await visitOffline(browser, page, { javaScriptEnabled: false });
    expect(visit.charts.length).toBeGreaterThan(10);
    expect(visit.loadedFallbacks).toBe(visit.charts.length);
    expect(visit.requests).toEqual([visit.url]);
  });
});
