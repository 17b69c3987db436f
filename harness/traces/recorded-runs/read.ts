import { InputError } from '../../util/input-error.js';
import { createProblemCollector, type ProblemCollector } from '../problems.js';
import { openCsv } from '../source/csv.js';
import { listSome } from '../source/list-some.js';
import { numberProblem, rules, type NumberRules } from '../source/values.js';
import { RECORDED_RUNS_COLUMNS, type RecordedRunsColumn } from './columns.js';
import { consistencyFindings } from './consistency.js';
import { parseGpuType } from './gpu-type.js';
import { parseGradCkpt } from './grad-ckpt.js';
import { splitInferred, type Known } from './known.js';
import { parseAlgorithm, parseFramework, parseModel } from './labels.js';
import { parseOffload } from './offload.js';
import { runKeyOf } from './run-key.js';
import { parseStepIndex, type StepIndex } from './step-index.js';
import { RECORDED_STAGES, TRAIN_BACKENDS, type RecordedRunGroup, type RecordedStage, type RecordedStep, type RecordedRunsTable, type TrainBackend } from './types.js';

export const RECORDED_RUNS_FORMAT = 'recorded-runs-csv';
/** Up to this many missing columns are listed one per line; more mean the file is another table. */
const MISSING_COLUMNS_LISTED = 5;

const FRACTION: NumberRules & { max: number } = { min: 0, max: 1 };
/** Yes/no cells as transcribers and pandas write them (the schema's pattern lists the same words). */
const TRUE_WORDS = new Set(['True', 'true', 'TRUE', 'yes', 'Yes', 'y', 'Y', '1']);
const FALSE_WORDS = new Set(['False', 'false', 'FALSE', 'no', 'No', 'n', 'N', '0']);

/**
 * Reads a recorded-runs table (`runs.csv`; traces/README.md "Recorded runs") into one typed
 * record per row. An empty cell is unknown (undefined); a `~`-prefixed value is kept with
 * `inferred: true`; free-text columns are kept as written and parsed (offload, grad_ckpt, gpu_type,
 * algorithm, framework, model). Bad rows — a wrong number of cells, text where a number is needed,
 * negative seconds, a fraction above 1, an unknown step index form, a repeated run_id — are
 * InputErrors with file:line:column, field and value. What does not add up within a row is a
 * finding on the row, not an error (see consistency.ts).
 */
export async function readRecordedRuns(path: string, problems: ProblemCollector = createProblemCollector()): Promise<RecordedRunsTable> {
  const table = await openCsv(path, { problems });
  const missing = RECORDED_RUNS_COLUMNS.filter((name) => !table.columnIndex.has(name));
  if (missing.length > MISSING_COLUMNS_LISTED) {
    table.close();
    throw new InputError({
      file: path,
      line: table.headerLine,
      column: 1,
      message: `missing ${missing.length} of the ${RECORDED_RUNS_COLUMNS.length} recorded-runs columns (${listSome(missing)}): not a runs.csv table? (traces/README.md, "Recorded runs")`,
    });
  }
  for (const name of missing) problems.add({ file: path, line: table.headerLine, column: 1, field: name, message: 'missing column (every recorded-runs column must be in the header; leave its cells empty when unknown)' });
  const known = new Set<string>(RECORDED_RUNS_COLUMNS);
  table.header.forEach((name, index) => {
    if (!known.has(name)) problems.add({ file: path, line: table.headerLine, column: index + 1, field: name, message: 'unknown column (traces/README.md lists the recorded-runs columns)' });
  });
  if (problems.count > 0) table.close();
  problems.throwIfAny();
  const rows: RecordedStep[] = [];
  const firstLineOf = new Map<string, number>();
  for await (const { cells, line } of table.records()) {
    const before = problems.count;
    const cell = new RowCells(path, line, cells, table.columnIndex, problems);
    const row = readRow(cell);
    const runId = cell.plain('run_id');
    if (runId !== undefined) {
      const first = firstLineOf.get(runId);
      if (first !== undefined) problems.add({ ...cell.site('run_id'), value: runId, message: `repeats the run_id of line ${first}` });
      else firstLineOf.set(runId, line);
    }
    if (row !== undefined && problems.count === before) rows.push(row);
  }
  problems.throwIfAny();
  return { path, rows, runs: groupRuns(rows), notes: tableNotes(rows) };
}

