import { describe, expect, it } from 'vitest';
import { buildRequests, splitContiguous, splitRoundRobin } from '../../../harness/schedulers/generation/requests.js';
import { buildSampleTable } from '../../../harness/schedulers/samples.js';
import { iterationOf } from '../fixtures/scenario.js';

describe('generation requests', () => {
  const table = buildSampleTable(iterationOf([{ prompt: 10, responses: [3, 4] }, { prompt: 7, responses: [5] }]).groups, { maxPromptTokens: 8, maxResponseTokens: 4 });

  it('is one request per sample without prompt sharing, one per group with it (caps applied)', () => {
    expect(buildRequests(table, false)).toEqual([
      { groupIndex: 0, promptTokens: 8, sampleIds: [0], responseTokens: [3] },
      { groupIndex: 0, promptTokens: 8, sampleIds: [1], responseTokens: [4] },
      { groupIndex: 1, promptTokens: 7, sampleIds: [2], responseTokens: [4] },
    ]);
    expect(buildRequests(table, true)).toEqual([
      { groupIndex: 0, promptTokens: 8, sampleIds: [0, 1], responseTokens: [3, 4] },
      { groupIndex: 1, promptTokens: 7, sampleIds: [2], responseTokens: [4] },
    ]);
    expect(table.clippedPrompts).toBe(1);
    expect(table.clippedResponses).toBe(1);
  });

  it('splits contiguously by samples, or round-robin', () => {
    const requests = Array.from({ length: 7 }, (_, i) => ({ sampleIds: [i] }));
    expect(splitContiguous(requests, 3).map((c) => c.map((r) => r.sampleIds[0]))).toEqual([[0, 1], [2, 3, 4], [5, 6]]);
    expect(splitRoundRobin(requests, 3).map((c) => c.map((r) => r.sampleIds[0]))).toEqual([[0, 3, 6], [1, 4], [2, 5]]);
  });
});
