import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lineColumnAt, locateKey, parseJsonText } from '../util/json-input.js';
import { InputError, type InputProblem } from '../util/input-error.js';
import { projectRoot } from '../util/shared-data.js';
import { PAPERS, type PaperId } from './paper-id.js';

/**
 * The published figures of the reproduced papers (baselines/paper/<paper>.json, JSON Schema
 * baselines/paper/paper-figures.schema.json). These are the paper targets: only the comparison
 * reads them (compare.ts, through the CLI and the finalize step); no mechanism does — a test
 * enforces that no module under harness/schedulers, sim, cost, scenario, jobs or sweep, nor the reproduce
 * modules that simulate, imports this file.
 *
 * Rule for calling a figure reproduced: the target interval is [v − t(v), v + t(v)] for a
 * published value v, [min − t(min), max + t(max)] for a published range, with
 * t(x) = max(relative·|x|, absolute); the figure is within tolerance when the reproduced 95 %
 * confidence interval intersects the target interval.
 */
export { PAPERS, type PaperId };

export type Published = { readonly value: number } | { readonly min: number; readonly max: number };

export interface Tolerance {
  readonly relative?: number;
  readonly absolute?: number;
}

export interface PaperFigure {
  readonly id: string;
  readonly paper: PaperId;
  readonly description: string;
  readonly published: Published;
  readonly unit: string;
  readonly source: string;
  readonly tolerance: Tolerance;
  readonly toleranceWhy: string;
  /** Present when no mechanism of the harness produces the figure: why. */
  readonly notSimulated?: string;
  /**
   * For the outcome of a search or an optimisation (a schedule's peak memory), the direction that
   * improves on it: a reproduction beyond the target on this side is 'better' than published
   * rather than missed (the harness's search found what the published one did not).
   */
  readonly better?: FigureDirection;
}

export type FigureDirection = 'lower' | 'higher';

export interface PaperFigureFile {
  readonly paper: PaperId;
  readonly title: string;
  readonly citation: string;
  readonly file: string;
  readonly figures: readonly PaperFigure[];
}

export const PAPER_BASELINE_DIR = join(projectRoot, 'baselines', 'paper');

export function paperBaselinePath(paper: PaperId, dir = PAPER_BASELINE_DIR): string {
  return join(dir, `${paper}.json`);
}

const FIGURE_FIELDS = ['id', 'description', 'published', 'unit', 'source', 'tolerance', 'toleranceWhy', 'notSimulated', 'better'] as const;
const REQUIRED_FIGURE_FIELDS = ['id', 'description', 'published', 'unit', 'source', 'tolerance', 'toleranceWhy'] as const;
const TOP_FIELDS = ['$schema', 'paper', 'title', 'citation', 'figures'] as const;
const ID_PATTERN = /^[a-z0-9]+(\.[a-z0-9-]+)+$/;

