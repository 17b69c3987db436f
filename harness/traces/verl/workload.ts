import { basename } from 'node:path';
import { InputError } from '../../util/input-error.js';
import { createRng } from '../../util/rng.js';
import { VERL_LOG_FORMAT } from '../adapters/verl-log.js';
import { solveResponseLaw, workloadFromLengthStatistics, type LengthStatistics, type ResponseLawMethod } from '../generate/from-statistics.js';
import type { LengthGroupItem, LengthGroupStream, LengthReadOptions } from '../length-stream.js';
import { listSome } from '../source/list-some.js';
import type { SampleGroup, WorkloadMeta } from '../types.js';
import { VERL_DEFAULTS_SOURCE } from './defaults.js';
import { readVerlRun, type VerlRun } from './read-run.js';
import type { Setting } from './settings.js';

/**
 * A whole veRL console log as a workload. The log has no per-sample lengths, only per-step
 * statistics (veRL's compute_data_metrics, verl/trainer/ppo/metric_utils.py at volcengine/verl
 * b178a3cd: response_length/mean, /max, /min and /clip_ratio = the share of the batch's responses
 * exactly at data.max_response_length, logged from commit 018b0d73 (2025-01-17) on; prompt_length/mean,
 * /max, /min), and the launch command or printed config gives the batch: data.train_batch_size
 * prompts per step, actor_rollout_ref.rollout.n responses each. So each step becomes one iteration
 * of that many groups whose response lengths are synthesized from the step's statistics by the one
 * synthesis the fidelity code uses (generate/from-statistics.ts: a capped lognormal solved for the
 * mean and the clip ratio, else the max; samples at stratified quantiles, dealt in a seeded order),
 * and whose prompts all have the step's prompt_length/mean. The meta says so in every note and is
 * marked synthetic: the lengths have the logged mean and tail, not the run's real spread.
 */

/** Seed of the dealing order; each step forks its own stream from it, so the same log gives the same workload. */
export const VERL_LOG_WORKLOAD_SEED = 1;

/** Where the synthesis lives, for notes. */
const SYNTHESIS = 'harness/traces/generate/from-statistics.ts';

const TRAIN_BATCH_KEY = 'data.train_batch_size';
const ROLLOUT_N_KEY = 'actor_rollout_ref.rollout.n';
const MAX_RESPONSE_KEY = 'data.max_response_length';

/** One logged step that becomes an iteration. */
export interface VerlWorkloadStep {
  readonly step: number;
  /** Log line of the step's metric line. */
  readonly line: number;
  readonly statistics: LengthStatistics;
  readonly method: ResponseLawMethod;
}

/** A logged step with no synthesized lengths, and why. */
export interface SkippedVerlStep {
  readonly step: number;
  readonly line: number;
  readonly reason: string;
}

/** What a veRL log yields as a workload, decided before any sample is drawn (the stream's meta is complete at open). */
export interface VerlWorkloadPlan {
  readonly meta: WorkloadMeta;
  readonly steps: readonly VerlWorkloadStep[];
  readonly skipped: readonly SkippedVerlStep[];
  readonly prompts: number;
  readonly samplesPerPrompt: number;
  readonly capTokens: number;
}

const METHOD_TEXT: Readonly<Record<ResponseLawMethod, string>> = {
  'mean-and-clip-ratio': 'response_length/mean and /clip_ratio',
  'mean-and-max': 'response_length/mean and /max (the longest sample)',
  'mean-and-cap-reached-once': 'response_length/mean with the cap reached about once (/max = cap, /clip_ratio 0.000 or not logged)',
  'mean-and-default-sigma': 'response_length/mean with a default spread',
  'fallback-law': 'a fallback law',
};

/** Where a setting's value came from, in words. */
function settingSource(run: VerlRun, setting: Setting<unknown>): string {
  const line = run.config.values[setting.key]?.line;
  switch (setting.source) {
    case 'command':
      return `launch command${line !== undefined ? `, line ${line}` : ''}`;
    case 'printed-config':
      return `printed config${line !== undefined ? `, line ${line}` : ''}`;
    case 'default':
      return `veRL's default in ${VERL_DEFAULTS_SOURCE}; the log does not state it`;
    case 'sampling-params':
      return "the rollout's printed SamplingParams";
    case 'derived':
      return setting.note ?? 'derived';
  }
}

function required(run: VerlRun, setting: Setting<number> | undefined, key: string, what: string): Setting<number> {
  if (setting !== undefined && Number.isInteger(setting.value) && setting.value >= 1) return setting;
  const launch = run.launch;
  throw new InputError({
    file: run.path,
    ...(launch ? { line: launch.line } : {}),
    field: key,
    ...(setting !== undefined ? { value: setting.value } : {}),
    message:
      setting !== undefined
        ? `must be a positive whole number (${what}) to synthesize the log's workload`
        : `is unknown: neither ${launch ? 'the launch command on this line' : 'a launch command'} nor ${run.printedConfig ? `the printed config (lines ${run.printedConfig.line}–${run.printedConfig.lastLine})` : 'a printed config'} sets it, so the log's workload (${what} per step) cannot be synthesized`,
  });
}

