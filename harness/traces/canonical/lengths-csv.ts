import { checkGroup } from '../group-checks.js';
import { createGroupOrderChecker, type LengthGroupItem, type LengthGroupStream, type LengthReadOptions } from '../length-stream.js';
import type { ProblemCollector } from '../problems.js';
import { openCsv, type CsvTable } from '../source/csv.js';
import { csvLine } from '../source/csv-write.js';
import { parseJsonObjectLine } from '../source/json-lines.js';
import { readLines } from '../source/lines.js';
import { parseBooleanCell, parseCountCell, parseNumberCell, parseOptionalNumberCell, rules, type NumberRules } from '../source/values.js';
import type { SampleGroup, WorkloadMeta } from '../types.js';
import { InputError } from '../../util/input-error.js';
import { GROUP_FIELDS, SAMPLE_FIELDS, TRAINING_USE_PROBLEM, TRAINING_USES } from './lengths-fields.js';
import { decodeLengthsMeta, encodeLengthsMeta, workloadMetaFromFile, type LengthsFileMeta } from './lengths-meta.js';

export const LENGTHS_CSV_FORMAT = 'lengths-csv';

/** Columns of the canonical response-length CSV (one row per sample), in the order the writer emits them. */
export const LENGTHS_CSV_COLUMNS = [...GROUP_FIELDS, 'sample_index', ...SAMPLE_FIELDS] as const;
export type LengthsCsvColumn = (typeof LENGTHS_CSV_COLUMNS)[number];
export const LENGTHS_CSV_REQUIRED: readonly LengthsCsvColumn[] = ['iteration', 'group_id', 'prompt_tokens', 'response_tokens'];

/** Group columns other than the group's key (iteration, group_id): they repeat, identical, on each of its rows. */
const GROUP_COLUMNS: readonly LengthsCsvColumn[] = GROUP_FIELDS.filter((name) => name !== 'iteration' && name !== 'group_id');

/** Reads the `# {"$meta": …}` comment line at the top of a canonical CSV, if there is one. */
export async function readCsvMeta(path: string, problems: ProblemCollector): Promise<LengthsFileMeta | undefined> {
  for await (const { text, line } of readLines(path, { problems })) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('#')) return undefined;
    const body = trimmed.slice(1).trim();
    if (!body.startsWith('{"$meta"') && !body.startsWith('{ "$meta"')) continue;
    const value = parseJsonObjectLine(body, line, path, problems, text.indexOf(body));
    return value ? decodeLengthsMeta(value.$meta, path, line, problems) : undefined;
  }
  return undefined;
}

