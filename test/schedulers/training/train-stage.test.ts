import { describe, expect, it } from 'vitest';
import type { ReplicaCost } from '../../../harness/cost/types.js';
import { pipelineTrainStage, shardedDataParallelTrainStage, tokenBalancedMicroBatches, type TrainStageInput } from '../../../harness/schedulers/training/train-stage.js';
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
    // Prefetching hides collectives only behind compute: 4.5 s of them cannot hide behind 0.6 s.
    expect(hidden.durationS).toBeCloseTo(2 * (1.5 * allReduceS) + 0.3, 9);
  });

  const input = (overrides: Partial<TrainStageInput> = {}): TrainStageInput => ({
    sampleIds: ids,
    sequenceTokens: tokens,
    samplesPerMiniBatch: 8,
    microBatchSamples: 1,
    balanceDataParallel: false,
    epochs: 1,
    ...overrides,
  });

  it('hides overlapped collectives up to the compute of the micro-batch, never more', () => {
    // 0.001 s per GB: collectives 1.5 × 2·3/4 × 2 GB = 4.5 ms per micro-batch behind 0.6 s of compute.
    const cost = linearCostModel({ bytesPerS: 1e12 });
    const replica = cost.replica(linearReplica().model, { tp: 1, pp: 1 });
    const run = (overlap: number) => shardedDataParallelTrainStage(replica, cost, { dp: 4, crossNode: false, communicationOverlap: overlap }, input()).durationS;
    expect(run(0)).toBeCloseTo(2 * (0.6 + 0.0045) + 0.3, 12);
    expect(run(0.5)).toBeCloseTo(2 * (0.6 + 0.00225) + 0.3, 12);
    expect(run(1)).toBeCloseTo(2 * 0.6 + 0.3, 12);
  });

  it('reduces fp32 gradients at twice the bytes, and with hybrid sharding gathers within the shard group and all-reduces the shard over the replicas', () => {
    const cost = linearCostModel();
    const replica = cost.replica(linearReplica().model, { tp: 1, pp: 1 });
    const ar = (bytes: number, n: number) => (2 * (n - 1) * bytes) / n / 1e9;
    const fp32 = shardedDataParallelTrainStage(replica, cost, { dp: 4, crossNode: false, communicationOverlap: 0, gradientBytesPerParameter: 4 }, input());
    // all-gather ×2 (0.5 AR of 2 GB each) + reduce-scatter of 4 GB (0.5 AR)
    expect(fp32.durationS).toBeCloseTo(2 * (0.6 + ar(2e9, 4) + 0.5 * ar(4e9, 4)) + 0.3, 9);
    const hybrid = shardedDataParallelTrainStage(replica, cost, { dp: 4, crossNode: false, communicationOverlap: 0, shardGroup: 2 }, input());
    // shard group 2: all-gathers and reduce-scatter over 2; the 1 GB shard all-reduced over the 2 replicas
    expect(hybrid.durationS).toBeCloseTo(2 * (0.6 + 1.5 * ar(2e9, 2) + ar(1e9, 2)) + 0.3, 9);
  });

  it('splits a micro-batch over a sequence-parallel group and pays its all-to-alls per pass', () => {
    const cost = linearCostModel({ bytesPerS: 1e15 });
    const replica = cost.replica(linearReplica().model, { tp: 1, pp: 1 });
    // 4 GPUs in SP groups of 2: 2 data ranks with 4 samples each, one sample per micro-batch;
    // each GPU computes 50 of its micro-batch's 100 tokens: F 0.1 + B 0.2; all-to-all 1 ms per token per pass × 3 passes.
    const result = shardedDataParallelTrainStage(replica, cost, { dp: 4, crossNode: false, communicationOverlap: 0, sequenceParallel: 2, sequenceParallelSPerToken: 1e-3 }, input());
    expect(result.miniBatches[0]!.microBatches).toBe(4);
    const collectives = 1.5 * ((2 * 3 * 2e9) / 4 / 1e15);
    expect(result.durationS).toBeCloseTo(4 * (0.3 + 0.3 + collectives) + 0.3, 9);
  });

  it('cuts dynamic micro-batches by a token budget, every rank taking the largest count (veRL use_dynamic_bsz)', () => {
    const cost = linearCostModel({ bytesPerS: 1e15 });
    const replica = cost.replica(linearReplica().model, { tp: 1, pp: 1 });
    const lengths = new Int32Array([400, 100, 100, 100, 100, 100, 100, 100]);
    // Rank 0 holds 700 tokens: ⌈700 / 300⌉ = 3 micro-batches [400], [100, 100], [100]; rank 1 holds 400 tokens in 3 too.
    const result = shardedDataParallelTrainStage(replica, cost, { dp: 2, crossNode: false, communicationOverlap: 0, microBatchTokensPerGpu: 300 }, input({ sequenceTokens: lengths }));
    expect(result.miniBatches[0]!.microBatches).toBe(3);
    // steps wait for the slowest rank: 400 | 200 | 100 tokens at 0.006 s per token (F + B)
    expect(result.miniBatches[0]!.computeS).toBeCloseTo(0.006 * (400 + 200 + 100) + 3 * 1.5 * ((2 * 2e9) / 2 / 1e15), 9);
    expect(tokenBalancedMicroBatches([0, 1, 2, 3], lengths, 3)).toEqual([[0], [1, 3], [2]]);
  });

  it('takes each rank’s mini-batches in order from its own samples when ranks hold their part of the batch (veRL)', () => {
    const cost = linearCostModel({ bytesPerS: 1e15 });
    const replica = cost.replica(linearReplica().model, { tp: 1, pp: 1 });
    const lengths = new Int32Array([100, 100, 400, 400, 100, 100, 400, 400]);
    // Rank 0 holds [0, 1, 2, 3], rank 1 [4, 5, 6, 7]; mini-batches of 4: rank-local chunks of 2.
    const local = shardedDataParallelTrainStage(replica, cost, { dp: 2, crossNode: false, communicationOverlap: 0 }, input({ sequenceTokens: lengths, samplesPerMiniBatch: 4, rankSamples: [[0, 1, 2, 3], [4, 5, 6, 7]] }));
    expect(local.miniBatches.map((m) => m.sampleIds)).toEqual([[0, 1, 4, 5], [2, 3, 6, 7]]);
    expect(local.miniBatches).toHaveLength(2);
  });

  it('passes each micro-batch’s Σ length² to the cost model (causal attention per sequence)', () => {
    const seen: number[] = [];
    const base = linearReplica();
    const replica: ReplicaCost = { ...base, trainStageForwardS: (t, n, squares) => (seen.push(squares ?? NaN), base.trainStageForwardS(t, n, squares)) };
    shardedDataParallelTrainStage(replica, linearCostModel(), { dp: 1, crossNode: false, communicationOverlap: 0 }, input({ sequenceTokens: new Int32Array([3, 4, 0, 0, 0, 0, 0, 0]), microBatchSamples: 2, sampleIds: [0, 1] }));
    expect(seen[0]).toBe(9 + 16);
  });
});