/**
 * Decides, for each logged step, whether and how its lengths are synthesized, and writes the
 * workload's meta. Pure: the samples themselves are drawn per step by `verlStepGroups`. Throws a
 * located InputError when the batch or the cap is unknown, or when no step can be synthesized.
 */
export function planVerlWorkload(run: VerlRun, options: { readonly maxResponseTokens?: number } = {}): VerlWorkloadPlan {
  const s = run.settings;
  const batch = required(run, s.trainBatchSize, TRAIN_BATCH_KEY, 'prompts');
  const n = required(run, s.rollout.n, ROLLOUT_N_KEY, 'responses per prompt');
  const runCap = options.maxResponseTokens === undefined ? required(run, s.maxResponseLength, MAX_RESPONSE_KEY, 'the response length cap') : s.maxResponseLength;
  const cap = options.maxResponseTokens ?? runCap!.value;
  const prompts = batch.value;
  const samplesPerPrompt = n.value;
  const samples = prompts * samplesPerPrompt;
  const steps: VerlWorkloadStep[] = [];
  const skipped: SkippedVerlStep[] = [];
  const overCap: number[] = [];
  for (const step of run.steps) {
    const response = step.workload.responseLength;
    const prompt = step.workload.promptLength;
    const skip = (reason: string) => skipped.push({ step: step.step, line: step.line, reason });
    if (response.mean === undefined) {
      skip('no response_length/mean logged');
      continue;
    }
    if (prompt.mean === undefined) {
      skip('no prompt_length/mean logged');
      continue;
    }
    const statistics: LengthStatistics = {
      prompts,
      samplesPerPrompt,
      responseCapTokens: cap,
      responseMeanTokens: response.mean,
      ...(response.max !== undefined ? { responseMaxTokens: Math.min(response.max, cap) } : {}),
      ...(response.clipRatio !== undefined ? { responseClipRatio: response.clipRatio } : {}),
      promptMeanTokens: prompt.mean,
    };
    if (response.max !== undefined && response.max > cap) overCap.push(step.step);
    try {
      // No default spread and no fallback law: a step whose statistics fit no capped lognormal is skipped, not guessed.
      const { method } = solveResponseLaw(statistics, samples, {});
      steps.push({ step: step.step, line: step.line, statistics, method });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      skip(`response_length/mean ${response.mean}${response.max !== undefined ? `, /max ${response.max}` : ''}${response.clipRatio !== undefined ? `, /clip_ratio ${response.clipRatio}` : ''} fit no lognormal capped at ${cap}`);
    }
  }
  if (steps.length === 0)
    throw new InputError({
      file: run.path,
      ...(run.steps[0] ? { line: run.steps[0].line } : {}),
      message: `none of the ${run.steps.length} logged steps has length statistics a workload can be synthesized from (${skipped[0]?.reason ?? 'no steps'})`,
    });
  const notes: string[] = [
    `per-sample lengths synthesized, not recorded: a veRL log has per-step statistics only. Each logged step (${steps.length} of ${run.steps.length}) is one iteration of ${TRAIN_BATCH_KEY} = ${prompts} prompts (${settingSource(run, batch)}) × ${ROLLOUT_N_KEY} = ${samplesPerPrompt} responses per prompt (${settingSource(run, n)}); the responses are the stratified quantiles of a lognormal capped at ${
      options.maxResponseTokens === undefined ? `${MAX_RESPONSE_KEY} = ${cap} tokens (${settingSource(run, runCap!)})` : `${cap} tokens (given)`
    }, solved per step so that after capping it has the step's response_length/mean and its /clip_ratio, or else its /max as the longest sample (${SYNTHESIS}), dealt to prompts in a seeded order (seed ${VERL_LOG_WORKLOAD_SEED}); every prompt has the step's prompt_length/mean (its /min and /max are not used). The lengths have each step's logged mean and tail, not the run's real spread`,
    `synthesized lengths solved for ${countBy(steps.map((step) => step.method))
      .map(([method, count]) => `${METHOD_TEXT[method]} on ${count} step${count === 1 ? '' : 's'}`)
      .join('; ')}`,
  ];
  for (const [reason, list] of groupSkips(skipped))
    notes.push(`synthesized lengths: step${list.length === 1 ? '' : 's'} ${listSome(list.map(({ step, line }) => `${step} (line ${line})`))} skipped, no iteration: ${reason}`);
  if (options.maxResponseTokens !== undefined && options.maxResponseTokens !== runCap?.value)
    notes.push(`synthesized lengths: cap ${options.maxResponseTokens} given, in place of the run's ${MAX_RESPONSE_KEY}${runCap ? ` = ${runCap.value}` : ' (unknown)'}; each step's clip ratio is read as the share at the given cap`);
  const unknownClip = steps.filter((step) => step.method === 'mean-and-cap-reached-once' && step.statistics.responseClipRatio === undefined);
  if (unknownClip.length > 0)
    notes.push(
      `synthesized lengths, assumption on ${unknownClip.length} step${unknownClip.length === 1 ? '' : 's'}: the log has no response_length/clip_ratio (veRL logs it from commit 018b0d73, 2025-01-17) and /max is the cap, so the share of responses at the cap is unknown; the synthesis takes the fewest the max allows (about one sample). A run that clipped more had a heavier pile at the cap than this workload`,
    );
  if (overCap.length > 0) notes.push(`synthesized lengths: response_length/max exceeds the cap ${cap} on step${overCap.length === 1 ? '' : 's'} ${listSome(overCap.map(String))}: lengths capped at ${cap}`);
  notes.push(sampleCountCheck(run, steps, samples));
  return {
    meta: {
      format: VERL_LOG_FORMAT,
      sources: [run.path],
      synthetic: true,
      description: `per-sample lengths synthesized from the per-step length statistics of a veRL log (${basename(run.path)})`,
      generator: { name: 'capped lognormal per logged step', seed: VERL_LOG_WORKLOAD_SEED, parameters: SYNTHESIS },
      maxResponseTokens: cap,
      maxResponseTokensSource: options.maxResponseTokens !== undefined ? 'given' : 'recorded',
      notes,
    },
    steps,
    skipped,
    prompts,
    samplesPerPrompt,
    capTokens: cap,
  };
}

