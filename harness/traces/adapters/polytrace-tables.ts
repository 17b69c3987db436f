import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createProblemCollector, type ProblemCollector } from '../problems.js';
import { readJsonLines } from '../source/json-lines.js';
import { openError } from '../source/open-error.js';
import { expectBoolean, expectNumber, expectNumberArray, rules, type ValueSite } from '../source/values.js';

/** One line of PolyTrace's `reward_timings_step_N.jsonl`: the reward (sandbox test) time of one DP rank's batch. */
export interface PolyTraceRewardTiming {
  readonly step: number;
  readonly rank: number;
  readonly dpRank?: number;
  readonly tpRank?: number;
  /** Samples in the rank's batch. */
  readonly batchSize: number;
  /** Wall time of the rank's reward computation, seconds. */
  readonly rewardTimeS: number;
  /** Response tokens of the rank's batch (sum, mean, max), as recorded. */
  readonly responseSumTokens: number;
  readonly responseMeanTokens?: number;
  readonly responseMaxTokens?: number;
  readonly validate: boolean;
  readonly file: string;
  readonly line: number;
}

/** One line of PolyTrace's `dapo_filter_indices.jsonl`: which prompts of a generation batch DAPO's dynamic sampling kept and used. */
export interface DapoFilterRecord {
  /** The packed-lengths step (generation batch) this record describes. */
  readonly workloadStep: number;
  /** The trainer step the kept prompts fed (one trainer step may take several generation batches). */
  readonly trainerStep: number;
  readonly genBatchIndex: number;
  readonly promptCount: number;
  readonly nSampling: number;
  readonly trainBatchSize: number;
  readonly promptsInBatchBefore: number;
  /** Prompt indices (0-based positions in the generation batch) whose group passed the filter. */
  readonly keptPromptIndices: readonly number[];
  /** Of those, the ones that went into the training batch. */
  readonly usedPromptIndices: readonly number[];
  readonly file: string;
  readonly line: number;
}

export const REWARD_TIMINGS_FILE = /^reward_timings_step_(\d+)\.jsonl$/;
export const DAPO_FILTER_FILE = 'dapo_filter_indices.jsonl';

/** The files of a directory matching `pattern`, ordered by the step number the pattern captures. */
export async function stepFiles(dir: string, pattern: RegExp): Promise<{ path: string; step: number }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw openError(dir, error);
  }
  return names
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((entry) => entry.match !== null)
    .map((entry) => ({ path: join(dir, entry.name), step: Number(entry.match![1]) }))
    .sort((a, b) => a.step - b.step);
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    throw openError(path, error);
  }
}

/** Reads reward timings from one `reward_timings_step_N.jsonl` or from every such file of a directory. */
export async function readPolyTraceRewardTimings(path: string, problems: ProblemCollector = createProblemCollector()): Promise<PolyTraceRewardTiming[]> {
  const files = (await isDirectory(path)) ? (await stepFiles(path, REWARD_TIMINGS_FILE)).map((f) => f.path) : [path];
  const out: PolyTraceRewardTiming[] = [];
  for (const file of files) {
    for await (const { value, line } of readJsonLines(file, problems)) {
      const site = (field: string): ValueSite => ({ file, line, field });
      const before = problems.count;
      for (const key of ['step', 'rank', 'batch_size', 'reward_time_s', 'response_sum'])
        if (!(key in value)) problems.add({ file, line, field: key, message: 'missing required key' });
      if (problems.count !== before) continue;
      const step = expectNumber(value.step, site('step'), rules.ITERATION, problems);
      const rank = expectNumber(value.rank, site('rank'), rules.COUNT, problems);
      const dpRank = value.dp_rank === undefined ? undefined : expectNumber(value.dp_rank, site('dp_rank'), rules.COUNT, problems);
      const tpRank = value.tp_rank === undefined ? undefined : expectNumber(value.tp_rank, site('tp_rank'), rules.COUNT, problems);
      const batchSize = expectNumber(value.batch_size, site('batch_size'), rules.SEQUENCES, problems);
      const rewardTimeS = expectNumber(value.reward_time_s, site('reward_time_s'), rules.STAGE_S, problems);
      const responseSumTokens = expectNumber(value.response_sum, site('response_sum'), rules.BATCH_TOKENS, problems);
      const responseMeanTokens = value.response_mean === undefined ? undefined : expectNumber(value.response_mean, site('response_mean'), rules.MEAN_TOKENS, problems);
      const responseMaxTokens = value.response_max === undefined ? undefined : expectNumber(value.response_max, site('response_max'), rules.TOKENS, problems);
      const validate = value.validate === undefined ? false : expectBoolean(value.validate, site('validate'), problems);
      if (problems.count !== before) continue;
      out.push({
        step: step!,
        rank: rank!,
        ...(dpRank !== undefined ? { dpRank } : {}),
        ...(tpRank !== undefined ? { tpRank } : {}),
        batchSize: batchSize!,
        rewardTimeS: rewardTimeS!,
        responseSumTokens: responseSumTokens!,
        ...(responseMeanTokens !== undefined ? { responseMeanTokens } : {}),
        ...(responseMaxTokens !== undefined ? { responseMaxTokens } : {}),
        validate: validate!,
        file,
        line,
      });
    }
  }
  problems.throwIfAny();
  return out;
}

