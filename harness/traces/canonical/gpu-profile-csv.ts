import type { ProblemCollector } from '../problems.js';
import { openCsv } from '../source/csv.js';
import { csvLine } from '../source/csv-write.js';
import { inUnit, parseBooleanCell, parseNumberCell, parseOptionalNumberCell, rules, type NumberRules } from '../source/values.js';
import type { GpuProfile, GpuProfileProvenance, GpuProfileRow } from '../types.js';

export const GPU_PROFILE_CSV_FORMAT = 'gpu-profile-csv';

/** Columns of the canonical GPU-profile CSV, in the order the writer emits them. */
export const GPU_PROFILE_COLUMNS = [
  'device',
  'model',
  'op',
  'tokens',
  'batch',
  'context_tokens',
  'output_tokens',
  'tp',
  'bytes',
  'workers',
  'cross_node',
  'time_s',
  'time_std_s',
  'source',
  'date',
  'engine',
] as const;
/** Time columns a reader accepts, with the factor to seconds; exactly one time column per file. */
export const TIME_COLUMNS: Readonly<Record<string, number>> = { time_s: 1, time_ms: 1e3, time_us: 1e6 };
export const TIME_STD_COLUMNS: Readonly<Record<string, number>> = { time_std_s: 1, time_std_ms: 1e3, time_std_us: 1e6 };
const KNOWN = new Set<string>([...GPU_PROFILE_COLUMNS, ...Object.keys(TIME_COLUMNS), ...Object.keys(TIME_STD_COLUMNS)]);

/** The plausibility bound of a row's time, by what the op is: a prefill, a decode step, or any other operation. */
export function operationTimeRules(op: string): NumberRules {
  if (/prefill/i.test(op)) return rules.PREFILL_S;
  if (/decode/i.test(op)) return rules.DECODE_STEP_S;
  return rules.OPERATION_S;
}

/** Reads the canonical GPU-profile CSV: one measured timing per row. */
export async function readGpuProfileCsv(path: string, problems: ProblemCollector): Promise<GpuProfile> {
  const table = await openCsv(path, { problems, requiredColumns: ['device', 'op', 'tp'] });
  for (const name of table.header)
    if (!KNOWN.has(name)) problems.add({ file: path, line: table.headerLine, column: table.header.indexOf(name) + 1, field: name, message: `unknown column (known columns: ${[...KNOWN].join(', ')})` });
  const timeColumns = table.header.filter((name) => name in TIME_COLUMNS);
  const stdColumns = table.header.filter((name) => name in TIME_STD_COLUMNS);
  if (timeColumns.length !== 1)
    problems.add({ file: path, line: table.headerLine, column: 1, field: 'time_s', message: `needs exactly one time column (time_s, time_ms or time_us), found ${timeColumns.length ? timeColumns.join(', ') : 'none'}` });
  if (stdColumns.length > 1) problems.add({ file: path, line: table.headerLine, column: 1, field: 'time_std_s', message: `at most one time_std column, found ${stdColumns.join(', ')}` });
  if (problems.count > 0) table.close();
  problems.throwIfAny();
  const col = (name: string): number | undefined => table.columnIndex.get(name);
  const timeColumn = timeColumns[0]!;
  const stdColumn = stdColumns[0];
  const provenance: GpuProfileProvenance[] = [];
  const provenanceIndex = new Map<string, number>();
  const rowsProvenance: (number | undefined)[] = [];
  const rows: GpuProfileRow[] = [];
  let rowsWithoutSource = 0;
  for await (const { cells, line } of table.records()) {
    const before = problems.count;
    const text = (name: string): string => {
      const index = col(name);
      return index === undefined ? '' : cells[index]!.trim();
    };
    const site = (name: string) => ({ file: path, line, column: col(name)! + 1, field: name });
    const optional = (name: string, numberRules: NumberRules): number | undefined => {
      const value = col(name) === undefined ? undefined : parseOptionalNumberCell(cells[col(name)!], site(name), numberRules, problems);
      return value === null ? undefined : value;
    };
    const device = text('device');
    const op = text('op');
    if (device === '') problems.add({ ...site('device'), value: '', message: 'is empty' });
    if (op === '') problems.add({ ...site('op'), value: '', message: 'is empty' });
    const tp = parseNumberCell(cells[col('tp')!]!, site('tp'), rules.GPUS, problems);
    const timeRules = operationTimeRules(op);
    const time = parseNumberCell(cells[col(timeColumn)!]!, site(timeColumn), inUnit(timeRules, timeColumn.slice('time_'.length), TIME_COLUMNS[timeColumn]!), problems);
    const std = stdColumn === undefined ? undefined : optional(stdColumn, inUnit(timeRules, stdColumn.slice('time_std_'.length), TIME_STD_COLUMNS[stdColumn]!));
    const crossNodeText = text('cross_node');
    const crossNode = crossNodeText === '' ? undefined : parseBooleanCell(crossNodeText, site('cross_node'), problems);
    const tokens = optional('tokens', rules.BATCH_TOKENS);
    const batch = optional('batch', rules.SEQUENCES);
    const contextTokens = optional('context_tokens', rules.TOKENS);
    const outputTokens = optional('output_tokens', rules.TOKENS);
    const bytes = optional('bytes', rules.BYTES);
    const workers = optional('workers', rules.GPUS);
    if (problems.count !== before) continue;
    const source = text('source');
    let index: number | undefined;
    if (source === '') rowsWithoutSource++;
    else {
      const entry: GpuProfileProvenance = { source, ...(text('date') ? { date: text('date') } : {}), ...(text('engine') ? { engine: text('engine') } : {}) };
      const key = JSON.stringify(entry);
      index = provenanceIndex.get(key);
      if (index === undefined) {
        index = provenance.length;
        provenance.push(entry);
        provenanceIndex.set(key, index);
      }
    }
    rowsProvenance.push(index);
    rows.push({
      device,
      model: text('model'),
      op,
      ...(tokens !== undefined ? { tokens } : {}),
      ...(batch !== undefined ? { batch } : {}),
      ...(contextTokens !== undefined ? { contextTokens } : {}),
      ...(outputTokens !== undefined ? { outputTokens } : {}),
      tp: tp!,
      ...(bytes !== undefined ? { bytes } : {}),
      ...(workers !== undefined ? { workers } : {}),
      ...(crossNode !== undefined ? { crossNode } : {}),
      timeS: time! / TIME_COLUMNS[timeColumn]!,
      ...(std !== undefined ? { timeStdS: std / TIME_STD_COLUMNS[stdColumn!]! } : {}),
      file: path,
      line,
    });
  }
  problems.throwIfAny();
  // With several provenance entries each row says which is its own; with one, it is everybody's.
  const finalRows = provenance.length > 1 ? rows.map((row, i) => (rowsProvenance[i] === undefined ? row : { ...row, provenanceIndex: rowsProvenance[i] })) : rows;
  const notes = rowsWithoutSource > 0 ? [`${rowsWithoutSource} rows have no source (provenance unknown)`] : [];
  return { format: GPU_PROFILE_CSV_FORMAT, sources: [path], provenance, rows: finalRows, notes };
}