/** Opens a canonical response-length CSV (one row per sample; the rows of a group are consecutive). */
export async function openLengthsCsv(path: string, options: LengthReadOptions): Promise<LengthGroupStream> {
  const { problems } = options;
  const fileMeta = await readCsvMeta(path, problems);
  problems.throwIfAny();
  const table = await openCsv(path, { problems, requiredColumns: LENGTHS_CSV_REQUIRED });
  const unknown = table.header.filter((name) => !(LENGTHS_CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    for (const name of unknown)
      problems.add({ file: path, line: table.headerLine, column: table.header.indexOf(name) + 1, field: name, message: `unknown column (known columns: ${LENGTHS_CSV_COLUMNS.join(', ')})` });
  }
  let meta = workloadMetaFromFile(LENGTHS_CSV_FORMAT, path, fileMeta, options.maxResponseTokens);
  if (!table.columnIndex.has('truncated'))
    meta = {
      ...meta,
      notes: [
        ...meta.notes,
        meta.maxResponseTokens !== undefined
          ? `no truncated column: a sample counts as truncated when it reaches the length cap (${meta.maxResponseTokens})`
          : 'no truncated column and no length cap: no sample is marked truncated',
      ],
    };
  if (problems.count > 0) table.close();
  problems.throwIfAny();
  return { meta, groups: streamCsvGroups(table, meta, problems) };
}

interface GroupDraft {
  /** The iteration cell as written: rows continue the group while it and group_id stay the same. */
  readonly iterationCell: string;
  readonly line: number;
  /** The cells of the group's first row, which the group columns of later rows must repeat. */
  readonly firstCells: readonly string[];
  readonly group: {
    iteration: number;
    groupId: string;
    promptId: string;
    promptTokens: number;
    sharedPrefixTokens?: number;
    prefixBlockIds?: number[];
    prefixBlockTokens?: number;
    referenceAnswerTokens?: number;
    arrivalTimeS?: number;
    rewardLatencyS?: number;
    trainingUse?: SampleGroup['trainingUse'];
    responseTokens: number[];
    truncated: boolean[];
    toolLatencyS?: number[];
  };
  readonly epoch?: number;
  bad: boolean;
}

async function* streamCsvGroups(table: CsvTable, meta: WorkloadMeta, problems: ProblemCollector): AsyncGenerator<LengthGroupItem> {
  const file = table.path;
  const col = (name: LengthsCsvColumn): number | undefined => table.columnIndex.get(name);
  const iterationCol = col('iteration')!;
  const groupIdCol = col('group_id')!;
  const responseCol = col('response_tokens')!;
  const truncatedCol = col('truncated');
  const sampleIndexCol = col('sample_index');
  const toolCol = col('tool_latency_s');
  const presentGroupColumns = GROUP_COLUMNS.map((name) => ({ name, index: col(name) })).filter((c): c is { name: LengthsCsvColumn; index: number } => c.index !== undefined);
  const cap = meta.maxResponseTokens;
  const order = createGroupOrderChecker(problems);
  const siteOf = (field: LengthsCsvColumn, line: number) => ({ file, line, column: col(field)! + 1, field });
  let draft: GroupDraft | undefined;

  const finish = (d: GroupDraft): LengthGroupItem | undefined => {
    if (d.bad) return undefined;
    const group = d.group as SampleGroup;
    if (!checkGroup(group, cap, { file, line: d.line }, problems)) return undefined;
    return d.epoch === undefined ? { group } : { group, epoch: d.epoch };
  };

  for await (const batch of table.batches()) {
    for (const { cells, line } of batch) {
      if (!draft || cells[iterationCol] !== draft.iterationCell || cells[groupIdCol] !== draft.group.groupId) {
        if (draft) {
          const item = finish(draft);
          if (item) yield item;
        }
        draft = startGroup(cells, line);
      } else {
        for (const { name, index } of presentGroupColumns) {
          if (cells[index] !== draft.firstCells[index]) {
            problems.add({ ...siteOf(name, line), value: cells[index], message: `differs from the first row of group '${draft.group.groupId}' (line ${draft.line}); group columns repeat unchanged on every sample row` });
            draft.bad = true;
          }
        }
      }
      const current = draft;
      const sampleIndex = current.group.responseTokens.length;
      if (sampleIndexCol !== undefined) {
        const text = cells[sampleIndexCol]!;
        const index = parseCountCell(text, siteOf('sample_index', line), rules.COUNT, problems);
        if (index === undefined) current.bad = true;
        else if (index !== sampleIndex) {
          problems.add({ ...siteOf('sample_index', line), value: text, message: `expected ${sampleIndex}: a group's samples are numbered 0, 1, 2, … in order` });
          current.bad = true;
        }
      }
      const responseText = cells[responseCol]!;
      const response = parseCountCell(responseText, siteOf('response_tokens', line), rules.TOKENS, problems);
      let truncated: boolean | undefined;
      if (truncatedCol !== undefined) {
        const text = cells[truncatedCol]!;
        truncated = text === 'false' ? false : text === 'true' ? true : parseBooleanCell(text, siteOf('truncated', line), problems);
      } else truncated = cap !== undefined && response !== undefined && response >= cap;
      const tool = toolCol === undefined ? undefined : parseOptionalNumberCell(cells[toolCol], siteOf('tool_latency_s', line), rules.LATENCY_S, problems);
      if (response === undefined || truncated === undefined || tool === null) {
        current.bad = true;
        continue;
      }
      current.group.responseTokens.push(response);
      current.group.truncated.push(truncated);
      if (toolCol !== undefined) {
        // An empty tool_latency_s cell means "not recorded"; a group has it for all samples or none.
        const hasTool = tool !== undefined;
        const groupHasTool = sampleIndex === 0 ? hasTool : current.group.toolLatencyS !== undefined;
        if (hasTool !== groupHasTool) {
          problems.add({ ...siteOf('tool_latency_s', line), value: cells[toolCol], message: hasTool ? 'has a value while earlier samples of the group are empty' : 'is empty while earlier samples of the group have a value' });
          current.bad = true;
        } else if (tool !== undefined) (current.group.toolLatencyS ??= []).push(tool);
      }
    }
  }
  if (draft) {
    const item = finish(draft);
    if (item) yield item;
  }
  if (order.groups === 0 && problems.count === 0) problems.add({ file, line: table.headerLine + 1, column: 1, message: 'no groups: the file holds no sample rows' });
  problems.throwIfAny();

  function startGroup(cells: readonly string[], line: number): GroupDraft {
    const site = (field: LengthsCsvColumn) => siteOf(field, line);
    const cell = (name: LengthsCsvColumn): string | undefined => {
      const index = col(name);
      return index === undefined ? undefined : cells[index];
    };
    const before = problems.count;
    const iterationCell = cells[iterationCol]!;
    const iteration = parseCountCell(iterationCell, site('iteration'), rules.ITERATION, problems);
    const groupId = cells[groupIdCol]!;
    if (groupId.trim() === '') problems.add({ ...site('group_id'), value: groupId, message: 'is empty' });
    const promptIdCell = cell('prompt_id');
    const promptId = promptIdCell === undefined || promptIdCell === '' ? groupId : promptIdCell;
    const promptCell = cell('prompt_tokens')!;
    const promptTokens = parseCountCell(promptCell, site('prompt_tokens'), rules.TOKENS, problems);
    const optional = (name: LengthsCsvColumn, numberRules: NumberRules): number | undefined => {
      const value = parseOptionalNumberCell(cell(name), site(name), numberRules, problems);
      return value === null ? undefined : value;
    };
    const epoch = optional('epoch', rules.ITERATION);
    const sharedPrefixTokens = optional('shared_prefix_tokens', rules.TOKENS);
    const prefixBlockTokens = optional('prefix_block_tokens', rules.TOKENS);
    const referenceAnswerTokens = optional('reference_answer_tokens', rules.TOKENS);
    const arrivalTimeS = optional('arrival_time_s', rules.TRACE_TIME_S);
    const rewardLatencyS = optional('reward_latency_s', rules.LATENCY_S);
    let prefixBlockIds: number[] | undefined;
    const idsCell = cell('prefix_block_ids');
    // prefix_block_ids and prefix_block_tokens go together: with a block size, an empty cell is a prompt of no whole blocks.
    if (idsCell !== undefined && idsCell.trim() === '' && prefixBlockTokens !== undefined) prefixBlockIds = [];
    else if (idsCell !== undefined && idsCell.trim() !== '') {
      prefixBlockIds = [];
      for (const part of idsCell.trim().split(/\s+/)) {
        const id = parseNumberCell(part, site('prefix_block_ids'), rules.COUNT, problems);
        if (id === undefined) break;
        prefixBlockIds.push(id);
      }
    }
    const useCell = cell('training_use');
    let trainingUse: SampleGroup['trainingUse'];
    if (useCell !== undefined && useCell !== '') {
      if (TRAINING_USES.has(useCell)) trainingUse = useCell as SampleGroup['trainingUse'];
      else problems.add({ ...site('training_use'), value: useCell, message: TRAINING_USE_PROBLEM });
    }
    let bad = problems.count !== before;
    if (!bad && !order.accept({ iteration: iteration!, groupId, epoch }, { file, line })) bad = true;
    return {
      iterationCell,
      line,
      firstCells: cells,
      group: {
        iteration: iteration ?? -1,
        groupId,
        promptId,
        promptTokens: promptTokens ?? 0,
        ...(sharedPrefixTokens !== undefined ? { sharedPrefixTokens } : {}),
        ...(prefixBlockIds !== undefined ? { prefixBlockIds } : {}),
        ...(prefixBlockTokens !== undefined ? { prefixBlockTokens } : {}),
        responseTokens: [],
        truncated: [],
        ...(rewardLatencyS !== undefined ? { rewardLatencyS } : {}),
        ...(referenceAnswerTokens !== undefined ? { referenceAnswerTokens } : {}),
        ...(arrivalTimeS !== undefined ? { arrivalTimeS } : {}),
        ...(trainingUse !== undefined ? { trainingUse } : {}),
      },
      ...(epoch !== undefined ? { epoch } : {}),
      bad,
    };
  }
}

/** Which optional CSV columns a set of groups needs. */
export function lengthsCsvColumnsFor(used: ReadonlySet<LengthsCsvColumn>): LengthsCsvColumn[] {
  return LENGTHS_CSV_COLUMNS.filter((name) => LENGTHS_CSV_REQUIRED.includes(name) || name === 'truncated' || name === 'sample_index' || used.has(name));
}

/** Records which optional columns a group needs (for the writer's first pass). */
export function noteUsedCsvColumns(group: SampleGroup, epoch: number | undefined, used: Set<LengthsCsvColumn>): void {
  if (epoch !== undefined) used.add('epoch');
  if (group.promptId !== group.groupId) used.add('prompt_id');
  if (group.sharedPrefixTokens !== undefined) used.add('shared_prefix_tokens');
  if (group.prefixBlockIds !== undefined) used.add('prefix_block_ids');
  if (group.prefixBlockTokens !== undefined) used.add('prefix_block_tokens');
  if (group.referenceAnswerTokens !== undefined) used.add('reference_answer_tokens');
  if (group.arrivalTimeS !== undefined) used.add('arrival_time_s');
  if (group.rewardLatencyS !== undefined) used.add('reward_latency_s');
  if (group.trainingUse !== undefined) used.add('training_use');
  if (group.toolLatencyS !== undefined) used.add('tool_latency_s');
}

/** The leading lines of a canonical CSV: the `$meta` comment and the header. */
export function csvHead(meta: WorkloadMeta, columns: readonly LengthsCsvColumn[]): string {
  return `# ${JSON.stringify({ $meta: encodeLengthsMeta(meta) })}\n${columns.join(',')}\n`;
}

/** The sample rows of one group. */
export function csvGroupRows(group: SampleGroup, epoch: number | undefined, columns: readonly LengthsCsvColumn[]): string {
  let out = '';
  for (let sample = 0; sample < group.responseTokens.length; sample++) {
    const cells = columns.map((name): string | number | boolean | undefined => {
      switch (name) {
        case 'iteration':
          return group.iteration;
        case 'epoch':
          return epoch;
        case 'group_id':
          return group.groupId;
        case 'prompt_id':
          return group.promptId === group.groupId ? undefined : group.promptId;
        case 'prompt_tokens':
          return group.promptTokens;
        case 'shared_prefix_tokens':
          return group.sharedPrefixTokens;
        case 'prefix_block_ids':
          return group.prefixBlockIds?.join(' ');
        case 'prefix_block_tokens':
          return group.prefixBlockTokens;
        case 'reference_answer_tokens':
          return group.referenceAnswerTokens;
        case 'arrival_time_s':
          return group.arrivalTimeS;
        case 'reward_latency_s':
          return group.rewardLatencyS;
        case 'training_use':
          return group.trainingUse;
        case 'sample_index':
          return sample;
        case 'response_tokens':
          return group.responseTokens[sample];
        case 'truncated':
          return group.truncated[sample];
        case 'tool_latency_s':
          return group.toolLatencyS?.[sample];
      }
    });
    out += csvLine(cells);
  }
  return out;
}

/**
 * Serialises groups as canonical CSV. `groups` is called twice: once to find which optional
 * columns are used, once to write (so a file converts in bounded memory).
 */
export async function* lengthsCsvChunks(
  meta: WorkloadMeta,
  groups: () => AsyncIterable<LengthGroupItem>,
  options: { readonly dropTurns?: boolean; readonly target?: string } = {},
): AsyncGenerator<string> {
  const used = new Set<LengthsCsvColumn>();
  let droppedTurns = 0;
  for await (const { group, epoch } of groups()) {
    noteUsedCsvColumns(group, epoch, used);
    if (group.turns !== undefined) {
      if (!options.dropTurns)
        throw new InputError({
          file: options.target ?? meta.sources[0] ?? 'output',
          field: 'turns',
          message: `group '${group.groupId}' of iteration ${group.iteration} has per-turn data, which the CSV format cannot hold; write .jsonl instead, or allow dropping it (--allow-lossy)`,
        });
      droppedTurns++;
    }
  }
  if (droppedTurns > 0) meta = { ...meta, notes: [...meta.notes, `per-turn data of ${droppedTurns} groups dropped: the CSV format cannot hold it`] };
  const columns = lengthsCsvColumnsFor(used);
  yield csvHead(meta, columns);
  let buffer = '';
  for await (const { group, epoch } of groups()) {
    buffer += csvGroupRows(group, epoch, columns);
    if (buffer.length >= 1 << 16) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
