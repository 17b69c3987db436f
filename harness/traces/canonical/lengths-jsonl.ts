import { checkGroup } from '../group-checks.js';
import { createGroupOrderChecker, type LengthGroupItem, type LengthGroupStream, type LengthReadOptions } from '../length-stream.js';
import type { ProblemCollector } from '../problems.js';
import { checkKnownKeys, readJsonLines } from '../source/json-lines.js';
import { readLines } from '../source/lines.js';
import { parseJsonObjectLine } from '../source/json-lines.js';
import { describeJsonType, expectBoolean, expectNumber, expectNumberArray, expectString, isPlainObject, rules, type NumberRules, type ValueSite } from '../source/values.js';
import type { SampleGroup, SampleTurn, WorkloadMeta } from '../types.js';
import { GROUP_FIELDS, SAMPLE_FIELDS, TRAINING_USE_PROBLEM, TRAINING_USES } from './lengths-fields.js';
import { decodeLengthsMeta, encodeLengthsMeta, workloadMetaFromFile, type LengthsFileMeta } from './lengths-meta.js';

export const LENGTHS_JSONL_FORMAT = 'lengths-jsonl';

/** Keys of one group line, in the order the writer emits them. */
export const LENGTHS_JSONL_KEYS = [...GROUP_FIELDS, ...SAMPLE_FIELDS, 'turns'] as const;
const KNOWN_KEYS = new Set<string>(LENGTHS_JSONL_KEYS);
const TURN_KEYS = new Set(['prompt_tokens', 'cached_tokens', 'completion_tokens', 'tool_latency_s']);

/** Reads the `$meta` line of a canonical JSONL file, if its first non-blank line is one. */
export async function readJsonlMeta(path: string, problems: ProblemCollector): Promise<{ meta?: LengthsFileMeta; metaLine?: number }> {
  for await (const { text, line } of readLines(path, { problems })) {
    if (text.trim() === '') continue;
    const value = parseJsonObjectLine(text, line, path, problems);
    if (value === undefined || !('$meta' in value)) return {};
    const meta = decodeLengthsMeta(value.$meta, path, line, problems);
    return meta ? { meta, metaLine: line } : { metaLine: line };
  }
  return {};
}

/** Opens a canonical response-length JSONL file (one group per line, optional `$meta` first line). */
export async function openLengthsJsonl(path: string, options: LengthReadOptions): Promise<LengthGroupStream> {
  const { problems } = options;
  const { meta: fileMeta, metaLine } = await readJsonlMeta(path, problems);
  problems.throwIfAny();
  const meta = workloadMetaFromFile(LENGTHS_JSONL_FORMAT, path, fileMeta, options.maxResponseTokens);
  return { meta, groups: streamJsonlGroups(path, meta, metaLine, problems) };
}

async function* streamJsonlGroups(path: string, meta: WorkloadMeta, metaLine: number | undefined, problems: ProblemCollector): AsyncGenerator<LengthGroupItem> {
  const order = createGroupOrderChecker(problems);
  for await (const { value, line } of readJsonLines(path, problems)) {
    if (line === metaLine) continue;
    if ('$meta' in value) {
      problems.add({ file: path, line, field: '$meta', message: 'a $meta line may only be the first line' });
      continue;
    }
    const item = decodeGroupLine(value, path, line, problems);
    if (!item) continue;
    if (!checkGroup(item.group, meta.maxResponseTokens, { file: path, line }, problems)) continue;
    if (!order.accept({ iteration: item.group.iteration, groupId: item.group.groupId, epoch: item.epoch }, { file: path, line })) continue;
    yield item;
  }
  if (order.groups === 0 && problems.count === 0) problems.add({ file: path, line: (metaLine ?? 0) + 1, column: 1, message: 'no groups: the file holds no group lines' });
  problems.throwIfAny();
}

