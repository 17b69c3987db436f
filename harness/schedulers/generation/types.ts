import type { ReplicaCost } from '../../cost/types.js';

/** The part of a replica's cost model generation needs. A test double can implement just this. */
export type GenerationStepCost = Pick<ReplicaCost, 'prefillS' | 'decodeStepS' | 'decodeStepsS'>;

/** Limits of one generation instance (one TP group running a vLLM-style engine). */
export interface EngineLimits {
  /** Most sequences running at once (vLLM max_num_seqs). */
  readonly maxConcurrentSequences: number;
  /** KV cache capacity in tokens (the cost model's kvCapacityTokens at the memory-utilisation cap). */
  readonly kvCapacityTokens: number;
  /** Prefill token budget of one step (vLLM max_num_batched_tokens); the first request of a step is always taken. */
  readonly maxBatchedTokens: number;
  /** Fraction of the KV capacity kept free when admitting new prompts (vLLM's watermark, 0.01). */
  readonly admissionWatermark: number;
}

/**
 * The unit of admission: one prompt and the samples generated from it. With prompt sharing (vLLM
 * `n` > 1, GRPO) one request holds a group's n samples, whose prompt is prefilled once and whose
 * prompt KV is stored once; without it every sample is its own request.
 */
export interface GenerationRequest {
  readonly groupIndex: number;
  readonly promptTokens: number;
  readonly sampleIds: readonly number[];
  /** Recorded response length per sample (same order as sampleIds): the sample leaves when it has generated this many tokens. */
  readonly responseTokens: readonly number[];
}

/** A sample's progress, as taken from one instance and handed to another (migration). */
export interface SequenceState {
  readonly sampleId: number;
  readonly groupIndex: number;
  readonly promptTokens: number;
  /** Recorded response length: the sample finishes when generatedTokens reaches it. */
  readonly responseTokens: number;
  /** Tokens generated so far. */
  readonly generatedTokens: number;
  /** True when it was running, so its KV cache (prompt + generated tokens) exists and can move; false when it was waiting. */
  readonly kvResident: boolean;
}

export interface SampleFinish {
  readonly sampleId: number;
  readonly instance: number;
  readonly timeS: number;
}

/** Event counts of one instance. */
export interface InstanceCounters {
  prefillSteps: number;
  decodeSteps: number;
  /** Prompt and recompute tokens prefilled. */
  prefillTokens: number;
  /** Requests pushed out of the running batch because the KV cache was full (vLLM recompute preemption). */
  preemptions: number;
  /** Tokens prefilled again because their KV had been dropped (preemption, or a migration that found no room). */
  recomputedTokens: number;
  /** Sequences added with a resident KV cache that found no room and were queued for recompute instead. */
  migratedWithoutRoom: number;
}
