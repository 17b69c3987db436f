import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { FieldReader, OBJECT_SCOPED_STYLE, readJsonFile } from '../util/json-input.js';
import { median } from '../stats/median.js';
import { sameEnvironment } from './compare.js';
import type { BaselineFigure, Environment, FigureResult } from './types.js';

/**
 * Stored baselines, two files in the baseline folder:
 * - golden.json: deterministic figures (simulated results, cost-model estimates, trace stats,
 *   pipeline-search makespans), reviewed like golden files: a change is a regression until the
 *   baseline is updated (`--update-baseline`) or the change acknowledged;
 * - timings.json: timing samples of the last BASELINE_TIMING_RUNS runs recorded on one kind of
 *   machine (each `--update-baseline` on the same kind adds a run and drops the oldest; on another
 *   kind it starts over), with that machine. Record a timing baseline with several runs, ideally
 *   on several machines of the kind CI uses: a single run cannot show machine-to-machine spread.
 * Both map a figure id (`<case id>:<figure>`) to { value, unit[, runs, environment] }.
 * A missing file is an empty baseline; a damaged one is an error (exit 2) and is never rewritten.
 */
export const BASELINE_FORMAT = 'rlhf-replay-nightly-baseline';
export const GOLDEN_FILE = 'golden.json';
export const TIMINGS_FILE = 'timings.json';
/** Runs a timing baseline keeps (pooled when comparing). */
export const BASELINE_TIMING_RUNS = 5;

export interface BaselineSet {
  /** By figure id. */
  readonly golden: Readonly<Record<string, BaselineFigure>>;
  readonly timings: Readonly<Record<string, BaselineFigure>>;
}

function readEnvironment(reader: FieldReader | undefined): Environment | undefined {
  if (!reader) return undefined;
  reader.rejectUnknown(['platform', 'arch', 'cpuModel', 'cpus', 'nodeMajor']);
  const platform = reader.string('platform');
  const arch = reader.string('arch');
  const cpuModel = reader.string('cpuModel');
  const cpus = reader.number('cpus', { integer: true, min: 1 });
  const nodeMajor = reader.number('nodeMajor', { integer: true, min: 1 });
  if (platform === undefined || arch === undefined || cpuModel === undefined || cpus === undefined || nodeMajor === undefined) return undefined;
  return { platform, arch, cpuModel, cpus, nodeMajor };
}

async function readBaselineFile(path: string, timings: boolean): Promise<Record<string, BaselineFigure>> {
  const doc = await readJsonFile(path, 'nightly baseline', { optional: true });
  if (!doc) return {};
  const root = FieldReader.root(doc, 'nightly baseline', OBJECT_SCOPED_STYLE);
  root.rejectUnknown(['format', 'version', 'about', 'figures']);
  if (root.get('format') !== BASELINE_FORMAT) root.problem('format', root.get('format'), `must be '${BASELINE_FORMAT}'`);
  root.number('version', { integer: true, min: 1, max: 1 });
  const figures = root.child('figures');
  const result: Record<string, BaselineFigure> = {};
  if (figures) {
    for (const id of Object.keys(figures.object)) {
      const entry = figures.child(id);
      if (!entry) continue;
      entry.rejectUnknown(timings ? ['value', 'unit', 'runs', 'environment'] : ['value', 'unit']);
      const value = entry.number('value');
      const unit = entry.has('unit') && entry.get('unit') === '' ? '' : entry.string('unit');
      let runs: number[][] | undefined;
      if (timings) {
        const raw = entry.get('runs');
        const isRun = (run: unknown) => Array.isArray(run) && run.length > 0 && run.every((x) => typeof x === 'number' && Number.isFinite(x));
        if (!Array.isArray(raw) || raw.length === 0 || !raw.every(isRun)) entry.problem('runs', raw, 'must be a non-empty list of runs, each a non-empty list of finite samples');
        else runs = raw as number[][];
      }
      const environment = timings ? readEnvironment(entry.child('environment')) : undefined;
      if (value === undefined || unit === undefined) continue;
      result[id] = { value, unit, ...(runs ? { runs } : {}), ...(environment ? { environment } : {}) };
    }
  }
  root.throwIfAny();
  return result;
}

