import type { SampleGroup } from '../types.js';

/**
 * The field names of the canonical response-length formats, shared by the JSONL and CSV layouts.
 * Group fields describe the prompt (in CSV they repeat on every sample row); sample fields have
 * one value per sample.
 */
export const GROUP_FIELDS = [
  'iteration',
  'epoch',
  'group_id',
  'prompt_id',
  'prompt_tokens',
  'shared_prefix_tokens',
  'prefix_block_ids',
  'prefix_block_tokens',
  'reference_answer_tokens',
  'arrival_time_s',
  'reward_latency_s',
  'training_use',
] as const;

export const SAMPLE_FIELDS = ['response_tokens', 'truncated', 'tool_latency_s'] as const;

export const TRAINING_USES: ReadonlySet<string> = new Set<NonNullable<SampleGroup['trainingUse']>>(['trained', 'kept-unused', 'filtered-out']);
export const TRAINING_USE_PROBLEM = "must be 'trained', 'kept-unused' or 'filtered-out'";
