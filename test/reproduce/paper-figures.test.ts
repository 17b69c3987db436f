import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { figureComputations } from '../../harness/reproduce/figures/index.js';
import { loadPaperFigures, parsePaperFigures, PAPER_BASELINE_DIR, PAPERS } from '../../harness/reproduce/paper-figures.js';
import { isInputError } from '../../harness/util/input-error.js';
import { projectRoot } from '../../harness/util/shared-data.js';

const schemaPath = join(PAPER_BASELINE_DIR, 'paper-figures.schema.json');

function problemsOf(text: string): { field?: string; line?: number; message: string }[] {
  try {
    parsePaperFigures(text, 'x.json', 'rlhfuse');
  } catch (error) {
    if (isInputError(error)) return error.problems.map((p) => ({ field: p.field, line: p.line, message: p.message }));
    throw error;
  }
  return [];
}

const valid = {
  paper: 'rlhfuse',
  title: 't',
  citation: 'c',
  figures: [{ id: 'rlhfuse.a', description: 'd', published: { value: 1 }, unit: '×', source: 's', tolerance: { relative: 0.1 }, toleranceWhy: 'w' }],
};

describe('baselines/paper', () => {
  it('loads both shipped files', async () => {
    for (const paper of PAPERS) {
      const file = await loadPaperFigures(paper);
      expect(file.paper).toBe(paper);
      expect(file.figures.length).toBeGreaterThan(5);
      for (const figure of file.figures) expect(figure.id.startsWith(`${paper}.`)).toBe(true);
    }
  });

  it('every simulated published figure has a computation, and every computation a published figure', async () => {
    const published = (await Promise.all(PAPERS.map((p) => loadPaperFigures(p)))).flatMap((f) => f.figures);
    const simulated = published.filter((f) => f.notSimulated === undefined).map((f) => f.id).sort();
    expect(figureComputations.map((c) => c.id).sort()).toEqual(simulated);
    // The ones not simulated say why.
    for (const figure of published.filter((f) => f.notSimulated !== undefined)) expect(figure.notSimulated!.length).toBeGreaterThan(20);
  });

  it('the JSON Schema lists exactly the fields the loader accepts and requires', async () => {
    const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
    const item = schema.properties.figures.items;
    expect(Object.keys(item.properties).sort()).toEqual(['better', 'description', 'id', 'notSimulated', 'published', 'source', 'tolerance', 'toleranceWhy', 'unit']);
    expect([...item.required].sort()).toEqual(['description', 'id', 'published', 'source', 'tolerance', 'toleranceWhy', 'unit']);
    expect(schema.properties.paper.enum).toEqual([...PAPERS]);
    expect(Object.keys(item.properties.tolerance.properties).sort()).toEqual(['absolute', 'relative']);
  });

  it('accepts a valid file and reports every problem of a bad one with its field and line', () => {
    expect(problemsOf(JSON.stringify(valid, null, 2))).toEqual([]);
    const bad = {
      ...valid,
      extra: 1,
      figures: [
        { ...valid.figures[0], id: 'rlhfless.a' },
        { ...valid.figures[0], published: { min: 3, max: 2 }, tolerance: { relative: -1 } },
        { ...valid.figures[0], id: 'rlhfuse.a', unit: '' },
        { id: 'rlhfuse.b' },
        { ...valid.figures[0], id: 'rlhfuse.c', better: 'smaller' },
      ],
    };
    const problems = problemsOf(JSON.stringify(bad, null, 2));
    expect(problems.map((p) => p.field)).toEqual(
      expect.arrayContaining(['extra', 'figures[0].id', 'figures[1].published', 'figures[1].tolerance.relative', 'figures[2].unit', 'figures[3].description', 'figures[3].tolerance', 'figures[4].better']),
    );
    expect(problems.find((p) => p.field === 'figures[0].id')?.message).toContain("must start with 'rlhfuse.'");
    expect(problems.find((p) => p.field === 'figures[1].published')?.message).toContain('min must not exceed max');
    expect(problems.find((p) => p.field === 'figures[4].better')?.message).toContain("must be 'lower' or 'higher'");
    expect(problems.every((p) => p.line !== undefined)).toBe(true);
  });

  it('names a repeated id and an unreadable file', async () => {
    const twice = { ...valid, figures: [valid.figures[0], valid.figures[0]] };
    expect(problemsOf(JSON.stringify(twice, null, 2))).toEqual([expect.objectContaining({ field: 'figures[1].id', message: 'is used twice (also figures[0])' })]);
    expect(problemsOf('{ "paper": ')[0]?.message).toContain('not valid JSON');
    await expect(loadPaperFigures('rlhfuse', '/nonexistent-dir')).rejects.toThrow('file not found');
  });
});

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : Promise.resolve(entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []))));
  return nested.flat();
}

describe('only the comparison reads the paper targets', () => {
  it('no mechanism module imports the paper figures or names baselines/paper', async () => {
    const mechanism = [
      ...(await sourceFiles(join(projectRoot, 'harness', 'schedulers'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'sim'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'cost'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'scenario'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'jobs'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'sweep'))),
      // The reproduction's simulating side: cases, experiments, figures, metrics, traces, sensitivity, results.
      ...(await sourceFiles(join(projectRoot, 'harness', 'reproduce', 'cases'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'reproduce', 'experiments'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'reproduce', 'figures'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'reproduce', 'traces'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'reproduce', 'sensitivity'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'metrics'))),
      ...(await sourceFiles(join(projectRoot, 'harness', 'run'))),
      join(projectRoot, 'harness', 'reproduce', 'results.ts'),
      join(projectRoot, 'harness', 'reproduce', 'plan.ts'),
      join(projectRoot, 'harness', 'reproduce', 'scenario-variant.ts'),
    ];
    expect(mechanism.length).toBeGreaterThan(50);
    const offenders: string[] = [];
    for (const file of mechanism) {
      // Code only: comments may say where the targets live.
      const text = (await readFile(file, 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      if (/paper-figures(\.js)?['"]/.test(text) || /baselines[/\\]paper|'baselines',\s*'paper'/.test(text)) offenders.push(relative(projectRoot, file));
    }
    expect(offenders).toEqual([]);
  });
});
