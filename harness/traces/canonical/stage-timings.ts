import { InputError } from '../../util/input-error.js';
import type { ProblemCollector } from '../problems.js';
import { openCsv } from '../source/csv.js';
import { csvLine } from '../source/csv-write.js';
import { checkKnownKeys, readJsonLines } from '../source/json-lines.js';
import { describeJsonType, expectNumber, isPlainObject, parseNumberCell, parseOptionalNumberCell, rules, type NumberRules } from '../source/values.js';
import type { StageTimingIteration, StageTimingTrace } from '../types.js';

export const STAGE_TIMINGS_JSONL_FORMAT = 'stage-timings-jsonl';
export const STAGE_TIMINGS_CSV_FORMAT = 'stage-timings-csv';
export const STAGE_TIMINGS_FORMAT_ID = 'rlhf-replay.stage-timings';
export const STAGE_TIMINGS_CSV_COLUMNS = ['iteration', 'stage', 'duration_s', 'gpus'] as const;
/** The stage name that carries the whole step's wall time in the CSV form. */
export const STEP_STAGE = 'step';

const LINE_KEYS = new Set(['iteration', 'stages_s', 'step_s', 'gpus', 'metrics']);
const META_KEYS = new Set(['format', 'version', 'notes']);

/** Reads canonical stage timings as JSONL: optional `{"$meta": …}` line, then one iteration per line. */
export async function readStageTimingsJsonl(path: string, problems: ProblemCollector): Promise<StageTimingTrace> {
  const iterations = new Map<number, { value: StageTimingIteration; line: number }>();
  const notes: string[] = [];
  let first = true;
  for await (const { value, line } of readJsonLines(path, problems)) {
    if (first && '$meta' in value) {
      first = false;
      const meta = value.$meta;
      if (!isPlainObject(meta)) problems.add({ file: path, line, field: '$meta', value: meta, message: 'must be an object' });
      else {
        checkKnownKeys(meta, META_KEYS, path, line, problems);
        if (meta.format !== STAGE_TIMINGS_FORMAT_ID) problems.add({ file: path, line, field: '$meta.format', value: meta.format, message: `must be '${STAGE_TIMINGS_FORMAT_ID}'` });
        if (meta.version !== 1) problems.add({ file: path, line, field: '$meta.version', value: meta.version, message: 'unsupported version; this harness reads version 1' });
        if (meta.notes !== undefined && (!Array.isArray(meta.notes) || meta.notes.some((n) => typeof n !== 'string')))
          problems.add({ file: path, line, field: '$meta.notes', value: meta.notes, message: 'must be an array of strings' });
        else if (Array.isArray(meta.notes)) notes.push(...(meta.notes as string[]));
      }
      continue;
    }
    first = false;
    const before = problems.count;
    checkKnownKeys(value, LINE_KEYS, path, line, problems);
    for (const key of ['iteration', 'stages_s']) if (!(key in value)) problems.add({ file: path, line, field: key, message: 'missing required key' });
    if (problems.count !== before) continue;
    const iteration = expectNumber(value.iteration, { file: path, line, field: 'iteration' }, rules.ITERATION, problems);
    const stagesS = secondsRecord(value.stages_s, 'stages_s', path, line, problems, rules.STAGE_S);
    const metrics = value.metrics === undefined ? {} : secondsRecord(value.metrics, 'metrics', path, line, problems, {});
    const stepS = value.step_s === undefined ? undefined : expectNumber(value.step_s, { file: path, line, field: 'step_s' }, rules.STAGE_S, problems);
    const gpus = value.gpus === undefined ? undefined : expectNumber(value.gpus, { file: path, line, field: 'gpus' }, rules.GPUS, problems);
    if (problems.count !== before) continue;
    const previous = iterations.get(iteration!);
    if (previous) {
      problems.add({ file: path, line, field: 'iteration', value: iteration, message: `duplicate iteration (first on line ${previous.line})` });
      continue;
    }
    iterations.set(iteration!, {
      value: { iteration: iteration!, stagesS: stagesS!, ...(stepS !== undefined ? { stepS } : {}), ...(gpus !== undefined ? { gpus } : {}), metrics: metrics! },
      line,
    });
  }
  if (iterations.size === 0 && problems.count === 0) problems.add({ file: path, line: 1, column: 1, message: 'no iterations: the file holds no iteration lines' });
  problems.throwIfAny();
  return { format: STAGE_TIMINGS_JSONL_FORMAT, sources: [path], iterations: sortedIterations(iterations), notes };
}

function secondsRecord(
  value: unknown,
  field: string,
  file: string,
  line: number,
  problems: ProblemCollector,
  numberRules: NumberRules,
): Record<string, number> | undefined {
  if (!isPlainObject(value)) {
    problems.add({ file, line, field, value, message: `must be an object of name → number, not ${describeJsonType(value)}` });
    return undefined;
  }
  const out: Record<string, number> = {};
  for (const [key, entry] of Object.entries(value)) {
    const number = expectNumber(entry, { file, line, field: `${field}.${key}` }, numberRules, problems);
    if (number === undefined) return undefined;
    out[key] = number;
  }
  return out;
}

