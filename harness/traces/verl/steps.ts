import { throughputMetrics, type VerlStepLine } from '../adapters/verl-log.js';

/** Length statistics veRL logs per step (`response_length/*`, `prompt_length/*`), tokens; clipRatio 0–1. */
export interface LengthStats {
  readonly mean?: number;
  readonly max?: number;
  readonly min?: number;
  /** Fraction of sequences at the length cap. */
  readonly clipRatio?: number;
}

/**
 * veRL's `global_seqlen/*` (ray_trainer.py `_balance_batch`): prompt + response tokens per worker of
 * the actor/rollout group after balancing; `mean` = the batch's tokens / the group's world size.
 */
export interface GlobalSeqlenStats {
  readonly mean?: number;
  readonly min?: number;
  readonly max?: number;
  readonly minmaxDiff?: number;
  readonly balancedMin?: number;
  readonly balancedMax?: number;
}

/** The workload of one step, as logged. */
export interface VerlStepWorkload {
  readonly responseLength: LengthStats;
  readonly promptLength: LengthStats;
  readonly globalSeqlen: GlobalSeqlenStats;
}

/** One training step of a veRL run: stage seconds, the step's wall time (2025 logs), workload, utilisation. */
export interface VerlStep {
  /** The step number as printed (0-based in Dec-2024 logs, 1-based in 2025 logs). */
  readonly step: number;
  readonly line: number;
  /** Seconds per timer: gen, old_log_prob (2025), ref, values, adv, update_critic, update_actor, reward, generate_sequences, reshard, testing, … */
  readonly stagesS: Readonly<Record<string, number>>;
  /** `timing_s/step`; the Dec-2024 trainer has no step timer. */
  readonly stepS?: number;
  readonly workload: VerlStepWorkload;
  /** Model-FLOPs utilisation in update_actor / update_critic (`perf/mfu/actor`, or `mfu/actor` in March-2025 logs). */
  readonly mfu: { readonly actor?: number; readonly critic?: number };
  /** veRL's throughput metrics (`perf/*`, or their March-2025 names). */
  readonly throughput: { readonly totalNumTokens?: number; readonly timePerStepS?: number; readonly tokensPerSPerGpu?: number };
  /** Every numeric value of the line other than the timers, under its logged key. */
  readonly metrics: Readonly<Record<string, number>>;
}

export function verlStep(line: VerlStepLine): VerlStep {
  const m = line.metrics;
  const stats = (prefix: string): LengthStats =>
    defined({ mean: m[`${prefix}/mean`], max: m[`${prefix}/max`], min: m[`${prefix}/min`], clipRatio: m[`${prefix}/clip_ratio`] });
  return {
    step: line.step,
    line: line.line,
    stagesS: line.stagesS,
    ...(line.stepS !== undefined ? { stepS: line.stepS } : {}),
    workload: {
      responseLength: stats('response_length'),
      promptLength: stats('prompt_length'),
      globalSeqlen: defined({
        mean: m['global_seqlen/mean'],
        min: m['global_seqlen/min'],
        max: m['global_seqlen/max'],
        minmaxDiff: m['global_seqlen/minmax_diff'],
        balancedMin: m['global_seqlen/balanced_min'],
        balancedMax: m['global_seqlen/balanced_max'],
      }),
    },
    mfu: defined({ actor: m['perf/mfu/actor'] ?? m['mfu/actor'], critic: m['perf/mfu/critic'] ?? m['mfu/critic'] }),
    throughput: throughputMetrics(m),
    metrics: m,
  };
}

function defined<T extends Record<string, number | undefined>>(record: T): { [K in keyof T]?: number } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: number };
}