/** Decodes one group line; reports and returns undefined when any field is bad. */
export function decodeGroupLine(value: Record<string, unknown>, file: string, line: number, problems: ProblemCollector): LengthGroupItem | undefined {
  const before = problems.count;
  const site = (field: string): ValueSite => ({ file, line, field });
  checkKnownKeys(value, KNOWN_KEYS, file, line, problems);
  const required = ['iteration', 'group_id', 'prompt_tokens', 'response_tokens', 'truncated'];
  for (const key of required) if (!(key in value)) problems.add({ file, line, field: key, message: 'missing required key' });
  if (problems.count !== before) return undefined;

  const iteration = expectNumber(value.iteration, site('iteration'), rules.ITERATION, problems);
  const groupId = expectString(value.group_id, site('group_id'), problems, { nonEmpty: true });
  const promptId = value.prompt_id === undefined ? groupId : expectString(value.prompt_id, site('prompt_id'), problems, { nonEmpty: true });
  const promptTokens = expectNumber(value.prompt_tokens, site('prompt_tokens'), rules.TOKENS, problems);
  const responseTokens = expectNumberArray(value.response_tokens, site('response_tokens'), rules.TOKENS, problems);
  let truncated: boolean[] | undefined;
  if (!Array.isArray(value.truncated)) problems.add({ ...site('truncated'), value: value.truncated, message: `must be an array of booleans, not ${describeJsonType(value.truncated)}` });
  else {
    truncated = [];
    for (let i = 0; i < value.truncated.length; i++) {
      const flag = expectBoolean(value.truncated[i], site(`truncated[${i}]`), problems);
      if (flag === undefined) break;
      truncated.push(flag);
    }
  }
  const optional = (key: string, numberRules: NumberRules): number | undefined => (value[key] === undefined ? undefined : expectNumber(value[key], site(key), numberRules, problems));
  const optionalCount = (key: string): number | undefined => optional(key, rules.TOKENS);
  const epoch = optional('epoch', rules.ITERATION);
  const sharedPrefixTokens = optionalCount('shared_prefix_tokens');
  const prefixBlockIds = value.prefix_block_ids === undefined ? undefined : expectNumberArray(value.prefix_block_ids, site('prefix_block_ids'), rules.COUNT, problems);
  const prefixBlockTokens = optionalCount('prefix_block_tokens');
  const referenceAnswerTokens = optionalCount('reference_answer_tokens');
  const arrivalTimeS = optional('arrival_time_s', rules.TRACE_TIME_S);
  const rewardLatencyS = optional('reward_latency_s', rules.LATENCY_S);
  const toolLatencyS = value.tool_latency_s === undefined ? undefined : expectNumberArray(value.tool_latency_s, site('tool_latency_s'), rules.LATENCY_S, problems);
  let trainingUse: SampleGroup['trainingUse'];
  if (value.training_use !== undefined) {
    if (typeof value.training_use === 'string' && TRAINING_USES.has(value.training_use)) trainingUse = value.training_use as SampleGroup['trainingUse'];
    else problems.add({ ...site('training_use'), value: value.training_use, message: TRAINING_USE_PROBLEM });
  }
  const turns = value.turns === undefined ? undefined : decodeTurns(value.turns, file, line, problems);
  if (problems.count !== before) return undefined;

  const group: SampleGroup = {
    iteration: iteration!,
    groupId: groupId!,
    promptId: promptId!,
    promptTokens: promptTokens!,
    ...(sharedPrefixTokens !== undefined ? { sharedPrefixTokens } : {}),
    ...(prefixBlockIds !== undefined ? { prefixBlockIds } : {}),
    ...(prefixBlockTokens !== undefined ? { prefixBlockTokens } : {}),
    responseTokens: responseTokens!,
    truncated: truncated!,
    ...(rewardLatencyS !== undefined ? { rewardLatencyS } : {}),
    ...(toolLatencyS !== undefined ? { toolLatencyS } : {}),
    ...(turns !== undefined ? { turns } : {}),
    ...(referenceAnswerTokens !== undefined ? { referenceAnswerTokens } : {}),
    ...(arrivalTimeS !== undefined ? { arrivalTimeS } : {}),
    ...(trainingUse !== undefined ? { trainingUse } : {}),
  };
  return epoch === undefined ? { group } : { group, epoch };
}

