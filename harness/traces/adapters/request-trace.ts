import type { SampleGroup, WorkloadMeta } from '../types.js';

/**
 * Request traces (Azure, Mooncake, ShareGPT) are inference traffic, not RL: one response per
 * prompt (groups of one, all in iteration 0) and no length cap unless the caller gives one.
 */
export function requestTraceMeta(format: string, path: string, description: string, maxResponseTokens: number | undefined, notes: readonly string[]): WorkloadMeta {
  return {
    format,
    sources: [path],
    synthetic: false,
    description,
    ...(maxResponseTokens !== undefined ? { maxResponseTokens, maxResponseTokensSource: 'given' as const } : {}),
    singleResponseGroups: true,
    notes: [
      'request trace: one response per prompt (groups of one), all in iteration 0',
      ...(maxResponseTokens === undefined ? ['no length cap (an inference trace has none recorded): no sample is marked truncated; give --max-response to set one'] : []),
      ...notes,
    ],
  };
}

/** Request `index` of a request trace as a group of one: id = the 0-based index, truncated when a cap is given and reached. */
export function requestGroup(index: number, promptTokens: number, responseTokens: number, cap: number | undefined, extra: Partial<SampleGroup> = {}): SampleGroup {
  const groupId = String(index);
  return { iteration: 0, groupId, promptId: groupId, promptTokens, ...extra, responseTokens: [responseTokens], truncated: [cap !== undefined && responseTokens >= cap] };
}
