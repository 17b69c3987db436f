import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../../util/input-error.js';
import { checkGroup } from '../group-checks.js';
import { collectWorkload, createGroupOrderChecker, type LengthGroupItem, type LengthGroupStream, type LengthReadOptions } from '../length-stream.js';
import { createProblemCollector, type ProblemCollector } from '../problems.js';
import { readJsonLines } from '../source/json-lines.js';
import { expectBoolean, expectNumber, expectNumberArray, rules, type ValueSite } from '../source/values.js';
import type { SampleGroup, Workload, WorkloadMeta } from '../types.js';
import { inferLengthCap } from './length-cap.js';
import {
  DAPO_FILTER_FILE,
  isDirectory,
  readDapoFilterIndices,
  readPolyTraceRewardTimings,
  REWARD_TIMINGS_FILE,
  stepFiles,
  type DapoFilterRecord,
  type PolyTraceRewardTiming,
} from './polytrace-tables.js';

export const POLYTRACE_FORMAT = 'polytrace';
export const PACKED_LENGTHS_FILE = /^packed_lengths_step_(\d+)\.jsonl$/;
export const POLYTRACE_KEYS = ['step', 'rank', 'local_index', 'input', 'output'] as const;

export interface PolyTraceOptions {
  /** The response length cap, tokens. Without it the cap is inferred (see inferLengthCap) or left unknown. */
  readonly maxResponseTokens?: number;
}

/**
 * Reads PolyTrace's `packed_lengths_step_N.jsonl` — a directory of steps, or one file — as a
 * Workload: one group per line, iteration = step, group id = `step/rank/local_index`, prompt
 * tokens = `input`, response tokens = `output`. From a directory it also attaches, when present,
 * the reward timings (`reward_timings_step_N.jsonl`) and DAPO's filter (`dapo_filter_indices.jsonl`).
 */
export async function readPolyTraceLengths(path: string, options: PolyTraceOptions = {}): Promise<Workload> {
  return collectWorkload(await openPolyTraceLengths(path, { ...options, problems: createProblemCollector() }));
}

interface PackedLine {
  readonly group: SampleGroup;
  readonly rank: number;
  readonly validate: boolean;
}

function decodePackedLine(value: Record<string, unknown>, file: string, line: number, fileStep: number | undefined, problems: ProblemCollector): PackedLine | undefined {
  const before = problems.count;
  const site = (field: string): ValueSite => ({ file, line, field });
  for (const key of POLYTRACE_KEYS) if (!(key in value)) problems.add({ file, line, field: key, message: 'missing required key' });
  if (problems.count !== before) return undefined;
  const step = expectNumber(value.step, site('step'), rules.ITERATION, problems);
  const rank = expectNumber(value.rank, site('rank'), rules.COUNT, problems);
  const localIndex = expectNumber(value.local_index, site('local_index'), rules.COUNT, problems);
  const input = expectNumber(value.input, site('input'), rules.TOKENS, problems);
  const output = expectNumberArray(value.output, site('output'), rules.TOKENS, problems);
  const validate = value.validate === undefined ? false : expectBoolean(value.validate, site('validate'), problems);
  if (problems.count !== before) return undefined;
  if (fileStep !== undefined && step !== fileStep) problems.add({ ...site('step'), value: step, message: `differs from the step in the file name (${fileStep})` });
  if (value.n_sampling !== undefined && value.n_sampling !== output!.length)
    problems.add({ ...site('n_sampling'), value: value.n_sampling, message: `differs from the ${output!.length} entries of output` });
  if (output!.length === 0) problems.add({ ...site('output'), value: [], message: 'a group needs at least one sample' });
  if (problems.count !== before) return undefined;
  const groupId = `${step}/${rank}/${localIndex}`;
  return {
    group: { iteration: step!, groupId, promptId: groupId, promptTokens: input!, responseTokens: output!, truncated: [] },
    rank: rank!,
    validate: validate!,
  };
}

interface PackedFile {
  readonly path: string;
  readonly step?: number;
}

async function* packedLines(files: readonly PackedFile[], problems: ProblemCollector): AsyncGenerator<PackedLine & { file: string; line: number }> {
  for (const { path, step } of files) {
    for await (const { value, line } of readJsonLines(path, problems)) {
      const decoded = decodePackedLine(value, path, line, step, problems);
      if (decoded) yield { ...decoded, file: path, line };
    }
  }
}

