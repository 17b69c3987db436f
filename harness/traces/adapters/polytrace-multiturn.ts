import { basename } from 'node:path';
import { InputError } from '../../util/input-error.js';
import { checkGroup } from '../group-checks.js';
import { collectWorkload, createGroupOrderChecker, type LengthGroupItem, type LengthGroupStream, type LengthReadOptions } from '../length-stream.js';
import { createProblemCollector, type ProblemCollector } from '../problems.js';
import { readJsonLines } from '../source/json-lines.js';
import { describeJsonType, expectBoolean, expectNumber, expectString, isPlainObject, rules, type NumberRules, type ValueSite } from '../source/values.js';
import type { SampleGroup, SampleTurn, Workload, WorkloadMeta } from '../types.js';
import { isDirectory, stepFiles } from './polytrace-tables.js';

export const POLYTRACE_MULTITURN_FORMAT = 'polytrace-multiturn';
export const MULTITURN_FILE = /^multiturn_workload_step_(\d+)\.jsonl$/;
export const MULTITURN_KEYS = ['step', 'prompt_group_id', 'sample_id', 'prompt_len', 'max_response_len', 'turns', 'final_response_len'] as const;

interface Trajectory {
  readonly step: number;
  readonly promptGroupId: number;
  readonly sampleId: number;
  readonly promptTokens: number;
  readonly maxResponseTokens: number;
  readonly responseTokens: number;
  readonly truncated: boolean;
  readonly turns: SampleTurn[];
  readonly toolLatencyS: number;
  readonly validate: boolean;
  readonly line: number;
}

/**
 * Reads PolyTrace's multi-turn agent trajectories (`multiturn_workload_step_N.jsonl`, a file or a
 * directory of steps). One line is one sample; the samples of a `prompt_group_id` form a group.
 * - responseTokens = final_response_len: the whole response the trainer sees, tool outputs
 *   included; what the engine generated is in turns[].completionTokens.
 * - turns[t] = {prompt_tokens, cached_tokens, completion_tokens} of engine call t, with the
 *   latency of the tool calls made after it (tool_calls[].latency_s where turn = t).
 * - toolLatencyS per sample = all its tool-call latency; truncated = finish_reason 'length' or
 *   final_response_len reaching max_response_len (the recorded cap).
 */
export async function readPolyTraceMultiturn(path: string, options: { maxResponseTokens?: number } = {}): Promise<Workload> {
  return collectWorkload(await openPolyTraceMultiturn(path, { ...options, problems: createProblemCollector() }));
}

function decodeTrajectory(value: Record<string, unknown>, file: string, line: number, problems: ProblemCollector): Trajectory | undefined {
  const before = problems.count;
  const site = (field: string): ValueSite => ({ file, line, field });
  for (const key of MULTITURN_KEYS) if (!(key in value)) problems.add({ file, line, field: key, message: 'missing required key' });
  if (problems.count !== before) return undefined;
  const count = (key: string, numberRules: NumberRules = rules.COUNT): number | undefined => expectNumber(value[key], site(key), numberRules, problems);
  const step = count('step', rules.ITERATION);
  const promptGroupId = count('prompt_group_id');
  const sampleId = count('sample_id');
  const promptTokens = count('prompt_len', rules.TOKENS);
  const maxResponseTokens = expectNumber(value.max_response_len, site('max_response_len'), { ...rules.TOKENS, min: 1 }, problems);
  const responseTokens = count('final_response_len', rules.TOKENS);
  const finishReason = value.finish_reason === undefined ? '' : expectString(value.finish_reason, site('finish_reason'), problems);
  const validate = value.validate === undefined ? false : expectBoolean(value.validate, site('validate'), problems);
  if (!Array.isArray(value.turns)) problems.add({ ...site('turns'), value: value.turns, message: `must be an array, not ${describeJsonType(value.turns)}` });
  const toolCalls = value.tool_calls ?? [];
  if (!Array.isArray(toolCalls)) problems.add({ ...site('tool_calls'), value: toolCalls, message: `must be an array, not ${describeJsonType(toolCalls)}` });
  if (problems.count !== before) return undefined;

  const toolLatencyByTurn = new Map<number, number>();
  let toolLatencyS = 0;
  (toolCalls as unknown[]).forEach((call, index) => {
    const at = `tool_calls[${index}]`;
    if (!isPlainObject(call)) {
      problems.add({ ...site(at), value: call, message: `must be an object, not ${describeJsonType(call)}` });
      return;
    }
    const turn = expectNumber(call.turn, site(`${at}.turn`), rules.COUNT, problems);
    const latency = expectNumber(call.latency_s, site(`${at}.latency_s`), rules.LATENCY_S, problems);
    if (turn === undefined || latency === undefined) return;
    toolLatencyByTurn.set(turn, (toolLatencyByTurn.get(turn) ?? 0) + latency);
    toolLatencyS += latency;
  });
  const turns: SampleTurn[] = [];
  (value.turns as unknown[]).forEach((turn, index) => {
    const at = `turns[${index}]`;
    if (!isPlainObject(turn)) {
      problems.add({ ...site(at), value: turn, message: `must be an object, not ${describeJsonType(turn)}` });
      return;
    }
    const turnIndex = turn.turn === undefined ? index : expectNumber(turn.turn, site(`${at}.turn`), rules.COUNT, problems);
    const prompt = expectNumber(turn.prompt_tokens, site(`${at}.prompt_tokens`), rules.TOKENS, problems);
    const cached = expectNumber(turn.cached_tokens, site(`${at}.cached_tokens`), rules.TOKENS, problems);
    const completion = expectNumber(turn.completion_tokens, site(`${at}.completion_tokens`), rules.TOKENS, problems);
    if (turnIndex === undefined || prompt === undefined || cached === undefined || completion === undefined) return;
    turns.push({ promptTokens: prompt, cachedTokens: cached, completionTokens: completion, toolLatencyS: toolLatencyByTurn.get(turnIndex) ?? 0 });
  });
  if (problems.count !== before) return undefined;
  return {
    step: step!,
    promptGroupId: promptGroupId!,
    sampleId: sampleId!,
    promptTokens: promptTokens!,
    maxResponseTokens: maxResponseTokens!,
    responseTokens: responseTokens!,
    truncated: finishReason === 'length' || responseTokens! >= maxResponseTokens!,
    turns,
    toolLatencyS,
    validate: validate!,
    line,
  };
}

