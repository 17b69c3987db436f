/**
 * The canonical data every reader produces and every later layer consumes.
 * Units are fixed here, at the boundary: tokens are counts, times are seconds, sizes are bytes.
 * Readers convert from the source's units (ms, µs, GB, …) before a value reaches these types.
 */

// ---------------------------------------------------------------------------------------------
// Response-length traces
// ---------------------------------------------------------------------------------------------

/** One turn of a multi-turn (agentic) sample. */
export interface SampleTurn {
  /** Tokens the engine was given for this turn (history + new input). */
  readonly promptTokens: number;
  /** Of `promptTokens`, how many were served from the prefix cache. */
  readonly cachedTokens: number;
  /** Tokens generated in this turn. */
  readonly completionTokens: number;
  /** Time spent in tool calls after this turn, seconds. */
  readonly toolLatencyS: number;
}

/**
 * One prompt and its sampled responses (several for GRPO, one for PPO or a request trace).
 * `responseTokens[i]` and `truncated[i]` describe sample i.
 */
export interface SampleGroup {
  readonly iteration: number;
  /** Unique within its iteration. */
  readonly groupId: string;
  /** Identity of the prompt across iterations and epochs (for length prediction). Defaults to groupId. */
  readonly promptId: string;
  readonly promptTokens: number;
  /** Leading prompt tokens shared with other groups (system prompt, template), if known. */
  readonly sharedPrefixTokens?: number;
  /** Shared-prefix block ids (Mooncake `hash_ids`), each block `prefixBlockTokens` long. */
  readonly prefixBlockIds?: readonly number[];
  readonly prefixBlockTokens?: number;
  readonly responseTokens: readonly number[];
  /** Per sample: did it stop at the length cap rather than at end-of-sequence? */
  readonly truncated: readonly boolean[];
  /** Reward computation time for the whole group, seconds (e.g. a sandbox test run). */
  readonly rewardLatencyS?: number;
  /** Tool-call time per sample, seconds (multi-turn agents). */
  readonly toolLatencyS?: readonly number[];
  /** Per sample, the turns of a multi-turn trajectory. */
  readonly turns?: readonly (readonly SampleTurn[])[];
  /** Length of the dataset's reference answer, tokens: the first-epoch fallback of length predictors. */
  readonly referenceAnswerTokens?: number;
  /** Request traces (Azure, Mooncake): when the request arrived, seconds after the trace's first request. */
  readonly arrivalTimeS?: number;
  /**
   * DAPO dynamic sampling (PolyTrace `dapo_filter_indices.jsonl`): 'trained' groups went into the
   * training batch, 'kept-unused' passed the filter but the batch was already full, 'filtered-out'
   * had no reward variance and were dropped after generation. Undefined when not recorded.
   */
  readonly trainingUse?: 'trained' | 'kept-unused' | 'filtered-out';
}

export interface WorkloadIteration {
  readonly iteration: number;
  /** Epoch the iteration belongs to, when the trace records it or a generator assigned it. */
  readonly epoch?: number;
  readonly groups: readonly SampleGroup[];
}

export interface WorkloadMeta {
  /** Name of the format the trace was read as (see traces/README.md). */
  readonly format: string;
  /** Files the workload was read from. */
  readonly sources: readonly string[];
  /** True when the project's generator made it; never true for recorded data. */
  readonly synthetic: boolean;
  readonly description?: string;
  /** For synthetic traces: which generator, seed and parameter set. */
  readonly generator?: { readonly name: string; readonly seed: number; readonly parameters: string };
  /** The response length cap, tokens, and whether it was given or inferred from the data. */
  readonly maxResponseTokens?: number;
  readonly maxResponseTokensSource?: 'given' | 'inferred' | 'recorded';
  /** Request traces (Azure, ShareGPT, Mooncake) have one response per prompt: groups of one. */
  readonly singleResponseGroups?: boolean;
  /** Anything a reader had to assume or drop, in words a report can print. */
  readonly notes: readonly string[];
  /** For a canonical file written by `traces convert`: the format and file names it was converted from. */
  readonly derivedFrom?: { readonly format: string; readonly files: readonly string[] };
}

export interface Workload {
  readonly meta: WorkloadMeta;
  readonly iterations: readonly WorkloadIteration[];
}

// ---------------------------------------------------------------------------------------------
// GPU profiles (operator / stage timings)
// ---------------------------------------------------------------------------------------------

/** One measured timing. Keys that do not apply to an operator are left undefined. */
export interface GpuProfileRow {
  /** Catalog GPU id where the source's name maps to one (e.g. 'h100-sxm'), else the source's name. */
  readonly device: string;
  /** Catalog model id (e.g. 'llama-2-70b'); empty for model-independent ops such as collectives. */
  readonly model: string;
  /** Operator or stage, from the vocabulary in traces/README.md (e.g. 'mlp_up_proj', 'prefill', 'decode_token', 'all_reduce'). */
  readonly op: string;
  /** Tokens processed by the op (Vidur num_tokens; prompt size for prefill). */
  readonly tokens?: number;
  /** Sequences in the batch. */
  readonly batch?: number;
  /** KV / context tokens per sequence the op attends over. */
  readonly contextTokens?: number;
  /** Tokens generated per sequence over the measured run (Splitwise token_size: decode time is averaged over them). */
  readonly outputTokens?: number;
  readonly tp: number;
  /** Message size for collectives and transfers. */
  readonly bytes?: number;
  /** Participants of a collective. */
  readonly workers?: number;
  /** Whether the participants span nodes (collectives). */
  readonly crossNode?: boolean;
  readonly timeS: number;
  /** Spread of repeated measurements, seconds, when the source records it. */
  readonly timeStdS?: number;
  /** File and 1-based line the row came from. */
  readonly file: string;
  readonly line: number;
  /** Index into GpuProfile.provenance when the profile has more than one provenance entry. */
  readonly provenanceIndex?: number;
}

export interface GpuProfileProvenance {
  readonly source: string;
  readonly date?: string;
  readonly engine?: string;
}

export interface GpuProfile {
  readonly format: string;
  readonly sources: readonly string[];
  readonly provenance: readonly GpuProfileProvenance[];
  readonly rows: readonly GpuProfileRow[];
  readonly notes: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Stage-timing traces (per-iteration, per-stage seconds as RL frameworks log them)
// ---------------------------------------------------------------------------------------------

export interface StageTimingIteration {
  readonly iteration: number;
  /** Seconds per stage, keyed by the framework's stage name (gen, ref, reward, values, update_actor, …). */
  readonly stagesS: Readonly<Record<string, number>>;
  /** Wall time of the whole step, seconds, when logged. */
  readonly stepS?: number;
  /** GPUs the run used. */
  readonly gpus?: number;
  /** Other numeric metrics logged on the same line (e.g. response_length/mean). */
  readonly metrics: Readonly<Record<string, number>>;
}

export interface StageTimingTrace {
  readonly format: string;
  readonly sources: readonly string[];
  readonly iterations: readonly StageTimingIteration[];
  readonly notes: readonly string[];
}
