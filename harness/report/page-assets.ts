import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as vega from 'vega';
import { version as vegaLiteVersion } from 'vega-lite';

/** The browser builds the page inlines, read from the installed packages (never fetched). */
export interface PageAssets {
  readonly vegaJs: string;
  readonly vegaEmbedJs: string;
}

const require = createRequire(import.meta.url);

/** The UMD build beside a package's main entry (the packages' `exports` hide the build folder itself). */
function browserBuildPath(packageName: string, fileName: string): string {
  return join(dirname(require.resolve(packageName)), fileName);
}

export async function loadPageAssets(): Promise<PageAssets> {
  const [vegaJs, vegaEmbedJs] = await Promise.all([
    readFile(browserBuildPath('vega', 'vega.min.js'), 'utf8'),
    readFile(browserBuildPath('vega-embed', 'vega-embed.min.js'), 'utf8'),
  ]);
  for (const [name, text] of [['vega.min.js', vegaJs], ['vega-embed.min.js', vegaEmbedJs]] as const) {
    // Inlined verbatim: a '</script' inside would end the element early (and the CSP hash is of the exact text).
    if (/<\/script|<!--/i.test(text)) throw new Error(`${name} contains '</script' or '<!--' and cannot be inlined`);
  }
  return { vegaJs, vegaEmbedJs };
}

/** Versions of the chart libraries, for a report's provenance section. */
export function chartLibraryVersions(): { vega: string; vegaLite: string } {
  // vega's typings omit its exported `version`.
  return { vega: (vega as unknown as { version: string }).version, vegaLite: vegaLiteVersion };
}
