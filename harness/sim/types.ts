/**
 * What a simulated iteration produces: spans (who ran what, on which GPUs, when), GPU
 * allocations (what was paid for), and the metrics derived from both. Times are seconds from the
 * start of the iteration; GPU indices are cluster-wide (node = floor(gpu / gpusPerNode)).
 */

/** The stages every scheduler reports; schedulers may add their own names. */
export type StageName = 'generation' | 'inference' | 'training' | 'weight-sync' | 'model-load' | 'kv-migration' | 'reallocation';

/** A contiguous range of GPUs with a name. Pools are what spans run on and allocations pay for. */
export interface PoolRef {
  readonly name: string;
  readonly firstGpu: number;
  readonly gpus: number;
}

/**
 * One task occupying a set of GPUs for an interval. Two spans whose GPU ranges intersect never
 * overlap in time (checked by `checkSpans`).
 */
export interface Span {
  readonly pool: string;
  readonly firstGpu: number;
  readonly gpus: number;
  /** What ran, e.g. 'generate', 'ref', 'update_actor', 'weight-sync'. */
  readonly task: string;
  readonly stage: string;
  readonly iteration: number;
  readonly startS: number;
  readonly endS: number;
  /** Model the task ran (catalog id), when there is one. */
  readonly model?: string;
  /**
   * Per-GPU idle seconds inside the span that belong to the task's own structure (pipeline
   * bubbles). Counted as busy (the GPUs are held) but not as useful work.
   */
  readonly idleS?: number;
  /** Free-form detail for the Chrome trace (e.g. mini-batch index, samples in the batch). */
  readonly detail?: Readonly<Record<string, number | string>>;
}

/** GPUs held (and paid for) from `fromS` to `toS`. */
export interface Allocation {
  readonly pool: string;
  readonly firstGpu: number;
  readonly gpus: number;
  readonly fromS: number;
  readonly toS: number;
}

export interface IterationResult {
  readonly scheduler: string;
  readonly iteration: number;
  /** Wall time of the iteration: from its start to the end of its last span. */
  readonly iterationTimeS: number;
  readonly prompts: number;
  /** Responses (samples) trained on. */
  readonly samples: number;
  readonly promptTokens: number;
  readonly responseTokens: number;
  readonly samplesPerS: number;
  /** (prompt + response) tokens of the batch per second of iteration time (veRL's throughput without the per-GPU division). */
  readonly tokensPerS: number;
  /** Σ allocation GPUs × held seconds: what is paid for. */
  readonly gpuSecondsAllocated: number;
  /** Σ span GPUs × span seconds: GPUs occupied by a task (pipeline bubbles inside a task included). */
  readonly gpuSecondsBusy: number;
  /** gpuSecondsAllocated / 3600 × the scenario's price per GPU-hour. */
  readonly costUsd: number;
  /** Useful GPU-seconds (busy minus in-span idle) over allocated GPU-seconds. */
  readonly utilization: number;
  /** In-span idle GPU-seconds (pipeline bubbles) over busy GPU-seconds. */
  readonly bubbleRatio: number;
  /** Wall seconds per stage: the length of the union of the stage's spans. */
  readonly stagesS: Readonly<Record<string, number>>;
  /** Wall seconds per task: the length of the union of the task's spans. */
  readonly tasksS: Readonly<Record<string, number>>;
  /** Overheads as wall seconds (a subset of stagesS, always present). */
  readonly overheadsS: {
    readonly weightSyncS: number;
    readonly modelLoadS: number;
    readonly kvMigrationS: number;
    readonly reallocationS: number;
  };
  /** Event counters (preemptions, migrated samples, recomputed tokens, …), sorted by key. */
  readonly counters: Readonly<Record<string, number>>;
  readonly spans: readonly Span[];
  readonly allocations: readonly Allocation[];
  /** Per-sample record of when each phase ran; present when the scheduler keeps one. */
  readonly ledger?: SampleLedgerView;
  /** Anything the scheduler had to assume or adjust for this iteration, in words. */
  readonly notes: readonly string[];
}

/** Read-only view of a SampleLedger (harness/sim/ledger.ts). */
export interface SampleLedgerView {
  readonly samples: number;
  /** Phase names in the order they were first marked (e.g. 'generate', 'ref', 'update_actor'). */
  phases(): readonly string[];
  /** How many times sample `id` went through `phase`. */
  count(phase: string, id: number): number;
  startS(phase: string, id: number): number;
  endS(phase: string, id: number): number;
}
