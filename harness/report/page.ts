import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../util/atomic-write.js';
import { escapeHtml } from './escape.js';
import { loadPageAssets, type PageAssets } from './page-assets.js';
import type { ChartEntry, ChartPage, PageSection } from './page-model.js';
import { PAGE_SCRIPT } from './page-script.js';
import { paragraphsHtml, sectionHtml, type RenderedChart } from './page-sections.js';
import { PAGE_CSS } from './page-style.js';
import { renderVegaSvg } from './svg.js';
import { compileVegaLite } from './vega-lite-spec.js';

export type { ChartEntry, ChartPage, PageSection } from './page-model.js';

const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** `'sha256-…'` source expression for a CSP hash of an inline script or style. */
export function cspHash(inlineText: string): string {
  return `'sha256-${createHash('sha256').update(inlineText, 'utf8').digest('base64')}'`;
}

/**
 * The page's Content-Security-Policy: nothing may load from anywhere (default-src 'none'); the
 * only scripts that run are the three inline ones, by hash (no 'unsafe-eval', no
 * 'unsafe-inline'); the only style is the page's own, by hash; images only as data: URIs (the
 * static chart fallbacks and PNG export).
 */
export function contentSecurityPolicy(inlineScripts: readonly string[], inlineStyles: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${sources(inlineScripts)}`,
    `style-src ${sources(inlineStyles)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function sources(inlineTexts: readonly string[]): string {
  return inlineTexts.length === 0 ? "'none'" : inlineTexts.map(cspHash).join(' ');
}

/** Every chart on the page, in page order: `charts` first, then charts inside `sections`. */
function allCharts(page: ChartPage): ChartEntry[] {
  const found: ChartEntry[] = [...(page.charts ?? [])];
  const visit = (sections: readonly PageSection[]): void => {
    for (const section of sections) {
      if (section.kind === 'chart') found.push(section);
      else if (section.kind === 'group') visit(section.sections);
    }
  };
  visit(page.sections ?? []);
  return found;
}

/** Ids become anchors and DOM ids: they must be simple and unique. A violation is a bug in the caller. */
function validateIds(page: ChartPage): void {
  const seen = new Set<string>();
  const check = (id: string | undefined): void => {
    if (id === undefined) return;
    if (!ID_PATTERN.test(id)) throw new TypeError(`page id '${id}' must start with a letter and use only letters, digits, '-' and '_'`);
    if (id.startsWith('spec-')) throw new TypeError(`page id '${id}' must not start with 'spec-' (reserved for chart specs)`);
    if (seen.has(id)) throw new TypeError(`page id '${id}' is used twice`);
    seen.add(id);
  };
  for (const chart of page.charts ?? []) check(chart.id);
  const visit = (sections: readonly PageSection[]): void => {
    for (const section of sections) {
      check(section.id);
      if (section.kind === 'group') visit(section.sections);
    }
  };
  visit(page.sections ?? []);
}

async function renderCharts(charts: readonly ChartEntry[]): Promise<Map<string, RenderedChart>> {
  const rendered = new Map<string, RenderedChart>();
  for (const chart of charts) {
    const { spec: vegaSpec } = compileVegaLite(chart.spec);
    rendered.set(chart.id, { vegaSpec, svg: await renderVegaSvg(vegaSpec) });
  }
  return rendered;
}

function tocHtml(page: ChartPage): string {
  const entries: { id: string; title: string }[] = [];
  for (const chart of page.charts ?? []) entries.push({ id: chart.id, title: chart.title });
  for (const section of page.sections ?? []) {
    if (section.id !== undefined && section.title !== undefined) entries.push({ id: section.id, title: section.title });
  }
  if (entries.length === 0) return '';
  const items = entries.map((entry) => `<li><a href="#${escapeHtml(entry.id)}">${escapeHtml(entry.title)}</a></li>`).join('\n');
  return `<nav class="toc" aria-label="Contents"><ul>\n${items}\n</ul></nav>`;
}

/**
 * Renders a self-contained HTML page that works offline: vega and vega-embed inlined, every chart
 * compiled to Vega in Node and embedded as data (no URL is ever loaded), a static SVG fallback per
 * chart, a CSP without 'unsafe-eval' or 'unsafe-inline', all strings escaped. Same input, same
 * bytes (no timestamps).
 */
export async function renderChartPage(page: ChartPage, assets?: PageAssets): Promise<string> {
  validateIds(page);
  const { vegaJs, vegaEmbedJs } = assets ?? (await loadPageAssets());
  const charts = await renderCharts(allCharts(page));
  const body: string[] = [];
  for (const chart of page.charts ?? []) body.push(sectionHtml({ kind: 'chart', ...chart }, 2, charts));
  for (const section of page.sections ?? []) body.push(sectionHtml(section, 2, charts));
  const hasCharts = charts.size > 0;
  // With no chart on the page there is nothing to run: no script at all, and script-src 'none'.
  const scripts = hasCharts ? [vegaJs, vegaEmbedJs, PAGE_SCRIPT] : [];
  const csp = contentSecurityPolicy(scripts, [PAGE_CSS]);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="rlhf-replay">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(page.title)}</h1>`,
    page.intro ? paragraphsHtml(page.intro, 'intro') : '',
    page.toc ? tocHtml(page) : '',
    '</header>',
    '<main>',
    ...body,
    '</main>',
    page.footer ? `<footer>${paragraphsHtml(page.footer)}</footer>` : '',
    ...scripts.map((script) => `<script>${script}</script>`),
    '</body>',
    '</html>',
  ]
    .filter((line) => line !== '')
    .join('\n')
    .concat('\n');
}

/** Renders the page and writes it atomically (a failure leaves any previous file untouched). */
export async function writeChartPage(path: string, page: ChartPage): Promise<void> {
  await writeFileAtomic(path, await renderChartPage(page));
}
