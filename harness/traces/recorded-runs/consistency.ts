import { valueOf } from './known.js';
import type { RecordedStage, RecordedStep } from './types.js';

/**
 * How much of a step may lie outside its reported stages before the reader says so. On the rows
 * transcribed from whole veRL logs, where every timer is printed, the rest (reward, batch
 * balancing, metrics) is 0.04–0.72 % of the step; per-step averages from documentation tables also
 * spread validation and checkpoint time over the steps (validation every 10–20 steps), so the
 * tolerance is wider than the logs need: 5 %.
 */
export const STEP_REST_TOLERANCE = 0.05;
/** Stages may add up to a little more than the step only through rounding of the printed values. */
export const STEP_EXCESS_TOLERANCE = 0.01;
/** veRL prints global_seqlen/mean to 3 decimals of a token count over its workers; 1 % is far above rounding. */
export const GLOBAL_SEQLEN_TOLERANCE = 0.01;

const STAGE_PARTS: readonly RecordedStage[] = ['gen', 'old_log_prob', 'ref', 'values', 'adv', 'update_critic', 'update_actor'];

/**
 * Checks a row against itself and returns what does not add up, in words for a report. These are
 * findings, not errors: a source can be inconsistent (veRL's fully_async.md was edited and r13's
 * update_actor no longer fits its step), and the row is still what the source says.
 */
export function consistencyFindings(row: Omit<RecordedStep, 'findings'>): string[] {
  const findings: string[] = [];
  const stage = (name: RecordedStage): number | undefined => valueOf(row.stagesS[name]);
  const hasUpdate = stage('update_actor') !== undefined || stage('update_critic') !== undefined;
  if (stage('train') !== undefined && hasUpdate)
    findings.push('timing_train_s is given together with timing_update_*_s; train is meant only where a source gives actor + critic training combined');
  const parts = STAGE_PARTS.filter((name) => stage(name) !== undefined);
  if (!hasUpdate && stage('train') !== undefined) parts.push('train');
  const stepS = stage('step');
  if (stepS !== undefined && parts.length >= 2 && stepS > 0) {
    const sum = parts.reduce((total, name) => total + stage(name)!, 0);
    const named = `${parts.join(' + ')} = ${round(sum)} s`;
    if (sum > stepS * (1 + STEP_EXCESS_TOLERANCE))
      findings.push(`stage times do not fit the step: ${named}, more than timing_step_s ${stepS} s; a stage or the step value may be wrong`);
    else if (stepS - sum > stepS * STEP_REST_TOLERANCE)
      findings.push(
        `stage times do not add up to the step: ${named} leaves ${round(stepS - sum)} s (${round(((stepS - sum) / stepS) * 100)} %) of timing_step_s ${stepS} s in no reported stage, more than the ${STEP_REST_TOLERANCE * 100} % other work takes; a stage or the step value may be wrong`,
      );
  }
  const { config, workload } = row;
  const maxResponse = valueOf(config.maxResponseLen);
  const responseMax = valueOf(workload.responseLengthMax);
  if (maxResponse !== undefined && responseMax !== undefined && responseMax > maxResponse)
    findings.push(`response_length_max ${responseMax} is above max_response_len ${maxResponse}`);
  const maxPrompt = valueOf(config.maxPromptLen);
  const promptMean = valueOf(workload.promptLengthMean);
  if (maxPrompt !== undefined && promptMean !== undefined && promptMean > maxPrompt)
    findings.push(`prompt_length_mean ${promptMean} is above max_prompt_len ${maxPrompt}`);
  const seqMax = valueOf(workload.seqLengthMax);
  if (seqMax !== undefined && maxPrompt !== undefined && maxResponse !== undefined && seqMax > maxPrompt + maxResponse)
    findings.push(`seq_length_max ${seqMax} is above max_prompt_len + max_response_len = ${maxPrompt + maxResponse}`);
  const seqlen = globalSeqlenExpected(row);
  const globalSeqlen = valueOf(workload.globalSeqlenMean);
  if (seqlen !== undefined && globalSeqlen !== undefined && Math.abs(seqlen / globalSeqlen - 1) > GLOBAL_SEQLEN_TOLERANCE)
    findings.push(
      `global_seqlen_mean ${globalSeqlen} differs by ${round((seqlen / globalSeqlen - 1) * 100)} % from train_batch_size_prompts × rollout_n × (prompt_length_mean + response_length_mean) / GPUs = ${round(seqlen)} (veRL: tokens per worker of the actor/rollout group)`,
    );
  return findings;
}

/**
 * veRL's `global_seqlen/mean` (ray_trainer.py `_balance_batch`) is the batch's prompt + response
 * tokens over the actor/rollout worker group's world size, i.e. all GPUs of a colocated run.
 */
function globalSeqlenExpected(row: Omit<RecordedStep, 'findings'>): number | undefined {
  const { config, workload } = row;
  const prompts = valueOf(config.trainBatchSizePrompts);
  const n = valueOf(config.rolloutN);
  const prompt = valueOf(workload.promptLengthMean);
  const response = valueOf(workload.responseLengthMean);
  const nodes = valueOf(config.nodes);
  const perNode = valueOf(config.gpusPerNode);
  if ([prompts, n, prompt, response, nodes, perNode].some((v) => v === undefined)) return undefined;
  return (prompts! * n! * (prompt! + response!)) / (nodes! * perNode!);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
