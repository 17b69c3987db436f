/**
 * The response-length traces the reproduction can replay: each a real public recording in
 * shared/research/data (read in place, never copied) and the project's generator parameters
 * fitted to it (traces/fitted/*.json), which stand in when the recording is absent or too small
 * for an experiment's batches.
 */
export const TRACE_SOURCE_IDS = ['polytrace-dapo', 'polytrace-video', 'polytrace-deepcoder', 'sharegpt', 'azure-conv'] as const;
export type TraceSourceId = (typeof TRACE_SOURCE_IDS)[number];

export interface TraceSource {
  readonly id: TraceSourceId;
  readonly label: string;
  /** What kind of lengths it records, in words. */
  readonly like: string;
  /** The recording, as path parts under shared/research/data. */
  readonly recording: readonly string[];
  /** Generator parameters fitted to the recording, relative to the project root. */
  readonly fitted: string;
}

export const TRACE_SOURCES: Readonly<Record<TraceSourceId, TraceSource>> = {
  'polytrace-dapo': {
    id: 'polytrace-dapo',
    label: 'PolyTrace DAPO (Qwen2.5-32B math RL)',
    like: 'math-reasoning RL rollouts: 6 steps × 96 prompts × 8 samples, median ≈ 466 tokens, a long tail to 10k',
    recording: ['polytrace', 'verl', 'profile', 'packed_length_log', '20260614_023133'],
    fitted: 'traces/fitted/polytrace-dapo-32b.json',
  },
  'polytrace-video': {
    id: 'polytrace-video',
    label: 'PolyTrace video GRPO (Qwen2.5-VL-7B)',
    like: 'short, narrow answers of a 7B Qwen2.5 policy (median ≈ 159 tokens) after long video prompts: 21 steps × 64 × 8',
    recording: ['polytrace', 'verl-video', 'profile', 'packed_length_log', '20260609_033329'],
    fitted: 'traces/fitted/polytrace-video-grpo.json',
  },
  'polytrace-deepcoder': {
    id: 'polytrace-deepcoder',
    label: 'PolyTrace DeepCoder-14B (code RL, 16k cap)',
    like: 'code RL with long responses (median ≈ 9,900 tokens, 15 % at the 16k cap): 5 steps × 16 × 8',
    recording: ['polytrace', 'rllm', 'profile', 'packed_length_log', '20260616_024512'],
    fitted: 'traces/fitted/polytrace-deepcoder-16k.json',
  },
  sharegpt: {
    id: 'sharegpt',
    label: 'ShareGPT turns (sarathi-serve stats)',
    like: 'ChatGPT chat responses (not an RL policy), one per prompt, none above 1,024 tokens',
    recording: ['sharegpt-sarathi', 'sharegpt_8k_filtered_stats_llama2_tokenizer.csv'],
    fitted: 'traces/fitted/sharegpt.json',
  },
  'azure-conv': {
    id: 'azure-conv',
    label: 'Azure LLM inference, conversation (2023)',
    like: 'production chat requests to a served model (not an RL policy), one response each: median ≈ 129 tokens, p99 ≈ 601, none above 1,000',
    recording: ['azure-llm-inference-2023', 'AzureLLMInferenceTrace_conv.csv'],
    fitted: 'traces/fitted/azure-conv.json',
  },
};

/** Which trace stands for a paper's dataset: a named assumption of the reproduction, with its alternatives (sensitivity varies them). */
export interface TraceMapping {
  readonly name: string;
  readonly dataset: string;
  readonly source: TraceSourceId;
  readonly alternatives: readonly TraceSourceId[];
  readonly why: string;
}

export const TRACE_MAPPINGS = {
  'hh-rlhf': {
    name: 'trace.hh-rlhf',
    dataset: 'Anthropic HH-RLHF prompts (RLHFuse)',
    source: 'polytrace-dapo',
    alternatives: ['sharegpt', 'azure-conv'],
    why:
      'no public length trace of a PPO run on HH-RLHF exists. PolyTrace DAPO is a real RL policy’s rollouts during training with the long tail RLHFuse builds on (p99 ≈ 5.8 × median) and lengths beyond 2048, so the 512/1024/2048 caps truncate it as they would a policy’s; ' +
      'the chat-like public traces were not written by an RL policy and have no responses beyond about 1,000 tokens (ShareGPT: ChatGPT responses, its source dropped every one above 1,024; Azure conversation: a served model, none above 1,000), so the 1024 and 2048 caps could not differ. ' +
      'The whole RLHFuse grid is also replayed on both chat-like traces and each figure compared (the report’s “HH-RLHF stand-in” section)',
  },
  gsm8k: {
    name: 'trace.gsm8k',
    dataset: 'GSM8K (RLHFless testbed and 70B simulation)',
    source: 'polytrace-dapo',
    alternatives: [],
    why: 'GSM8K is grade-school math: the public math-RL recording (PolyTrace DAPO) is the closest real trace; its lengths are cut at the scenario’s response cap (2048 on the testbed, 2k-8k in the simulation)',
  },
  gpqa: {
    name: 'trace.gpqa',
    dataset: 'GPQA (RLHFless testbed)',
    source: 'polytrace-video',
    alternatives: ['polytrace-dapo'],
    why:
      'no public RL trace of GPQA exists. GPQA is multiple choice: a short answer after brief reasoning, and RLHFless reports that GSM8K, not GPQA, has the longest steps. The public RL recording with short, narrow answers from a 7B Qwen2.5 policy is the video GRPO run; ' +
      'its prompts (≈ 3,800 video tokens) are longer than GPQA’s and are cut to the testbed’s 1024-token prompt cap',
  },
  livecodebench: {
    name: 'trace.livecodebench',
    dataset: 'LiveCodeBench (RLHFless testbed)',
    source: 'polytrace-deepcoder',
    alternatives: [],
    why: 'the public code-RL recording (PolyTrace DeepCoder-14B) is the only code trace; at the testbed’s 2048 response cap almost every response is cut, which RLHFless’s own runs (a smaller model) may not have seen — stated, not adjusted',
  },
} as const satisfies Readonly<Record<string, TraceMapping>>;

export type DatasetId = keyof typeof TRACE_MAPPINGS;