function decodeTurns(value: unknown, file: string, line: number, problems: ProblemCollector): SampleTurn[][] | undefined {
  const fail = (field: string, fieldValue: unknown, message: string): undefined => {
    problems.add({ file, line, field, value: fieldValue, message });
    return undefined;
  };
  if (!Array.isArray(value)) return fail('turns', value, `must be an array (one list of turns per sample), not ${describeJsonType(value)}`);
  const out: SampleTurn[][] = [];
  for (let s = 0; s < value.length; s++) {
    const sampleTurns: unknown = value[s];
    if (!Array.isArray(sampleTurns)) return fail(`turns[${s}]`, sampleTurns, `must be an array of turns, not ${describeJsonType(sampleTurns)}`);
    const decoded: SampleTurn[] = [];
    for (let t = 0; t < sampleTurns.length; t++) {
      const turn: unknown = sampleTurns[t];
      const at = `turns[${s}][${t}]`;
      if (!isPlainObject(turn)) return fail(at, turn, `must be an object, not ${describeJsonType(turn)}`);
      for (const key of Object.keys(turn)) if (!TURN_KEYS.has(key)) return fail(`${at}.${key}`, turn[key], `unknown key (known keys: ${[...TURN_KEYS].join(', ')})`);
      const promptTokens = expectNumber(turn.prompt_tokens, { file, line, field: `${at}.prompt_tokens` }, rules.TOKENS, problems);
      const cachedTokens = expectNumber(turn.cached_tokens, { file, line, field: `${at}.cached_tokens` }, rules.TOKENS, problems);
      const completionTokens = expectNumber(turn.completion_tokens, { file, line, field: `${at}.completion_tokens` }, rules.TOKENS, problems);
      const toolLatencyS = expectNumber(turn.tool_latency_s, { file, line, field: `${at}.tool_latency_s` }, rules.LATENCY_S, problems);
      if (promptTokens === undefined || cachedTokens === undefined || completionTokens === undefined || toolLatencyS === undefined) return undefined;
      decoded.push({ promptTokens, cachedTokens, completionTokens, toolLatencyS });
    }
    out.push(decoded);
  }
  return out;
}

/** The `$meta` line of a canonical JSONL file. */
export function jsonlMetaLine(meta: WorkloadMeta): string {
  return `${JSON.stringify({ $meta: encodeLengthsMeta(meta) })}\n`;
}

/** One group as a canonical JSONL line (keys in LENGTHS_JSONL_KEYS order; prompt_id only when it differs from group_id). */
export function jsonlGroupLine(group: SampleGroup, epoch: number | undefined): string {
  const out: Record<string, unknown> = { iteration: group.iteration };
  if (epoch !== undefined) out.epoch = epoch;
  out.group_id = group.groupId;
  if (group.promptId !== group.groupId) out.prompt_id = group.promptId;
  out.prompt_tokens = group.promptTokens;
  if (group.sharedPrefixTokens !== undefined) out.shared_prefix_tokens = group.sharedPrefixTokens;
  if (group.prefixBlockIds !== undefined) out.prefix_block_ids = group.prefixBlockIds;
  if (group.prefixBlockTokens !== undefined) out.prefix_block_tokens = group.prefixBlockTokens;
  if (group.referenceAnswerTokens !== undefined) out.reference_answer_tokens = group.referenceAnswerTokens;
  if (group.arrivalTimeS !== undefined) out.arrival_time_s = group.arrivalTimeS;
  if (group.rewardLatencyS !== undefined) out.reward_latency_s = group.rewardLatencyS;
  if (group.trainingUse !== undefined) out.training_use = group.trainingUse;
  out.response_tokens = group.responseTokens;
  out.truncated = group.truncated;
  if (group.toolLatencyS !== undefined) out.tool_latency_s = group.toolLatencyS;
  if (group.turns !== undefined)
    out.turns = group.turns.map((turns) =>
      turns.map((turn) => ({ prompt_tokens: turn.promptTokens, cached_tokens: turn.cachedTokens, completion_tokens: turn.completionTokens, tool_latency_s: turn.toolLatencyS })),
    );
  return `${JSON.stringify(out)}\n`;
}

/** Serialises a stream of groups as canonical JSONL text, chunk by chunk. */
export async function* lengthsJsonlChunks(meta: WorkloadMeta, groups: AsyncIterable<LengthGroupItem>): AsyncGenerator<string> {
  yield jsonlMetaLine(meta);
  let buffer = '';
  for await (const { group, epoch } of groups) {
    buffer += jsonlGroupLine(group, epoch);
    if (buffer.length >= 1 << 16) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}
