import type { GpuTypeSpec } from './gpu-type.js';
import type { GradCkptSpec } from './grad-ckpt.js';
import type { Known } from './known.js';
import type { AlgorithmLabel, FrameworkLabel, ModelLabel } from './labels.js';
import type { OffloadSpec } from './offload.js';
import type { StepIndex } from './step-index.js';

/** Training backends the table documents. */
export const TRAIN_BACKENDS = ['fsdp', 'fsdp2', 'megatron', 'deepspeed'] as const;
export type TrainBackend = (typeof TRAIN_BACKENDS)[number];

/**
 * Stage names of the measured seconds, as veRL names its timers (`timing_s/<stage>`), plus
 * `train` (actor + critic training together, where a source gives only that) and `step`.
 */
export const RECORDED_STAGES = ['gen', 'old_log_prob', 'ref', 'values', 'adv', 'update_critic', 'update_actor', 'train', 'step'] as const;
export type RecordedStage = (typeof RECORDED_STAGES)[number];

/** The configuration columns of one row. Every field is undefined when its cell is empty. */
export interface RecordedConfig {
  readonly framework?: Known<FrameworkLabel>;
  readonly algorithm?: Known<AlgorithmLabel>;
  readonly model?: Known<ModelLabel>;
  readonly modelParamsB?: Known<number>;
  readonly moe?: Known<boolean>;
  readonly gpuType?: Known<GpuTypeSpec>;
  readonly nodes?: Known<number>;
  readonly gpusPerNode?: Known<number>;
  readonly rolloutEngine?: Known<string>;
  readonly rolloutTp?: Known<number>;
  readonly trainBackend?: Known<TrainBackend>;
  readonly trainTp?: Known<number>;
  readonly trainPp?: Known<number>;
  readonly offload?: Known<OffloadSpec>;
  readonly gradCkpt?: Known<GradCkptSpec>;
  readonly dynamicBsz?: Known<boolean>;
  /** Token budget per GPU of a dynamic-batch micro-batch, tokens. */
  readonly ppoMaxTokenLenPerGpu?: Known<number>;
  /** Prompts per step (veRL `data.train_batch_size`). */
  readonly trainBatchSizePrompts?: Known<number>;
  /** Responses per prompt. */
  readonly rolloutN?: Known<number>;
  /** Prompts per optimizer step (veRL counts the mini-batch in prompts). */
  readonly ppoMiniBatchSize?: Known<number>;
  readonly ppoMicroBatchSizePerGpu?: Known<number>;
  readonly ppoEpochs?: Known<number>;
  readonly maxPromptLen?: Known<number>;
  readonly maxResponseLen?: Known<number>;
}

/** Length statistics of the measured step(s), tokens. */
export interface RecordedWorkload {
  readonly responseLengthMean?: Known<number>;
  readonly responseLengthMax?: Known<number>;
  /** Fraction of responses that hit the length cap, 0–1. */
  readonly responseClipRatio?: Known<number>;
  readonly promptLengthMean?: Known<number>;
  /** Prompt + response, where a source gives only that. */
  readonly seqLengthMean?: Known<number>;
  readonly seqLengthMax?: Known<number>;
  /** veRL `global_seqlen/mean`: prompt + response tokens per worker of the actor/rollout group (all its GPUs). */
  readonly globalSeqlenMean?: Known<number>;
}

/** One row of `runs.csv`: one measured step, or one published per-step average, with its configuration. */
export interface RecordedStep {
  readonly runId: string;
  /** 1-based line of the row in its file. */
  readonly line: number;
  /**
   * The run the row belongs to, for leave-one-run-out: rows with the same key are steps of one
   * run (one log, or one table of a documentation page) and are not independent.
   */
  readonly runKey: string;
  readonly source: {
    readonly url?: string;
    readonly repo?: string;
    readonly issueOrPr?: string;
    /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
    readonly date?: Known<string>;
  };
  readonly config: RecordedConfig;
  readonly stepIndex: StepIndex;
  readonly workload: RecordedWorkload;
  /** Measured seconds by stage; a stage the source does not report is absent. */
  readonly stagesS: Readonly<Partial<Record<RecordedStage, Known<number>>>>;
  readonly throughputTokensPerSPerGpu?: Known<number>;
  /** Actor model-FLOPs utilisation in update_actor, 0–1 (veRL `perf/mfu/actor`). */
  readonly mfuActor?: Known<number>;
  readonly notes?: string;
  /** Consistency findings of the reader (not errors): a sum that does not add up, a length above its cap, text not understood. */
  readonly findings: readonly string[];
}

/** The rows that form one run. */
export interface RecordedRunGroup {
  readonly runKey: string;
  readonly runIds: readonly string[];
}

export interface RecordedRunsTable {
  readonly path: string;
  readonly rows: readonly RecordedStep[];
  /** Runs in order of first appearance. */
  readonly runs: readonly RecordedRunGroup[];
  readonly notes: readonly string[];
}
