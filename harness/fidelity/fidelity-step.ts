import type { LengthStatistics } from '../traces/generate/from-statistics.js';

/**
 * One recorded RL training step as the fidelity check sees it: the configuration a simulation
 * needs, the step's workload statistics and its measured stage seconds. Built from a row of the
 * recorded-runs table or a step of a whole veRL console log (harness/fidelity/from-*.ts); every
 * value that the source did not state is listed in `assumed` with why it has the value it has.
 */
export const FIDELITY_STAGES = ['gen', 'old_log_prob', 'ref', 'values', 'update_critic', 'update_actor', 'train', 'step'] as const;
export type FidelityStage = (typeof FIDELITY_STAGES)[number];

export type TrainBackend = 'fsdp' | 'fsdp2' | 'megatron' | 'deepspeed';

export interface FidelityRunConfig {
  readonly framework: 'verl';
  /** ISO date (YYYY-MM or YYYY-MM-DD) the run's code dates from: picks the veRL era. */
  readonly date: string;
  /** GRPO-family estimators (grpo, gpg, dapo, rloo, …) have no critic; PPO with GAE has one. */
  readonly algorithm: string;
  readonly critic: boolean;
  /** A reference policy forward runs (KL loss or KL in the reward). */
  readonly referencePolicy: boolean;
  /** Catalog model id (actor; the critic and reference are the same model in every recorded run). */
  readonly model: string;
  readonly moe: boolean;
  /** Catalog GPU id. */
  readonly gpu: string;
  readonly nodes: number;
  readonly gpusPerNode: number;
  readonly rollout: {
    readonly engine: 'vllm' | 'sglang' | 'hf';
    readonly tp: number;
    readonly n: number;
    readonly gpuMemoryUtilization: number;
    readonly maxNumSeqs: number;
    readonly maxBatchedTokens: number;
    readonly enforceEager: boolean;
  };
  readonly training: {
    readonly backend: TrainBackend;
    /** Megatron only. */
    readonly tp: number;
    readonly pp: number;
    readonly ep: number;
    readonly paramOffload: boolean;
    readonly optimizerOffload: boolean;
    readonly refParamOffload: boolean;
    readonly gradientCheckpointing: boolean;
    readonly removePadding: boolean;
    readonly dynamicBatchSize: boolean;
    /** Token budgets of dynamic batch size (per GPU). */
    readonly ppoMaxTokensPerGpu?: number;
    readonly logProbMaxTokensPerGpu?: number;
    readonly microBatchPerGpu: number;
    readonly logProbMicroBatchPerGpu: number;
    readonly criticMicroBatchPerGpu: number;
    readonly ulyssesSp: number;
    readonly fsdpSize: number;
    readonly epochs: number;
    readonly entropyCoeff: number;
  };
  readonly batch: { readonly prompts: number; readonly miniBatchPrompts: number };
  readonly lengths: { readonly maxPromptTokens: number; readonly maxResponseTokens: number };
}

export interface FidelityStep {
  /** Row id (runs.csv run_id) or `<log>#step<N>`. */
  readonly id: string;
  /** The unit of leave-one-run-out: one log or one source table. */
  readonly runKey: string;
  /** Where it was read from (file and line or row). */
  readonly source: string;
  /** The step index ('2', '55', 'avg', …). */
  readonly step: string;
  readonly config: FidelityRunConfig;
  /** The step's length statistics (responses per prompt and batch from the config). */
  readonly lengths: Omit<LengthStatistics, 'prompts' | 'samplesPerPrompt' | 'responseCapTokens'>;
  /** Measured seconds per stage (only the stages the source reports). */
  readonly measuredS: Partial<Readonly<Record<FidelityStage, number>>>;
  /** Config field → why it has its value (not stated by the source: inferred by the transcriber, a log's launch command, the era's default). */
  readonly assumed: Readonly<Record<string, string>>;
  /** Consistency findings and other remarks. */
  readonly notes: readonly string[];
}