/** Streaming form of readPolyTraceLengths (for `streamLengthGroups` and the format registry). */
export async function openPolyTraceLengths(path: string, options: LengthReadOptions): Promise<LengthGroupStream> {
  const { problems } = options;
  const directory = await isDirectory(path);
  const files: PackedFile[] = directory ? await stepFiles(path, PACKED_LENGTHS_FILE) : [{ path, ...stepOf(path) }];
  if (files.length === 0) throw new InputError({ file: path, message: 'no packed_lengths_step_N.jsonl files in this directory' });
  const notes: string[] = [];
  const sources = files.map((f) => f.path);

  // First pass: the length distribution (for the cap), per-rank token sums (for reward timings) and per-step prompt counts (for DAPO).
  const lengthCounts = new Map<number, number>();
  const rankTokens = new Map<string, number>();
  const stepPrompts = new Map<number, number>();
  let validationLines = 0;
  for await (const { group, rank, validate } of packedLines(files, problems)) {
    if (validate) {
      validationLines++;
      continue;
    }
    for (const tokens of group.responseTokens) lengthCounts.set(tokens, (lengthCounts.get(tokens) ?? 0) + 1);
    const key = `${group.iteration}/${rank}`;
    rankTokens.set(key, (rankTokens.get(key) ?? 0) + sum(group.responseTokens));
    stepPrompts.set(group.iteration, (stepPrompts.get(group.iteration) ?? 0) + 1);
  }
  problems.throwIfAny();
  if (validationLines > 0) notes.push(`${validationLines} validation lines (validate: true) skipped: they are evaluation rollouts, not training`);

  const cap = options.maxResponseTokens !== undefined ? { tokens: options.maxResponseTokens, source: 'given' as const } : inferLengthCap(lengthCounts);
  if (cap && 'note' in cap) notes.push(cap.note);
  if (!cap && options.maxResponseTokens === undefined) notes.push(...inferLengthCap.explainNone(lengthCounts));

  const rewardShares = directory ? await rewardSharesFor(path, rankTokens, problems, notes, sources) : undefined;
  const dapo = directory ? await dapoUseFor(path, stepPrompts, problems, notes, sources) : undefined;
  if (!directory) notes.push('read as a single file: reward timings and DAPO filter indices are only attached when the directory is given');

  const meta: WorkloadMeta = {
    format: POLYTRACE_FORMAT,
    sources,
    synthetic: false,
    description: `PolyTrace packed response lengths (${basename(path)})`,
    ...(cap ? { maxResponseTokens: cap.tokens, maxResponseTokensSource: cap.source } : {}),
    notes,
  };
  return { meta, groups: streamGroups(files, meta.maxResponseTokens, rewardShares, dapo, problems) };
}

async function* streamGroups(
  files: readonly PackedFile[],
  cap: number | undefined,
  rewardShares: ((group: SampleGroup, rank: number) => number | undefined) | undefined,
  dapo: ((group: SampleGroup, promptIndex: number) => SampleGroup['trainingUse']) | undefined,
  problems: ProblemCollector,
): AsyncGenerator<LengthGroupItem> {
  const order = createGroupOrderChecker(problems);
  let promptIndex = 0;
  let currentStep: number | undefined;
  for await (const { group: raw, rank, validate, file, line } of packedLines(files, problems)) {
    if (validate) continue;
    if (raw.iteration !== currentStep) {
      currentStep = raw.iteration;
      promptIndex = 0;
    }
    const rewardLatencyS = rewardShares?.(raw, rank);
    const trainingUse = dapo?.(raw, promptIndex);
    promptIndex++;
    const group: SampleGroup = {
      ...raw,
      truncated: raw.responseTokens.map((tokens) => cap !== undefined && tokens >= cap),
      ...(rewardLatencyS !== undefined ? { rewardLatencyS } : {}),
      ...(trainingUse !== undefined ? { trainingUse } : {}),
    };
    if (!checkGroup(group, cap, { file, line }, problems)) continue;
    if (!order.accept(group, { file, line })) continue;
    yield { group };
  }
  problems.throwIfAny();
}