/** Line and column of the `index`-th figure's `field` (or of the figure itself), for error messages. */
function locateFigureField(text: string, index: number, field?: string): { line?: number; column?: number } {
  const figuresAt = text.search(/"figures"\s*:/);
  if (figuresAt < 0) return {};
  const idPattern = /"id"\s*:/g;
  idPattern.lastIndex = figuresAt;
  let match: RegExpExecArray | null = null;
  for (let i = 0; i <= index; i++) {
    match = idPattern.exec(text);
    if (!match) return {};
  }
  let at = match!.index;
  // The figure's opening brace, then the field inside it.
  const open = text.lastIndexOf('{', at);
  if (open >= 0) at = open;
  if (field !== undefined) {
    const fieldPattern = new RegExp(`"${field.replace(/[$]/g, '\\$')}"\\s*:`, 'g');
    fieldPattern.lastIndex = at;
    const found = fieldPattern.exec(text);
    const nextFigure = idPattern.exec(text);
    if (found && (!nextFigure || found.index < nextFigure.index)) at = found.index;
  }
  return lineColumnAt(text, at);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function checkFigure(raw: unknown, index: number, paper: PaperId, file: string, text: string, problems: InputProblem[]): PaperFigure | undefined {
  const at = (field?: string) => ({ file, ...locateFigureField(text, index, field) });
  const fail = (field: string, value: unknown, message: string) => problems.push({ ...at(field), field: `figures[${index}].${field}`, value, message });
  if (!isObject(raw)) {
    problems.push({ ...at(), field: `figures[${index}]`, value: raw, message: 'must be an object' });
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(raw).sort()) if (!(FIGURE_FIELDS as readonly string[]).includes(key)) fail(key, raw[key], `is not a known field (known: ${FIGURE_FIELDS.join(', ')})`);
  for (const key of REQUIRED_FIGURE_FIELDS) if (!Object.hasOwn(raw, key)) problems.push({ ...at(), field: `figures[${index}].${key}`, message: 'is missing' });
  for (const key of ['description', 'unit', 'source', 'toleranceWhy'] as const) if (Object.hasOwn(raw, key) && !isText(raw[key])) fail(key, raw[key], 'must be a non-empty string');
  if (Object.hasOwn(raw, 'notSimulated') && !isText(raw.notSimulated)) fail('notSimulated', raw.notSimulated, 'must be a non-empty string (why no mechanism produces the figure)');
  if (Object.hasOwn(raw, 'better') && raw.better !== 'lower' && raw.better !== 'higher') fail('better', raw.better, "must be 'lower' or 'higher' (the direction that improves on the published figure)");
  if (Object.hasOwn(raw, 'id')) {
    if (typeof raw.id !== 'string' || !ID_PATTERN.test(raw.id)) fail('id', raw.id, "must look like '<paper>.<figure>' (lower case, digits, '-', dot-separated)");
    else if (!raw.id.startsWith(`${paper}.`)) fail('id', raw.id, `must start with '${paper}.' (the file's paper)`);
  }
  const published = raw.published;
  if (Object.hasOwn(raw, 'published')) {
    if (!isObject(published)) fail('published', published, "must be { \"value\": x } or { \"min\": a, \"max\": b }");
    else {
      const keys = Object.keys(published).sort().join(',');
      if (keys === 'value') {
        if (!isNumber(published.value)) fail('published.value', published.value, 'must be a finite number');
      } else if (keys === 'max,min') {
        if (!isNumber(published.min)) fail('published.min', published.min, 'must be a finite number');
        if (!isNumber(published.max)) fail('published.max', published.max, 'must be a finite number');
        if (isNumber(published.min) && isNumber(published.max) && published.min > published.max) fail('published', published, 'min must not exceed max');
      } else fail('published', published, "must have exactly 'value', or exactly 'min' and 'max'");
    }
  }
  const tolerance = raw.tolerance;
  if (Object.hasOwn(raw, 'tolerance')) {
    if (!isObject(tolerance) || Object.keys(tolerance).length === 0) fail('tolerance', tolerance, "must be { \"relative\": r } and/or { \"absolute\": a }");
    else {
      for (const key of Object.keys(tolerance).sort()) {
        if (key !== 'relative' && key !== 'absolute') fail(`tolerance.${key}`, tolerance[key], "is not a known field (known: relative, absolute)");
        else if (!isNumber(tolerance[key]) || (tolerance[key] as number) < 0) fail(`tolerance.${key}`, tolerance[key], 'must be a number ≥ 0');
      }
    }
  }
  if (problems.length > before) return undefined;
  return {
    id: raw.id as string,
    paper,
    description: raw.description as string,
    published: published as Published,
    unit: raw.unit as string,
    source: raw.source as string,
    tolerance: tolerance as Tolerance,
    toleranceWhy: raw.toleranceWhy as string,
    ...(raw.notSimulated !== undefined ? { notSimulated: raw.notSimulated as string } : {}),
    ...(raw.better !== undefined ? { better: raw.better as FigureDirection } : {}),
  };
}

/** Validates a parsed paper-figure file; every problem (file, line, column, field, value) is reported at once. */
export function parsePaperFigures(text: string, file: string, expectedPaper?: PaperId): PaperFigureFile {
  const { value } = parseJsonText(file, text, 'paper figures');
  const problems: InputProblem[] = [];
  if (!isObject(value)) throw new InputError({ file, line: 1, column: 1, value, message: 'paper figures: expected a JSON object' });
  for (const key of Object.keys(value).sort()) {
    if (!(TOP_FIELDS as readonly string[]).includes(key)) problems.push({ file, ...locateKey(text, key), field: key, value: value[key], message: `is not a known field (known: ${TOP_FIELDS.join(', ')})` });
  }
  const paper = value.paper;
  if (!(PAPERS as readonly unknown[]).includes(paper)) problems.push({ file, ...locateKey(text, 'paper'), field: 'paper', value: paper, message: `must be one of ${PAPERS.join(', ')}` });
  else if (expectedPaper !== undefined && paper !== expectedPaper) problems.push({ file, ...locateKey(text, 'paper'), field: 'paper', value: paper, message: `the file is for '${expectedPaper}'` });
  for (const key of ['title', 'citation'] as const) if (!isText(value[key])) problems.push({ file, ...locateKey(text, key), field: key, value: value[key], message: 'must be a non-empty string' });
  const figures: PaperFigure[] = [];
  if (!Array.isArray(value.figures) || value.figures.length === 0) {
    problems.push({ file, ...locateKey(text, 'figures'), field: 'figures', value: value.figures, message: 'must be a non-empty list of figures' });
  } else if ((PAPERS as readonly unknown[]).includes(paper)) {
    const seen = new Map<string, number>();
    value.figures.forEach((raw, index) => {
      const figure = checkFigure(raw, index, paper as PaperId, file, text, problems);
      if (!figure) return;
      const first = seen.get(figure.id);
      if (first !== undefined) problems.push({ file, ...locateFigureField(text, index, 'id'), field: `figures[${index}].id`, value: figure.id, message: `is used twice (also figures[${first}])` });
      else seen.set(figure.id, index);
      figures.push(figure);
    });
  }
  if (problems.length > 0) throw new InputError(problems);
  return { paper: paper as PaperId, title: value.title as string, citation: value.citation as string, file, figures };
}

/** Reads and validates one paper's published figures. */
export async function loadPaperFigures(paper: PaperId, dir = PAPER_BASELINE_DIR): Promise<PaperFigureFile> {
  const file = paperBaselinePath(paper, dir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError({ file, message: `paper figures: ${code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(error)})`}` });
  }
  return parsePaperFigures(text, file, paper);
}
