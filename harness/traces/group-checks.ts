import type { ProblemCollector } from './problems.js';
import type { SampleGroup } from './types.js';

/**
 * The rules a sample group obeys whatever format it came from, checked once it is assembled:
 * per-sample arrays match in length, prefix tokens fit in the prompt, turns are consistent, and
 * no response exceeds the length cap. Field names in problems are the canonical files' names.
 * Returns false (after reporting) when the group must be dropped.
 */
export function checkGroup(group: SampleGroup, maxResponseTokens: number | undefined, site: { file: string; line: number }, problems: ProblemCollector): boolean {
  const before = problems.count;
  const samples = group.responseTokens.length;
  const report = (field: string, value: unknown, message: string): void => problems.add({ ...site, field, value, message });
  if (samples === 0) report('response_tokens', [], 'a group needs at least one sample');
  if (group.truncated.length !== samples) report('truncated', group.truncated.length, `has ${group.truncated.length} entries for ${samples} samples`);
  if (group.toolLatencyS && group.toolLatencyS.length !== samples) report('tool_latency_s', group.toolLatencyS.length, `has ${group.toolLatencyS.length} entries for ${samples} samples`);
  if (group.turns && group.turns.length !== samples) report('turns', group.turns.length, `has ${group.turns.length} entries for ${samples} samples`);
  if (group.sharedPrefixTokens !== undefined && group.sharedPrefixTokens > group.promptTokens)
    report('shared_prefix_tokens', group.sharedPrefixTokens, `exceeds prompt_tokens (${group.promptTokens})`);
  if ((group.prefixBlockIds === undefined) !== (group.prefixBlockTokens === undefined))
    report(group.prefixBlockIds === undefined ? 'prefix_block_tokens' : 'prefix_block_ids', group.prefixBlockIds ?? group.prefixBlockTokens, 'prefix_block_ids and prefix_block_tokens go together');
  if (group.prefixBlockTokens !== undefined && group.prefixBlockTokens < 1) report('prefix_block_tokens', group.prefixBlockTokens, 'must be positive');
  group.turns?.forEach((turns, sample) =>
    turns.forEach((turn, index) => {
      if (turn.cachedTokens > turn.promptTokens) report(`turns[${sample}][${index}].cached_tokens`, turn.cachedTokens, `exceeds the turn's prompt_tokens (${turn.promptTokens})`);
    }),
  );
  if (maxResponseTokens !== undefined) {
    const index = group.responseTokens.findIndex((tokens) => tokens > maxResponseTokens);
    if (index >= 0) report(`response_tokens[${index}]`, group.responseTokens[index], `exceeds the length cap max_response_tokens = ${maxResponseTokens}`);
  }
  return problems.count === before;
}