function readRow(cell: RowCells): RecordedStep | undefined {
  const runId = cell.plain('run_id');
  if (runId === undefined) cell.problem('run_id', 'is empty; every row needs a run_id');
  const stepIndex = cell.stepIndex();
  const sourceUrl = cell.plain('source_url');
  const notes = cell.plain('notes');
  const stagesS: Partial<Record<RecordedStage, Known<number>>> = {};
  for (const stage of RECORDED_STAGES) {
    const seconds = cell.number(`timing_${stage}_s` as RecordedRunsColumn, rules.STAGE_S);
    if (seconds) stagesS[stage] = seconds;
  }
  const count = (name: RecordedRunsColumn) => cell.number(name, rules.POSITIVE_COUNT);
  const tokens = (name: RecordedRunsColumn) => cell.number(name, rules.MEAN_TOKENS);
  const row: Omit<RecordedStep, 'findings'> = {
    runId: runId ?? '',
    line: cell.line,
    runKey: runKeyOf({ runId: runId ?? '', ...(sourceUrl !== undefined ? { sourceUrl } : {}), ...(notes !== undefined ? { notes } : {}) }),
    source: compact({ url: sourceUrl, repo: cell.plain('repo'), issueOrPr: cell.plain('issue_or_pr'), date: cell.date() }),
    config: compact({
      framework: cell.parsed('framework_and_version', parseFramework),
      algorithm: cell.parsed('algorithm', parseAlgorithm),
      model: cell.parsed('model', parseModel),
      modelParamsB: cell.number('model_params_b', { min: 0, minInclusive: false }),
      moe: cell.boolean('moe'),
      gpuType: cell.parsed('gpu_type', parseGpuType),
      nodes: count('nodes'),
      gpusPerNode: count('gpus_per_node'),
      rolloutEngine: cell.text('rollout_engine'),
      rolloutTp: count('rollout_tp'),
      trainBackend: cell.trainBackend(),
      trainTp: count('train_tp'),
      trainPp: count('train_pp'),
      offload: cell.parsed('offload', parseOffload),
      gradCkpt: cell.parsed('grad_ckpt', parseGradCkpt),
      dynamicBsz: cell.boolean('dynamic_bsz'),
      ppoMaxTokenLenPerGpu: count('ppo_max_token_len_per_gpu'),
      trainBatchSizePrompts: count('train_batch_size_prompts'),
      rolloutN: count('rollout_n'),
      ppoMiniBatchSize: count('ppo_mini_batch_size'),
      ppoMicroBatchSizePerGpu: count('ppo_micro_batch_size_per_gpu'),
      ppoEpochs: count('ppo_epochs'),
      maxPromptLen: count('max_prompt_len'),
      maxResponseLen: count('max_response_len'),
    }),
    stepIndex: stepIndex ?? { kind: 'average' },
    workload: compact({
      responseLengthMean: tokens('response_length_mean'),
      responseLengthMax: tokens('response_length_max'),
      responseClipRatio: cell.number('response_clip_ratio', FRACTION),
      promptLengthMean: tokens('prompt_length_mean'),
      seqLengthMean: tokens('seq_length_mean'),
      seqLengthMax: tokens('seq_length_max'),
      globalSeqlenMean: tokens('global_seqlen_mean'),
    }),
    stagesS,
    ...compact({
      throughputTokensPerSPerGpu: cell.number('throughput_tokens_per_s_per_gpu', rules.NON_NEGATIVE),
      mfuActor: cell.number('mfu_actor', FRACTION),
      notes,
    }),
  };
  if (runId === undefined || stepIndex === undefined) return undefined;
  return { ...row, findings: [...freeTextFindings(row), ...consistencyFindings(row)] };
}

/** Free text the parse rules did not understand is kept, and said. */
function freeTextFindings(row: Omit<RecordedStep, 'findings'>): string[] {
  const out: string[] = [];
  const { offload, gradCkpt, gpuType } = row.config;
  for (const clause of offload?.value.unparsed ?? []) out.push(`offload: clause '${clause}' not understood (kept as text)`);
  if (gradCkpt?.value.unparsed !== undefined) out.push(`grad_ckpt: '${gradCkpt.value.unparsed}' not understood (kept as text)`);
  if (gpuType?.value.unparsed !== undefined) out.push(`gpu_type: '${gpuType.value.unparsed}' not understood (kept as text)`);
  return out;
}

function groupRuns(rows: readonly RecordedStep[]): RecordedRunGroup[] {
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const ids = groups.get(row.runKey);
    if (ids) ids.push(row.runId);
    else groups.set(row.runKey, [row.runId]);
  }
  return [...groups].map(([runKey, runIds]) => ({ runKey, runIds }));
}

