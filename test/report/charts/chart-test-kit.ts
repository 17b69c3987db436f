import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { expect } from 'vitest';
import { compileVegaLite, type VegaLiteSpec, type VegaSpec } from '../../../harness/report/vega-lite-spec.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/** Normalised JSON: keys sorted, numbers to 12 significant digits, 2-space indent, final newline. */
export function normaliseJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/**
 * Compares a spec with `golden/<name>.vl.json`. On a mismatch (or a missing golden) the new
 * version is written beside it as `<name>.vl.json.new` for review and the test fails; rename it
 * over the golden to accept. UPDATE_GOLDEN=1 writes goldens directly.
 */
export function expectGolden(name: string, spec: unknown): void {
  const path = join(GOLDEN_DIR, `${name}.vl.json`);
  const actual = normaliseJson(spec);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual);
    rmSync(`${path}.new`, { force: true });
    return;
  }
  const expected = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (expected === actual) {
    rmSync(`${path}.new`, { force: true });
    return;
  }
  writeFileSync(`${path}.new`, actual);
  expect.fail(
    expected === undefined
      ? `golden ${name}.vl.json is missing: review ${path}.new and rename it to accept`
      : `spec differs from golden ${name}.vl.json: review ${path}.new (diff it against the golden) and rename it to accept`,
  );
}

/** Compiles with Vega-Lite and fails on any warning (a warning means the builder made a mistake). */
export function compileClean(spec: VegaLiteSpec): VegaSpec {
  const { spec: vega, warnings } = compileVegaLite(spec);
  expect(warnings).toEqual([]);
  return vega;
}

const EXPRESSION_KEYS = new Set(['expr', 'signal', 'test', 'update', 'init']);

/** Every expression string in a compiled Vega spec (signals, transforms' expr, production rule tests). */
export function expressionsOf(spec: unknown): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (EXPRESSION_KEYS.has(key) && typeof child === 'string') found.push(child);
        else visit(child);
      }
    }
  };
  visit(spec);
  return found;
}

/** A string no builder would produce by itself, to check that caller text never reaches an expression. */
export const MARKER = 'ZQX"\'</script>';

export function expectNoMarkerInExpressions(vega: VegaSpec): void {
  for (const expression of expressionsOf(vega)) expect(expression).not.toContain('ZQX');
}

interface SceneNode {
  marktype?: string;
  role?: string;
  name?: string;
  items?: SceneNode[];
  datum?: Record<string, unknown>;
  x?: number;
  y?: number;
  x2?: number;
  width?: number;
  height?: number;
}

export interface DrawnItem {
  readonly datum: Record<string, unknown>;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The items one type of data mark drew (in scene order), with their data and geometry. */
export async function drawnItems(vega: VegaSpec, marktype: string): Promise<DrawnItem[]> {
  const view = new View(parse(vega, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter });
  try {
    await view.runAsync();
    const items: DrawnItem[] = [];
    const visit = (node: SceneNode): void => {
      if (node.marktype === marktype && node.role === 'mark') {
        for (const item of node.items ?? []) {
          items.push({ datum: item.datum ?? {}, x: item.x ?? 0, y: item.y ?? 0, width: item.width ?? 0, height: item.height ?? 0 });
        }
      }
      for (const child of node.items ?? []) visit(child);
    };
    visit((view.scenegraph() as unknown as { root: SceneNode }).root);
    return items;
  } finally {
    view.finalize();
  }
}

/**
 * Runs the compiled spec headless (interpreted expressions, as in the page) and counts the
 * items drawn by each data mark (role 'mark'), keyed by mark type, summed over facets/layers.
 */
export async function drawnMarkCounts(vega: VegaSpec): Promise<Record<string, number>> {
  const view = new View(parse(vega, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter });
  try {
    await view.runAsync();
    const counts: Record<string, number> = {};
    const visit = (node: SceneNode): void => {
      if (node.marktype && node.role === 'mark' && node.marktype !== 'group') {
        counts[node.marktype] = (counts[node.marktype] ?? 0) + (node.items?.length ?? 0);
      }
      for (const child of node.items ?? []) visit(child);
    };
    visit((view.scenegraph() as unknown as { root: SceneNode }).root);
    return counts;
  } finally {
    view.finalize();
  }
}