/** Streaming form of readPolyTraceMultiturn. Groups are assembled one file (one step) at a time. */
export async function openPolyTraceMultiturn(path: string, options: LengthReadOptions): Promise<LengthGroupStream> {
  const { problems } = options;
  const directory = await isDirectory(path);
  const files = directory ? (await stepFiles(path, MULTITURN_FILE)).map((f) => f.path) : [path];
  if (files.length === 0) throw new InputError({ file: path, message: 'no multiturn_workload_step_N.jsonl files in this directory' });

  // First pass: the recorded cap, which every trajectory states and which must agree.
  let recordedCap: { tokens: number; file: string; line: number } | undefined;
  let validationLines = 0;
  for (const file of files) {
    for await (const { value, line } of readJsonLines(file, problems)) {
      const trajectory = decodeTrajectory(value, file, line, problems);
      if (!trajectory) continue;
      if (trajectory.validate) {
        validationLines++;
        continue;
      }
      if (!recordedCap) recordedCap = { tokens: trajectory.maxResponseTokens, file, line };
      else if (trajectory.maxResponseTokens !== recordedCap.tokens)
        problems.add({ file, line, field: 'max_response_len', value: trajectory.maxResponseTokens, message: `differs from ${recordedCap.tokens} (${recordedCap.file}:${recordedCap.line}); one trace has one cap` });
    }
  }
  problems.throwIfAny();
  const notes = [
    'responseTokens = final_response_len (the response the trainer sees, tool outputs included); generated tokens per engine call are in turns[].completionTokens',
    'turns[t].toolLatencyS = latency of the tool calls made after engine call t; toolLatencyS = their sum per sample',
  ];
  if (validationLines > 0) notes.push(`${validationLines} validation lines (validate: true) skipped`);
  const given = options.maxResponseTokens;
  if (given !== undefined && recordedCap && given !== recordedCap.tokens) notes.push(`length cap ${given} given, overriding the recorded max_response_len ${recordedCap.tokens}`);
  const cap = given ?? recordedCap?.tokens;
  const meta: WorkloadMeta = {
    format: POLYTRACE_MULTITURN_FORMAT,
    sources: files,
    synthetic: false,
    description: `PolyTrace multi-turn agent trajectories (${basename(path)})`,
    ...(cap !== undefined ? { maxResponseTokens: cap, maxResponseTokensSource: given !== undefined ? ('given' as const) : ('recorded' as const) } : {}),
    notes,
  };
  return { meta, groups: streamGroups(files, cap, problems) };
}

async function* streamGroups(files: readonly string[], cap: number | undefined, problems: ProblemCollector): AsyncGenerator<LengthGroupItem> {
  const order = createGroupOrderChecker(problems);
  for (const file of files) {
    // A step's trajectories are not guaranteed to be grouped in the file: bucket them per file.
    const groups = new Map<string, Trajectory[]>();
    for await (const { value, line } of readJsonLines(file, problems)) {
      const trajectory = decodeTrajectory(value, file, line, problems);
      if (!trajectory || trajectory.validate) continue;
      const key = `${trajectory.step}/${trajectory.promptGroupId}`;
      const bucket = groups.get(key);
      if (bucket) bucket.push(trajectory);
      else groups.set(key, [trajectory]);
    }
    const ordered = [...groups.entries()].sort(([, a], [, b]) => a[0]!.step - b[0]!.step || a[0]!.promptGroupId - b[0]!.promptGroupId);
    for (const [groupId, trajectories] of ordered) {
      trajectories.sort((a, b) => a.sampleId - b.sampleId);
      const first = trajectories[0]!;
      const site = { file, line: first.line };
      const duplicate = trajectories.find((t, i) => i > 0 && t.sampleId === trajectories[i - 1]!.sampleId);
      if (duplicate) {
        problems.add({ file, line: duplicate.line, field: 'sample_id', value: duplicate.sampleId, message: `appears twice in prompt group ${first.promptGroupId}` });
        continue;
      }
      const otherPrompt = trajectories.find((t) => t.promptTokens !== first.promptTokens);
      if (otherPrompt) {
        problems.add({ file, line: otherPrompt.line, field: 'prompt_len', value: otherPrompt.promptTokens, message: `differs from ${first.promptTokens} (line ${first.line}) in the same prompt group` });
        continue;
      }
      const group: SampleGroup = {
        iteration: first.step,
        groupId,
        promptId: groupId,
        promptTokens: first.promptTokens,
        responseTokens: trajectories.map((t) => t.responseTokens),
        truncated: trajectories.map((t) => t.truncated || (cap !== undefined && t.responseTokens >= cap)),
        toolLatencyS: trajectories.map((t) => t.toolLatencyS),
        turns: trajectories.map((t) => t.turns),
      };
      if (!checkGroup(group, cap, site, problems)) continue;
      if (!order.accept(group, site)) continue;
      yield { group };
    }
  }
  problems.throwIfAny();
}