/** Reads both baseline files of a folder (either may be missing). */
export async function readBaselines(dir: string): Promise<BaselineSet> {
  return { golden: await readBaselineFile(join(dir, GOLDEN_FILE), false), timings: await readBaselineFile(join(dir, TIMINGS_FILE), true) };
}

function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]!]));
}

function baselineText(about: string, figures: Readonly<Record<string, BaselineFigure>>): string {
  return `${JSON.stringify({ format: BASELINE_FORMAT, version: 1, about, figures: sortedRecord(figures) }, null, 2)}\n`;
}

/**
 * The baselines after `--update-baseline`: every deterministic figure measured in this run
 * replaces its entry; a timing adds this run's samples to its entry's runs (keeping the last
 * BASELINE_TIMING_RUNS) when recorded on the same kind of machine, and starts over otherwise;
 * figures of cases that failed keep their old entry; entries of cases no longer in the plan go.
 */
export function updatedBaselines(previous: BaselineSet, figures: readonly FigureResult[], failedCaseIds: readonly string[], planCaseIds: readonly string[]): BaselineSet {
  const planIds = new Set(planCaseIds);
  const failed = new Set(failedCaseIds);
  const caseOf = (figureId: string) => figureId.slice(0, figureId.indexOf(':'));
  const keep = (record: Readonly<Record<string, BaselineFigure>>) =>
    Object.fromEntries(Object.entries(record).filter(([id]) => planIds.has(caseOf(id)) && failed.has(caseOf(id))));
  const golden: Record<string, BaselineFigure> = keep(previous.golden);
  const timings: Record<string, BaselineFigure> = keep(previous.timings);
  for (const figure of figures) {
    if (figure.mode === 'exact') golden[figure.id] = { value: figure.value, unit: figure.unit };
    else {
      const previousEntry = previous.timings[figure.id];
      const sameKind = previousEntry?.runs && previousEntry.unit === figure.unit && previousEntry.environment && figure.environment && sameEnvironment(previousEntry.environment, figure.environment);
      const runs = [...(sameKind ? previousEntry.runs! : []), [...(figure.samples ?? [figure.value])]].slice(-BASELINE_TIMING_RUNS);
      timings[figure.id] = { value: median(runs.flat()), unit: figure.unit, runs, ...(figure.environment ? { environment: figure.environment } : {}) };
    }
  }
  return { golden, timings };
}

const GOLDEN_ABOUT = 'Deterministic nightly figures (figure id = <case id>:<figure>). Written by `rlhf-replay nightly --update-baseline`; review changes like golden files.';
const TIMINGS_ABOUT = 'Nightly timing samples of the last runs recorded (each --update-baseline on the same kind of machine adds one) and that machine. Written by `rlhf-replay nightly --update-baseline`; compared only on the same kind of machine.';

/** The text of both baseline files, by file name (written together with the nightly's other outputs). */
export function baselineFileTexts(baselines: BaselineSet): Readonly<Record<typeof GOLDEN_FILE | typeof TIMINGS_FILE, string>> {
  return { [GOLDEN_FILE]: baselineText(GOLDEN_ABOUT, baselines.golden), [TIMINGS_FILE]: baselineText(TIMINGS_ABOUT, baselines.timings) } as Record<typeof GOLDEN_FILE | typeof TIMINGS_FILE, string>;
}

/** Writes both files; each is written atomically, and nothing is written unless both texts were built. */
export async function writeBaselines(dir: string, baselines: BaselineSet): Promise<void> {
  const texts = baselineFileTexts(baselines);
  await writeFileAtomic(join(dir, GOLDEN_FILE), texts[GOLDEN_FILE]);
  await writeFileAtomic(join(dir, TIMINGS_FILE), texts[TIMINGS_FILE]);
}
