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
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Compiles a Vega-Lite spec and renders it to a standalone SVG document (string). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  return renderVegaSvg(compileVegaLite(spec).spec);
}

/** Writes a chart as a standalone SVG file, atomically. */
export async function writeSvg(path: string, spec: VegaLiteSpec): Promise<void> {
  await writeFileAtomic(path, `${await renderSvg(spec)}\n`);
}