/**
 * Reward timings are per DP rank: the wall time to score the rank's whole batch. Each group gets
 * the share of it proportional to its response tokens (named assumption: reward time grows with
 * the tokens scored), so the groups of a rank add up to the measured time.
 */
async function rewardSharesFor(
  dir: string,
  rankTokens: ReadonlyMap<string, number>,
  problems: ProblemCollector,
  notes: string[],
  sources: string[],
): Promise<((group: SampleGroup, rank: number) => number | undefined) | undefined> {
  const files = await stepFiles(dir, REWARD_TIMINGS_FILE);
  if (files.length === 0) return undefined;
  sources.push(...files.map((f) => f.path));
  const timings = await readPolyTraceRewardTimings(dir, problems);
  const byRank = new Map<string, PolyTraceRewardTiming>();
  const mismatched: string[] = [];
  for (const timing of timings) {
    if (timing.validate) continue;
    const key = `${timing.step}/${timing.rank}`;
    const tokens = rankTokens.get(key);
    if (tokens === undefined) mismatched.push(`step ${timing.step} rank ${timing.rank} has a reward timing but no groups`);
    else if (tokens !== timing.responseSumTokens) mismatched.push(`step ${timing.step} rank ${timing.rank}: response_sum ${timing.responseSumTokens} ≠ ${tokens} tokens in its groups`);
    else byRank.set(key, timing);
  }
  notes.push(
    `reward latency attached to ${byRank.size} (step, rank) batches from reward_timings_step_N.jsonl; each group gets the rank's reward_time_s × its share of the rank's response tokens (assumption: reward time proportional to tokens scored)`,
  );
  if (mismatched.length > 0) notes.push(`reward timings not attached where they do not match the groups: ${mismatched.join('; ')}`);
  return (group, rank) => {
    const timing = byRank.get(`${group.iteration}/${rank}`);
    if (!timing) return undefined;
    return timing.responseSumTokens === 0 ? 0 : (timing.rewardTimeS * sum(group.responseTokens)) / timing.responseSumTokens;
  };
}

/**
 * DAPO's dynamic sampling drops groups whose rewards do not vary and fills the training batch from
 * the rest. Prompt index i of a record is taken to be the i-th group (line) of that step's file,
 * which PolyTrace writes in generation-batch order (DP rank 0's prompts, then rank 1's, …).
 */
async function dapoUseFor(
  dir: string,
  stepPrompts: ReadonlyMap<number, number>,
  problems: ProblemCollector,
  notes: string[],
  sources: string[],
): Promise<((group: SampleGroup, promptIndex: number) => SampleGroup['trainingUse']) | undefined> {
  const file = join(dir, DAPO_FILTER_FILE);
  if (!existsSync(file)) return undefined;
  sources.push(file);
  const records = await readDapoFilterIndices(file, problems);
  const byStep = new Map<number, DapoFilterRecord>();
  const skipped: string[] = [];
  for (const record of records) {
    const prompts = stepPrompts.get(record.workloadStep);
    if (prompts === undefined) skipped.push(`step ${record.workloadStep} has no packed lengths`);
    else if (prompts !== record.promptCount) skipped.push(`step ${record.workloadStep}: prompt_count ${record.promptCount} ≠ ${prompts} groups`);
    else byStep.set(record.workloadStep, record);
  }
  notes.push(
    `DAPO filter attached to ${byStep.size} steps from ${DAPO_FILTER_FILE} (trainingUse: trained / kept-unused / filtered-out); prompt index i = the i-th line of the step's file`,
  );
  if (skipped.length > 0) notes.push(`DAPO filter records not attached: ${skipped.join('; ')}`);
  const sets = new Map([...byStep].map(([step, record]) => [step, { kept: new Set(record.keptPromptIndices), used: new Set(record.usedPromptIndices) }]));
  return (group, promptIndex) => {
    const record = sets.get(group.iteration);
    if (!record) return undefined;
    return record.used.has(promptIndex) ? 'trained' : record.kept.has(promptIndex) ? 'kept-unused' : 'filtered-out';
  };
}

function stepOf(path: string): { step?: number } {
  const match = PACKED_LENGTHS_FILE.exec(basename(path));
  return match ? { step: Number(match[1]) } : {};
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
