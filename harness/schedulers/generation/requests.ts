import type { SampleTable } from '../samples.js';
import type { GenerationRequest } from './types.js';

/**
 * The iteration's samples as generation requests. With prompt sharing (vLLM n-sampling: a
 * group's n samples prefill their prompt once and share its KV) a request is one group; without
 * it (veRL 0.3 repeats each prompt n times) every sample is its own request.
 * `sampleIds`, when given, restricts to those samples (in that order, grouped by prompt).
 */
export function buildRequests(table: SampleTable, promptSharing: boolean, sampleIds?: ArrayLike<number>): GenerationRequest[] {
  const requests: GenerationRequest[] = [];
  const ids = sampleIds ?? Int32Array.from({ length: table.count }, (_, i) => i);
  if (!promptSharing) {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      requests.push({ groupIndex: table.groupOf[id]!, promptTokens: table.promptTokens[id]!, sampleIds: [id], responseTokens: [table.responseTokens[id]!] });
    }
    return requests;
  }
  const byGroup = new Map<number, { sampleIds: number[]; responseTokens: number[] }>();
  const order: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    const group = table.groupOf[id]!;
    let entry = byGroup.get(group);
    if (!entry) {
      byGroup.set(group, (entry = { sampleIds: [], responseTokens: [] }));
      order.push(group);
    }
    entry.sampleIds.push(id);
    entry.responseTokens.push(table.responseTokens[id]!);
  }
  for (const group of order) {
    const entry = byGroup.get(group)!;
    requests.push({ groupIndex: group, promptTokens: table.promptTokens[entry.sampleIds[0]!]!, sampleIds: entry.sampleIds, responseTokens: entry.responseTokens });
  }
  return requests;
}

/**
 * Splits requests into `parts` contiguous chunks whose sample counts differ by at most one
 * request's worth (veRL chunks the batch across DP ranks this way). Chunk i gets the earlier items.
 */
export function splitContiguous<T extends { sampleIds: readonly unknown[] }>(requests: readonly T[], parts: number): T[][] {
  const chunks: T[][] = Array.from({ length: parts }, () => []);
  let total = 0;
  for (const request of requests) total += request.sampleIds.length;
  let part = 0;
  let taken = 0;
  for (const request of requests) {
    // Move on once this chunk holds its share of the samples (rounded so every chunk gets one).
    while (part < parts - 1 && taken >= Math.round(((part + 1) * total) / parts)) part++;
    chunks[part]!.push(request);
    taken += request.sampleIds.length;
  }
  return chunks;
}

/** Deals requests to `parts` instances in turn. */
export function splitRoundRobin<T>(requests: readonly T[], parts: number): T[][] {
  const chunks: T[][] = Array.from({ length: parts }, () => []);
  requests.forEach((request, i) => chunks[i % parts]!.push(request));
  return chunks;
}
