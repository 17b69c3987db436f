import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { writeFileAtomic } from '../util/atomic-write.js';
import { compileVegaLite, type VegaLiteSpec, type VegaSpec } from './vega-lite-spec.js';

/**
 * Renders a compiled Vega spec to an SVG string in Node, headless. Expressions are evaluated by
 * vega-interpreter (the same CSP-safe path the page uses in the browser), so a spec that renders
 * here also renders there without eval.
 */
export async function renderVegaSvg(spec: VegaSpec): Promise<string> {
  const view = new View(parse(spec, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter });
  try {
    return numberDefinitionsLocally(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers the clip paths and gradients it defines from a counter global to the process
 * (`clip4` in the second chart a process draws): renumbered from 1 in order of appearance within
 * each SVG, a chart's bytes depend on the chart alone, not on what the process drew before.
 */
export function numberDefinitionsLocally(svg: string): string {
  const renamed = new Map<string, string>();
  const next = new Map<string, number>();
  for (const match of svg.matchAll(/\bid="(clip|gradient|pattern)(\d+)"/g)) {
    const old = `${match[1]}${match[2]}`;
    if (renamed.has(old)) continue;
    const n = (next.get(match[1]!) ?? 0) + 1;
    next.set(match[1]!, n);
    renamed.set(old, `${match[1]}${n}`);
  }
  if (renamed.size === 0) return svg;
  return svg.replace(/(\bid="|url\(#|href="#)(clip|gradient|pattern)(\d+)\b/g, (whole, lead: string, kind: string, n: string) => {
    const to = renamed.get(`${kind}${n}`);
    return to === undefined ? whole : `${lead}${to}`;
  });
}

/** Compiles a Vega-Lite spec and renders it to a standalone SVG document (string). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  return renderVegaSvg(compileVegaLite(spec).spec);
}

/** Writes a chart as a standalone SVG file, atomically. */
export async function writeSvg(path: string, spec: VegaLiteSpec): Promise<void> {
  await writeFileAtomic(path, `${await renderSvg(spec)}\n`);
}