/** Reads canonical stage timings as CSV (long form: one row per iteration and stage; stage 'step' is the step's wall time). */
export async function readStageTimingsCsv(path: string, problems: ProblemCollector): Promise<StageTimingTrace> {
  const table = await openCsv(path, { problems, requiredColumns: ['iteration', 'stage', 'duration_s'] });
  for (const name of table.header)
    if (!(STAGE_TIMINGS_CSV_COLUMNS as readonly string[]).includes(name))
      problems.add({ file: path, line: table.headerLine, column: table.header.indexOf(name) + 1, field: name, message: `unknown column (known columns: ${STAGE_TIMINGS_CSV_COLUMNS.join(', ')})` });
  const col = (name: string): number | undefined => table.columnIndex.get(name);
  const drafts = new Map<number, { stagesS: Record<string, number>; stepS?: number; gpus?: number; gpusLine?: number; lines: Map<string, number> }>();
  for await (const { cells, line } of table.records()) {
    const site = (field: string) => ({ file: path, line, column: col(field)! + 1, field });
    const iteration = parseNumberCell(cells[col('iteration')!]!, site('iteration'), rules.ITERATION, problems);
    const stage = cells[col('stage')!]!.trim();
    if (stage === '') problems.add({ ...site('stage'), value: stage, message: 'is empty' });
    const duration = parseNumberCell(cells[col('duration_s')!]!, site('duration_s'), rules.STAGE_S, problems);
    const gpus = col('gpus') === undefined ? undefined : parseOptionalNumberCell(cells[col('gpus')!], site('gpus'), rules.GPUS, problems);
    if (iteration === undefined || stage === '' || duration === undefined || gpus === null) continue;
    let draft = drafts.get(iteration);
    if (!draft) drafts.set(iteration, (draft = { stagesS: {}, lines: new Map() }));
    const previousLine = draft.lines.get(stage);
    if (previousLine !== undefined) {
      problems.add({ ...site('stage'), value: stage, message: `duplicate stage for iteration ${iteration} (first on line ${previousLine})` });
      continue;
    }
    draft.lines.set(stage, line);
    if (gpus !== undefined) {
      if (draft.gpus !== undefined && draft.gpus !== gpus) problems.add({ ...site('gpus'), value: gpus, message: `differs from ${draft.gpus} (line ${draft.gpusLine}) for the same iteration` });
      draft.gpus = gpus;
      draft.gpusLine = line;
    }
    if (stage === STEP_STAGE) draft.stepS = duration;
    else draft.stagesS[stage] = duration;
  }
  problems.throwIfAny();
  const iterations = new Map<number, { value: StageTimingIteration; line: number }>();
  for (const [iteration, draft] of drafts)
    iterations.set(iteration, {
      value: {
        iteration,
        stagesS: draft.stagesS,
        ...(draft.stepS !== undefined ? { stepS: draft.stepS } : {}),
        ...(draft.gpus !== undefined ? { gpus: draft.gpus } : {}),
        metrics: {},
      },
      line: 0,
    });
  return { format: STAGE_TIMINGS_CSV_FORMAT, sources: [path], iterations: sortedIterations(iterations), notes: [] };
}

function sortedIterations(map: ReadonlyMap<number, { value: StageTimingIteration }>): StageTimingIteration[] {
  return [...map.values()].map((entry) => entry.value).sort((a, b) => a.iteration - b.iteration);
}

/** Canonical JSONL text of a stage-timing trace (keys sorted, so output is byte-stable). */
export function stageTimingsJsonl(trace: StageTimingTrace): string {
  let out = `${JSON.stringify({ $meta: { format: STAGE_TIMINGS_FORMAT_ID, version: 1, notes: trace.notes } })}\n`;
  for (const it of trace.iterations) {
    const line: Record<string, unknown> = { iteration: it.iteration, stages_s: sortRecord(it.stagesS) };
    if (it.stepS !== undefined) line.step_s = it.stepS;
    if (it.gpus !== undefined) line.gpus = it.gpus;
    if (Object.keys(it.metrics).length > 0) line.metrics = sortRecord(it.metrics);
    out += `${JSON.stringify(line)}\n`;
  }
  return out;
}

/** Canonical CSV text of a stage-timing trace. Metrics have no place in it: refuse unless dropping them is allowed. */
export function stageTimingsCsv(trace: StageTimingTrace, options: { allowLossy?: boolean; target?: string } = {}): string {
  const withMetrics = trace.iterations.filter((it) => Object.keys(it.metrics).length > 0).length;
  if (withMetrics > 0 && !options.allowLossy)
    throw new InputError({
      file: options.target ?? 'output',
      field: 'metrics',
      message: `${withMetrics} iterations carry metrics, which the CSV form cannot hold; write .jsonl instead, or allow dropping them (--allow-lossy)`,
    });
  const hasGpus = trace.iterations.some((it) => it.gpus !== undefined);
  let out = (hasGpus ? 'iteration,stage,duration_s,gpus\n' : 'iteration,stage,duration_s\n');
  for (const it of trace.iterations) {
    const rows: [string, number][] = Object.entries(sortRecord(it.stagesS));
    if (it.stepS !== undefined) rows.push([STEP_STAGE, it.stepS]);
    for (const [stage, seconds] of rows) out += csvLine(hasGpus ? [it.iteration, stage, seconds, it.gpus] : [it.iteration, stage, seconds]);
  }
  return out;
}

function sortRecord(record: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