function tableNotes(rows: readonly RecordedStep[]): string[] {
  const runs = new Set(rows.map((row) => row.runKey)).size;
  const withFindings = rows.filter((row) => row.findings.length > 0);
  const notes = [`${rows.length} rows (measured steps or per-step averages) in ${runs} runs`];
  for (const row of withFindings) for (const finding of row.findings) notes.push(`${row.runId} (line ${row.line}): ${finding}`);
  return notes;
}

/** Drops undefined fields, so a record carries only what its row states. */
function compact<T extends Record<string, unknown>>(record: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** The cells of one row, read with the site (file, line, CSV column, field) each problem names. */
class RowCells {
  constructor(
    readonly path: string,
    readonly line: number,
    private readonly cells: readonly string[],
    private readonly columnIndex: ReadonlyMap<string, number>,
    private readonly problems: ProblemCollector,
  ) {}

  site(field: RecordedRunsColumn): { file: string; line: number; column: number; field: string } {
    return { file: this.path, line: this.line, column: this.columnIndex.get(field)! + 1, field };
  }

  raw(field: RecordedRunsColumn): string {
    return this.cells[this.columnIndex.get(field)!] ?? '';
  }

  problem(field: RecordedRunsColumn, message: string): void {
    this.problems.add({ ...this.site(field), value: this.raw(field), message });
  }

  /** Text kept exactly (trimmed); `~` has no meaning here. */
  plain(field: RecordedRunsColumn): string | undefined {
    const text = this.raw(field).trim();
    return text === '' ? undefined : text;
  }

  text(field: RecordedRunsColumn): Known<string> | undefined {
    const cell = splitInferred(this.raw(field));
    if (cell && cell.value === '') {
      this.problem(field, 'has the `~` (inferred) mark but no value');
      return undefined;
    }
    return cell;
  }

  parsed<T>(field: RecordedRunsColumn, parse: (text: string) => T): Known<T> | undefined {
    const cell = this.text(field);
    return cell && { value: parse(cell.value), inferred: cell.inferred };
  }

  number(field: RecordedRunsColumn, numberRules: NumberRules & { max?: number }): Known<number> | undefined {
    const cell = this.text(field);
    if (!cell) return undefined;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(cell.value)) {
      this.problem(field, 'is not a number');
      return undefined;
    }
    const value = Number(cell.value);
    const reason = numberProblem(value, numberRules) ?? (numberRules.max !== undefined && value > numberRules.max ? `must be at most ${numberRules.max}` : undefined);
    if (reason) {
      this.problem(field, field.startsWith('timing_') && reason === 'must not be negative' ? 'must not be negative (seconds)' : reason);
      return undefined;
    }
    return { value, inferred: cell.inferred };
  }

  boolean(field: RecordedRunsColumn): Known<boolean> | undefined {
    const cell = this.text(field);
    if (!cell) return undefined;
    const word = cell.value;
    if (TRUE_WORDS.has(word)) return { value: true, inferred: cell.inferred };
    if (FALSE_WORDS.has(word)) return { value: false, inferred: cell.inferred };
    this.problem(field, 'is not a yes/no value; expected True/False or y/n');
    return undefined;
  }

  trainBackend(): Known<TrainBackend> | undefined {
    const cell = this.text('train_backend');
    if (!cell) return undefined;
    const backend = cell.value;
    if ((TRAIN_BACKENDS as readonly string[]).includes(backend)) return { value: backend as TrainBackend, inferred: cell.inferred };
    this.problem('train_backend', `is not a training backend; expected one of ${TRAIN_BACKENDS.join(', ')}`);
    return undefined;
  }

  date(): Known<string> | undefined {
    const cell = this.text('date');
    if (cell && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(cell.value)) {
      this.problem('date', 'is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD (with ~ when inferred)');
      return undefined;
    }
    return cell;
  }

  stepIndex(): StepIndex | undefined {
    const text = this.raw('step_index').trim();
    if (text === '') {
      this.problem('step_index', 'is empty; expected a step number, avg or avgN');
      return undefined;
    }
    if (text.startsWith('~')) {
      this.problem('step_index', 'cannot be inferred (~): a row is either a logged step or a published average');
      return undefined;
    }
    const index = parseStepIndex(text);
    if (!index) this.problem('step_index', 'unknown step index form; expected a step number (0, 1, …), avg or avgN (average over N steps)');
    return index;
  }
}