/** Reads PolyTrace's `dapo_filter_indices.jsonl` (a file, or a directory holding one). */
export async function readDapoFilterIndices(path: string, problems: ProblemCollector = createProblemCollector()): Promise<DapoFilterRecord[]> {
  const file = (await isDirectory(path)) ? join(path, DAPO_FILTER_FILE) : path;
  const out: DapoFilterRecord[] = [];
  const steps = new Map<number, number>();
  for await (const { value, line } of readJsonLines(file, problems)) {
    const site = (field: string): ValueSite => ({ file, line, field });
    const before = problems.count;
    const required = ['workload_step', 'trainer_step', 'prompt_count', 'kept_prompt_indices', 'used_prompt_indices'];
    for (const key of required) if (!(key in value)) problems.add({ file, line, field: key, message: 'missing required key' });
    if (problems.count !== before) continue;
    const count = (key: string, fallback?: number): number | undefined =>
      value[key] === undefined && fallback !== undefined ? fallback : expectNumber(value[key], site(key), rules.COUNT, problems);
    const workloadStep = count('workload_step');
    const trainerStep = count('trainer_step');
    const genBatchIndex = count('gen_batch_index', 0);
    const promptCount = count('prompt_count');
    const nSampling = count('n_sampling', 0);
    const trainBatchSize = count('train_batch_size', 0);
    const promptsInBatchBefore = count('num_prompt_in_batch_before', 0);
    const kept = expectNumberArray(value.kept_prompt_indices, site('kept_prompt_indices'), rules.COUNT, problems);
    const used = expectNumberArray(value.used_prompt_indices, site('used_prompt_indices'), rules.COUNT, problems);
    if (problems.count !== before) continue;
    const report = (field: string, fieldValue: unknown, message: string): void => problems.add({ file, line, field, value: fieldValue, message });
    const outOfRange = [...kept!, ...used!].find((index) => index >= promptCount!);
    if (outOfRange !== undefined) report('kept_prompt_indices', outOfRange, `prompt index out of range: the batch has ${promptCount} prompts`);
    const keptSet = new Set(kept);
    if (keptSet.size !== kept!.length) report('kept_prompt_indices', kept, 'lists an index twice');
    const notKept = used!.find((index) => !keptSet.has(index));
    if (notKept !== undefined) report('used_prompt_indices', notKept, 'a used prompt must also be kept');
    if (value.kept_prompt_count !== undefined && value.kept_prompt_count !== kept!.length) report('kept_prompt_count', value.kept_prompt_count, `differs from the ${kept!.length} kept indices`);
    if (value.used_prompt_count !== undefined && value.used_prompt_count !== used!.length) report('used_prompt_count', value.used_prompt_count, `differs from the ${used!.length} used indices`);
    const previous = steps.get(workloadStep!);
    if (previous !== undefined) report('workload_step', workloadStep, `appears twice (first on line ${previous})`);
    steps.set(workloadStep!, line);
    if (problems.count !== before) continue;
    out.push({
      workloadStep: workloadStep!,
      trainerStep: trainerStep!,
      genBatchIndex: genBatchIndex!,
      promptCount: promptCount!,
      nSampling: nSampling!,
      trainBatchSize: trainBatchSize!,
      promptsInBatchBefore: promptsInBatchBefore!,
      keptPromptIndices: kept!,
      usedPromptIndices: used!,
      file,
      line,
    });
  }
  problems.throwIfAny();
  return out;
}
