import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { LAYOUT_TOLERANCE_PX, READ_LAYOUT, type LayoutReport } from './chart-layout.js';

/**
 * Real-browser checks run Debian's chromium (`apt-get install chromium`; .ci/run installs it)
 * through playwright-core, with the network cut off.
 *
 * Policy: when chromium is missing the browser tests FAIL, in CI and locally, because a skipped
 * browser test would hide a broken report page. A developer without chromium may opt out
 * explicitly with RLHF_REPLAY_SKIP_BROWSER=1; that opt-out is ignored when CI is set.
 * RLHF_REPLAY_CHROMIUM points at another chromium binary.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.RLHF_REPLAY_CHROMIUM ?? '/usr/bin/chromium';
}

/** True only when a developer asked to skip and this is not CI and chromium is really missing. */
export function shouldSkipBrowserTests(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false';
  return !ci && env.RLHF_REPLAY_SKIP_BROWSER === '1' && !existsSync(chromiumPath(env));
}

export interface OfflineBrowser {
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches chromium headless with the flags above. Playwright gives the browser a new, empty
 * temporary user-data-dir and removes it on close; every visit gets its own offline context.
 */
export async function launchOfflineBrowser(env: NodeJS.ProcessEnv = process.env): Promise<OfflineBrowser> {
  const executablePath = chromiumPath(env);
  if (!existsSync(executablePath)) {
    throw new Error(
      `chromium not found at ${executablePath}: install it with 'apt-get install -y chromium' ` +
        `(CI does this in .ci/run), or set RLHF_REPLAY_SKIP_BROWSER=1 to skip browser tests locally`,
    );
  }
  const browser = await chromium.launch({ executablePath, headless: true, args: [...CHROMIUM_FLAGS] });
  return { browser, close: () => browser.close() };
}

export interface ChartState {
  readonly id: string;
  /** 'rendered' | 'failed' | null (never settled). */
  readonly state: string | null;
  /** Data marks (items inside Vega's role-mark groups) drawn by the live chart. */
  readonly liveMarkItems: number;
  readonly hasFallback: boolean;
}

export interface OfflinePageVisit {
  readonly url: string;
  /** Every request the page made, the page itself included. */
  readonly requests: readonly string[];
  readonly blockedRequests: readonly string[];
  readonly consoleErrors: readonly string[];
  readonly consoleWarnings: readonly string[];
  readonly pageErrors: readonly string[];
  readonly cspViolations: readonly string[];
  /** The value of <html data-charts>: 'done' once every chart settled. */
  readonly chartsState: string | null;
  readonly charts: readonly ChartState[];
  /** Dialogs (alert, confirm) the page opened: an injected script would show up here. */
  readonly dialogs: readonly string[];
  /** After hovering the first data mark of `hoverChart`: the tooltip's text and HTML. */
  readonly tooltip?: { readonly visible: boolean; readonly text: string; readonly html: string };
  /** Fallback images that finished loading (naturalWidth > 0). */
  readonly loadedFallbacks: number;
  /** With `layout`: overlapping, cut or outside labels, charts wider than the page, wrapped value cells (chart-layout.ts). */
  readonly layout?: LayoutReport;
}

export interface VisitOptions {
  readonly javaScriptEnabled?: boolean;
  readonly screenshotPath?: string;
  /** Chart id whose first data mark to hover, to check the tooltip. */
  readonly hoverChart?: string;
  /** Viewport width, px. Default 1280. */
  readonly width?: number;
  /** Check the rendered charts' and tables' layout (chart-layout.ts). */
  readonly layout?: boolean;
}

/**
 * Opens a local HTML file with every request except the page itself aborted, waits until the
 * page's charts settle, and reports what happened.
 */
// In-page code, kept as strings: the project compiles without DOM types.
const RECORD_CSP_VIOLATIONS = `(() => {
  const violations = [];
  window.__cspViolations = violations;
  document.addEventListener('securitypolicyviolation', (event) => {
    violations.push(event.violatedDirective + ' blocked ' + (event.blockedURI || '(inline)') + ' at ' + event.sourceFile + ':' + event.lineNumber);
  });
})()`;

const READ_PAGE_STATE = `(() => ({
  chartsState: document.documentElement.getAttribute('data-charts'),
  cspViolations: window.__cspViolations || [],
  charts: Array.from(document.querySelectorAll('.chart-view')).map((view) => ({
    id: view.getAttribute('data-chart-id') || '',
    state: view.getAttribute('data-state'),
    liveMarkItems: Array.from(view.querySelectorAll('.chart-live svg g.role-mark')).reduce((count, group) => count + group.children.length, 0),
    hasFallback: view.querySelector('img.chart-fallback') !== null,
  })),
  loadedFallbacks: Array.from(document.querySelectorAll('img.chart-fallback')).filter((img) => img.complete && img.naturalWidth > 0).length,
}))()`;

const READ_TOOLTIP = `(() => {
  const element = document.getElementById('vg-tooltip-element');
  return { visible: element ? element.classList.contains('visible') : false, text: element ? element.textContent : '', html: element ? element.innerHTML : '' };
})()`;

type PageState = Pick<OfflinePageVisit, 'chartsState' | 'cspViolations' | 'charts' | 'loadedFallbacks'>;

export async function visitOffline(browser: OfflineBrowser, file: string, options: VisitOptions = {}): Promise<OfflinePageVisit> {
  const url = pathToFileURL(file).href;
  const javaScriptEnabled = options.javaScriptEnabled ?? true;
  const context = await browser.browser.newContext({ offline: true, javaScriptEnabled, viewport: { width: options.width ?? 1280, height: 900 } });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const requests: string[] = [];
  const blockedRequests: string[] = [];
  const consoleErrors: string[] = [];
  const consoleWarnings: string[] = [];
  const pageErrors: string[] = [];
  await page.route('**/*', async (route) => {
    if (route.request().url() === url) await route.continue();
    else {
      blockedRequests.push(route.request().url());
      await route.abort('blockedbyclient');
    }
  });
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
    if (message.type() === 'warning') consoleWarnings.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  // Init scripts run outside the page's CSP, so this listener sees every violation.
  await page.addInitScript(RECORD_CSP_VIOLATIONS);
  try {
    await page.goto(url, { waitUntil: 'load' });
    if (javaScriptEnabled && (await page.locator('.chart-view').count()) > 0) {
      // A selector, not waitForFunction: Playwright polls string predicates with eval, which a strict CSP reports.
      await page.waitForSelector('html[data-charts]', { state: 'attached', timeout: 60_000 }).catch(() => undefined);
    }
    const result = (await page.evaluate(READ_PAGE_STATE)) as PageState;
    let tooltip: OfflinePageVisit['tooltip'];
    if (options.hoverChart !== undefined) {
      const mark = page.locator(`.chart-view[data-chart-id="${options.hoverChart}"] .chart-live svg g.role-mark > *`).first();
      await mark.hover({ force: true });
      await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 5_000 }).catch(() => undefined);
      tooltip = (await page.evaluate(READ_TOOLTIP)) as NonNullable<OfflinePageVisit['tooltip']>;
    }
    const layout = options.layout ? ((await page.evaluate(`${READ_LAYOUT}(${LAYOUT_TOLERANCE_PX})`)) as LayoutReport) : undefined;
    if (options.screenshotPath) await page.screenshot({ path: options.screenshotPath, fullPage: true });
    return { url, requests, blockedRequests, consoleErrors, consoleWarnings, pageErrors, dialogs, tooltip, ...result, ...(layout ? { layout } : {}) };
  } finally {
    await context.close();
  }
}
