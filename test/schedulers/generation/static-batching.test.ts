import { describe, expect, it } from 'vitest';
import { runStaticBatches, staticBatchLimit } from '../../../harness/schedulers/generation/static-batching.js';
import { buildSampleTable } from '../../../harness/schedulers/samples.js';
import { linearReplica } from '../../sim/fixtures/linear-cost.js';
import { iterationOf } from '../fixtures/scenario.js';

describe('static batching (DeepSpeed-Chat hybrid engine)', () => {
  const table = buildSampleTable(iterationOf([{ prompt: 10, responses: [3] }, { prompt: 20, responses: [1] }, { prompt: 5, responses: [2] }]).groups, { maxPromptTokens: 100, maxResponseTokens: 100 });

  it('makes every sample of a batch wait for its longest, padding prompts to the longest', () => {
    const finish = new Float64Array(3);
    const run = runStaticBatches(linearReplica(), table, [0, 1, 2], { batchSequences: 2, padPromptsToLongest: true }, 0, finish);
    // Batch 1 (samples 0, 1): prefill 2 × 20 padded = 40 tokens: 0.9; 2 decode steps of batch 2 from context 42:
    // (1.2 + 0.042) + (1.2 + 0.044) = 2.486 -> 3.386. Batch 2 (sample 2): prefill 5: 0.55; 1 step at context 6: 1.106 -> 5.042.
    expect(run.batches.map((b) => b.decodeSteps)).toEqual([2, 1]);
    expect(finish[0]).toBeCloseTo(3.386, 12);
    expect(finish[1]).toBeCloseTo(3.386, 12);
    expect(finish[2]).toBeCloseTo(5.042, 12);
    expect(run.endS).toBeCloseTo(5.042, 12);
  });

  it('without padding prefills the real prompt tokens', () => {
    const run = runStaticBatches(linearReplica(), table, [0, 1], { batchSequences: 2, padPromptsToLongest: false }, 1);
    // prefill 30 tokens: 0.8; decode from context 32: 1.232 + 1.234.
    expect(run.endS).toBeCloseTo(1 + 0.8 + 2.466, 12);
  });

  it('bounds the batch by what the KV cache holds at the length caps', () => {
    expect(staticBatchLimit(10_000, 512, 2048)).toBe(3);
    expect(staticBatchLimit(100, 512, 2048)).toBe(0);
  });
});