/** Canonical CSV text of a GPU profile: seconds, optional columns only where some row uses them. */
export function gpuProfileCsv(profile: GpuProfile): string {
  const used = new Set<string>(['device', 'model', 'op', 'tp', 'time_s']);
  for (const row of profile.rows) {
    if (row.tokens !== undefined) used.add('tokens');
    if (row.batch !== undefined) used.add('batch');
    if (row.contextTokens !== undefined) used.add('context_tokens');
    if (row.outputTokens !== undefined) used.add('output_tokens');
    if (row.bytes !== undefined) used.add('bytes');
    if (row.workers !== undefined) used.add('workers');
    if (row.crossNode !== undefined) used.add('cross_node');
    if (row.timeStdS !== undefined) used.add('time_std_s');
  }
  const provenanceOf = (row: GpuProfileRow): GpuProfileProvenance | undefined =>
    row.provenanceIndex !== undefined ? profile.provenance[row.provenanceIndex] : profile.provenance.length === 1 ? profile.provenance[0] : undefined;
  for (const row of profile.rows) {
    const p = provenanceOf(row);
    if (p) {
      used.add('source');
      if (p.date !== undefined) used.add('date');
      if (p.engine !== undefined) used.add('engine');
    }
  }
  const columns = GPU_PROFILE_COLUMNS.filter((name) => used.has(name));
  let out = `${columns.join(',')}\n`;
  for (const row of profile.rows) {
    const p = provenanceOf(row);
    const values: Record<(typeof GPU_PROFILE_COLUMNS)[number], string | number | boolean | undefined> = {
      device: row.device,
      model: row.model,
      op: row.op,
      tokens: row.tokens,
      batch: row.batch,
      context_tokens: row.contextTokens,
      output_tokens: row.outputTokens,
      tp: row.tp,
      bytes: row.bytes,
      workers: row.workers,
      cross_node: row.crossNode,
      time_s: row.timeS,
      time_std_s: row.timeStdS,
      source: p?.source,
      date: p?.date,
      engine: p?.engine,
    };
    out += csvLine(columns.map((name) => values[name]));
  }
  return out;
}
