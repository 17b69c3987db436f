import { describe, expect, it } from 'vitest';
import { pipelineTrainStage, shardedDataParallelTrainStage } from '../../../harness/schedulers/training/train-stage.js';
import { linearCostModel, linearReplica } from '../../sim/fixtures/linear-cost.js';

// Linear double: per-stage F = 0.002·tokens/(tp·pp), B = 2F, optimizer 0.3, gradient sync 0.4 when dp > 1.
const tokens = new Int32Array([100, 100, 100, 100, 100, 100, 100, 100]);
const ids = [0, 1, 2, 3, 4, 5, 6, 7];

describe('pipeline training (TP × PP × DP, 1F1B)', () => {
  it('runs each mini-batch as DP pipelines of micro-batches, then gradient sync and the optimizer step', () => {
    const replica = linearReplica({}, { tp: 1, pp: 2 });
    const result = pipelineTrainStage(replica, { tp: 1, pp: 2, dp: 2 }, false, {
      sampleIds: ids,
      sequenceTokens: tokens,
      samplesPerMiniBatch: 4,
      microBatchSamples: 1,
      balanceDataParallel: false,
      epochs: 1,
    });
    // Per mini-batch: 2 samples per DP group = 2 micro-batches of 100 tokens; per stage F = 0.1, B = 0.2.
    // 1F1B: (2 + 2 − 1) × 0.3 = 0.9; + sync 0.4 + optimizer 0.3 = 1.6; two mini-batches.
    expect(result.miniBatches).toHaveLength(2);
    expect(result.miniBatches[0]!.computeS).toBeCloseTo(0.9, 12);
    expect(result.miniBatches[0]!.idleS).toBeCloseTo(0.9 - 2 * 0.3, 12);
    expect(result.durationS).toBeCloseTo(3.2, 12);
  });

  it('repeats the mini-batches for every PPO epoch', () => {
    const result = pipelineTrainStage(linearReplica(), { tp: 1, pp: 1, dp: 1 }, false, {
      sampleIds: ids,
      sequenceTokens: tokens,
      samplesPerMiniBatch: 8,
      microBatchSamples: 8,
      balanceDataParallel: true,
      epochs: 2,
    });
    expect(result.miniBatches.map((m) => m.epoch)).toEqual([0, 1]);
    // One micro-batch of 800 tokens: F 1.6 + B 3.2 + optimizer 0.3 (no sync on one replica).
    expect(result.durationS).toBeCloseTo(2 * 5.1, 12);
  });
});

describe('sharded data-parallel training (ZeRO-3 / FSDP)', () => {
  it('costs whole-model F + B per micro-batch plus the parameter and gradient collectives, then the optimizer', () => {
    const cost = linearCostModel();
    const replica = cost.replica({ ...linearReplica().model }, { tp: 1, pp: 1 });
    const result = shardedDataParallelTrainStage(replica, cost, { dp: 4, crossNode: false, communicationOverlap: 0 }, {
      sampleIds: ids,
      sequenceTokens: tokens,
      samplesPerMiniBatch: 8,
      microBatchSamples: 1,
      balanceDataParallel: false,
      epochs: 1,
    });
    // 2 micro-batches per GPU of 100 tokens: F 0.2 + B 0.4; collectives 1.5 × all-reduce of 2 GB over 4 = 1.5 × 3 s.
    const allReduceS = (2 * 3 * 2e9) / 4 / 1e9;
    expect(result.durationS).toBeCloseTo(2 * (0.6 + 1.5 * allReduceS) + 0.3, 9);
    const hidden = shardedDataParallelTrainStage(replica, cost, { dp: 4, crossNode: false, communicationOverlap: 1 }, {
      sampleIds: ids,
      sequenceTokens: tokens,
      samplesPerMiniBatch: 8,
      microBatchSamples: 1,
      balanceDataParallel: false,
      epochs: 1,
    });
    expect(hidden.durationS).toBeCloseTo(2 * 0.6 + 0.3, 12);
  });
});
