import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../harness/util/shared-data.js';

/** The folder import graph of harness/ (ARCHITECTURE.md): which top-level folder imports which. */
async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : Promise.resolve(/\.(ts|mjs)$/.test(entry.name) ? [join(dir, entry.name)] : []))));
  return nested.flat();
}

async function folderImports(): Promise<Map<string, Set<string>>> {
  const harness = join(projectRoot, 'harness');
  const edges = new Map<string, Set<string>>();
  for (const file of await sourceFiles(harness)) {
    const from = relative(harness, file).split('/')[0]!;
    const code = (await readFile(file, 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const match of code.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
      const target = relative(harness, resolve(dirname(file), match[1]!)).split('/')[0]!;
      if (target === from || target.startsWith('..')) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(target);
    }
  }
  return edges;
}

describe('the folders of harness/', () => {
  it('import one another without a cycle', async () => {
    const edges = await folderImports();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      for (const next of edges.get(node) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else visit(next, [...path, next]);
      }
    };
    for (const node of edges.keys()) visit(node, [node]);
    expect(cycles).toEqual([]);
  });

  it('keep the CLI at the top and the rendering and reading layers below the simulation', async () => {
    const edges = await folderImports();
    const importers = (target: string) => [...edges.entries()].filter(([, to]) => to.has(target)).map(([from]) => from).sort();
    expect(importers('cli')).toEqual([]);
    for (const lower of ['util', 'stats', 'report', 'traces', 'cost']) {
      const reaches = [...(edges.get(lower) ?? [])].filter((to) => ['cli', 'sim', 'schedulers', 'run', 'scenario', 'reproduce', 'nightly', 'sweep', 'whatif', 'bench', 'jobs'].includes(to));
      expect(reaches, `${lower} imports`).toEqual([]);
    }
  });
});