/**
 * veRL's perf/total_num_tokens (2025 logs) is the batch's prompt + response tokens, so dividing
 * it by the step's prompt + response means gives the samples the step really had: a check on
 * train_batch_size × rollout.n, which the synthesis takes from the configuration.
 */
function sampleCountCheck(run: VerlRun, steps: readonly VerlWorkloadStep[], samples: number): string {
  const byStep = new Map(run.steps.map((step) => [step.step, step]));
  const off: string[] = [];
  let checked = 0;
  for (const { step, statistics } of steps) {
    const total = byStep.get(step)!.throughput.totalNumTokens;
    if (total === undefined) continue;
    checked++;
    const logged = total / (statistics.promptMeanTokens! + statistics.responseMeanTokens!);
    if (Math.abs(logged / samples - 1) > 0.01) off.push(`${step} (${Math.round(logged)})`);
  }
  if (checked === 0) return `synthesized lengths: the log has no perf/total_num_tokens, so the ${samples} samples per step are the configuration's, unchecked`;
  if (off.length === 0)
    return `synthesized lengths: ${samples} samples per step agree within 1 % with perf/total_num_tokens ÷ (prompt_length/mean + response_length/mean) on all ${checked} steps that log it`;
  return `synthesized lengths: ${samples} samples per step (the configuration's), but perf/total_num_tokens ÷ (prompt_length/mean + response_length/mean) gives another count on ${off.length} of ${checked} steps: ${listSome(off)}`;
}

function countBy<T>(items: readonly T[]): [T, number][] {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts.entries()];
}

/** Skipped steps grouped by reason (reasons with numbers in them stay one per step). */
function groupSkips(skipped: readonly SkippedVerlStep[]): [string, SkippedVerlStep[]][] {
  const groups = new Map<string, SkippedVerlStep[]>();
  for (const skip of skipped) groups.set(skip.reason, [...(groups.get(skip.reason) ?? []), skip]);
  return [...groups.entries()];
}

/** The groups of one planned step: `prompts` groups of `samplesPerPrompt` synthesized responses, iteration = the logged step. */
export function verlStepGroups(step: VerlWorkloadStep, seed: number = VERL_LOG_WORKLOAD_SEED): SampleGroup[] {
  const stepSeed = createRng(seed).fork(step.step).seed;
  const { workload } = workloadFromLengthStatistics(step.statistics, { seed: stepSeed });
  // Each step draws new prompts from the dataset: a prompt id is unique to its step (no length history to predict from).
  return workload.iterations[0]!.groups.map((group) => ({ ...group, iteration: step.step, promptId: `${step.step}/${group.groupId}` }));
}

async function* planGroups(plan: VerlWorkloadPlan): AsyncGenerator<LengthGroupItem> {
  for (const step of plan.steps) for (const group of verlStepGroups(step)) yield { group };
}

/** Opens a veRL console log as a response-length stream (the `verl-log` format's workload reading). */
export async function openVerlLogWorkload(path: string, options: LengthReadOptions): Promise<LengthGroupStream> {
  const run = await readVerlRun(path, options.problems);
  const plan = planVerlWorkload(run, options.maxResponseTokens !== undefined ? { maxResponseTokens: options.maxResponseTokens } : {});
  return { meta: plan.meta, groups: planGroups(plan) };
}
