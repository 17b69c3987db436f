import { describe, expect, it } from 'vitest';
import { modelById } from '../../../harness/cost/catalog/index.js';
import { weightBytesPerGpu } from '../../../harness/cost/model-shape.js';
import type { Placement, ReplicaCost } from '../../../harness/cost/types.js';
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

describe('pipeline training with VPP, CP, EP and the distributed optimizer', () => {
  const one = (overrides: Partial<TrainStageInput> = {}): TrainStageInput => ({
    sampleIds: ids,
    sequenceTokens: tokens,
    samplesPerMiniBatch: 8,
    microBatchSamples: 1,
    balanceDataParallel: false,
    epochs: 1,
    ...overrides,
  });
  /** Links that cost nothing, to look at compute alone; and links of round numbers. */
  const freeLinks = { ...linearCostModel(), transferS: () => 0 };
  const links = { ...linearCostModel(), transferS: (bytes: number, placement: Placement) => (placement === 'other-node' ? bytes / 50e9 : placement === 'same-node' ? bytes / 400e9 : 0) };

  it('VPP shrinks the pipeline bubble: (p − 1)(f + b)/v instead of (p − 1)(f + b)', () => {
    const replica = linearReplica({}, { tp: 1, pp: 4 });
    const run = (vpp: number) => pipelineTrainStage(replica, { tp: 1, pp: 4, dp: 1, vpp }, false, one(), { cost: freeLinks, gpusPerNode: 8 }).miniBatches[0]!.computeS;
    // 8 micro-batches of 100 tokens; per stage F = 0.002·100/4 = 0.05, B = 0.1.
    expect(run(1)).toBeCloseTo((8 + 3) * 0.15, 12);
    expect(run(2)).toBeCloseTo(8 * 0.15 + (3 * 0.15) / 2, 12);
    expect(run(4)).toBeLessThan(run(2));
  });

  it('CP splits a micro-batch\'s tokens and its causal attention FLOPs over the cp GPUs (Σ length² / cp, not / cp²)', () => {
    const seen: [number, number][] = [];
    const replica: ReplicaCost = {
      ...linearReplica(),
      trainStageForwardS: (t, _s, squares = 0) => {
        seen.push([t, squares]);
        return 1e-4 * t + 1e-8 * squares;
      },
      trainStageBackwardS: (t, _s, squares = 0) => 2 * (1e-4 * t + 1e-8 * squares),
    };
    const long = new Int32Array([8000]);
    const input = one({ sampleIds: [0], sequenceTokens: long, samplesPerMiniBatch: 1 });
    const cp1 = pipelineTrainStage(replica, { tp: 1, pp: 1, dp: 1 }, false, input).miniBatches[0]!.computeS;
    const cp4 = pipelineTrainStage(replica, { tp: 1, pp: 1, dp: 1, cp: 4 }, false, input, { cost: freeLinks, gpusPerNode: 8 }).miniBatches[0]!.computeS;
    expect(cp1).toBeCloseTo(3 * (1e-4 * 8000 + 1e-8 * 64e6), 12);
    expect(cp4).toBeCloseTo(3 * (1e-4 * 2000 + 1e-8 * 16e6), 12);
    expect(seen.at(-1)).toEqual([2000, 16e6]);
  });

  it('CP pays the ring exchange per layer in every pass: (cp − 1) hops of a GPU\'s K/V chunk', () => {
    const replica = linearReplica(); // test model: 8 layers, 8 KV heads × 64, bf16 → 2·8·64·2 = 2048 bytes per token per layer
    const input = one({ sampleIds: [0], samplesPerMiniBatch: 1 });
    const base = pipelineTrainStage(replica, { tp: 1, pp: 1, dp: 1, cp: 2 }, false, input, { cost: freeLinks, gpusPerNode: 8 }).miniBatches[0]!.computeS;
    const paid = pipelineTrainStage(replica, { tp: 1, pp: 1, dp: 1, cp: 2 }, false, input, { cost: links, gpusPerNode: 8 }).miniBatches[0]!.computeS;
    // 100 tokens → 50 per GPU; forward, backward and recomputed forward each pass 8 layers × 1 hop of 50 × 2048 bytes.
    expect(paid - base).toBeCloseTo((3 * 8 * 1 * 50 * 2048) / 400e9, 15);
  });

  it('EP adds a dispatch and a combine per MoE layer per pass, by tokens × k × hidden, over the node or the network', () => {
    const qwen = modelById('qwen3-30b-a3b');
    const replica = linearReplica({}, { tp: 1, pp: 1 }, qwen);
    const input = one({ sampleIds: [0], samplesPerMiniBatch: 1 });
    const commS = (ep: number) =>
      pipelineTrainStage(replica, { tp: 1, pp: 1, dp: 16, ep }, false, input, { cost: links, gpusPerNode: 8 }).miniBatches[0]!.computeS -
      pipelineTrainStage(replica, { tp: 1, pp: 1, dp: 16, ep }, false, input, { cost: freeLinks, gpusPerNode: 8 }).miniBatches[0]!.computeS;
    // One micro-batch of 100 tokens on one GPU: 48 MoE layers × 2 all-to-alls × 3 passes.
    const bytes = (ep: number) => (100 * 8 * 2048 * 2 * (ep - 1)) / ep;
    expect(commS(8)).toBeCloseTo((48 * 2 * 3 * bytes(8)) / 400e9, 12);
    expect(commS(16)).toBeCloseTo(48 * 2 * 3 * Math.max((bytes(16) * 7) / 15 / 400e9, (bytes(16) * 8) / 15 / 50e9), 12);
    expect(commS(16)).toBeGreaterThan(commS(8));
  });

  it('the distributed optimizer reduce-scatters gradients and all-gathers parameters over DP', () => {
    const cost = linearCostModel();
    const replica = linearReplica({}, { tp: 1, pp: 1 });
    const parameters = weightBytesPerGpu(replica.model, 1, 1) / 2;
    const result = pipelineTrainStage(replica, { tp: 1, pp: 1, dp: 4 }, false, one(), { cost, gpusPerNode: 8, distributedOptimizer: true });
    expect(result.miniBatches[0]!.gradientSyncS).toBeCloseTo(0.5 * ((2 * 3 * 4 * parameters) / 4 / 1e9) + 0.5 * ((2 * 3 * 2 * parameters) / 4 / 1e9), 12);
    // Without it the plain path is unchanged: the replica's all-reduce over DP.
    expect(pipelineTrainStage(replica, { tp: 1, pp: 1, dp: 4 }, false, one(), { cost, gpusPerNode: 8 }).miniBatches[0]!.gradientSyncS).toBe(0.4);
  });
});

describe('sharded training by ZeRO stage and offload', () => {
  const cost = linearCostModel(); // all-reduce of S bytes over n: 2(n − 1)/n · S / 1 GB/s; host copies at 0.1 GB/s
  const replica = cost.replica(linearReplica().model, { tp: 1, pp: 1 });
  const input: TrainStageInput = { sampleIds: ids, sequenceTokens: tokens, samplesPerMiniBatch: 8, microBatchSamples: 1, balanceDataParallel: false, epochs: 1 };
  const run = (extra: object) => shardedDataParallelTrainStage(replica, cost, { dp: 4, crossNode: false, communicationOverlap: 0, ...extra }, input);
  const allReduceS = (2 * 3 * 2e9) / 4 / 1e9; // 2 GB of weights (and bf16 gradients) over 4 GPUs

  it('stage 3 gathers per micro-batch, stage 2 only reduce-scatters per micro-batch, stage 1 syncs once per mini-batch', () => {
    // 2 micro-batches per GPU of 100 tokens: F 0.2 + B 0.4 each; optimizer 0.3.
    expect(run({}).durationS).toBeCloseTo(2 * (0.6 + 1.5 * allReduceS) + 0.3, 9);
    expect(run({ zeroStage: 3 }).durationS).toBe(run({}).durationS);
    expect(run({ zeroStage: 2 }).durationS).toBeCloseTo(2 * (0.6 + 0.5 * allReduceS) + 0.5 * allReduceS + 0.3, 9);
    expect(run({ zeroStage: 1 }).durationS).toBeCloseTo(2 * 0.6 + allReduceS + 0.3, 9);
  });

  it('offload copies each GPU\'s shards over its host link: parameters twice and gradients once per micro-batch, or once per step for the optimizer', () => {
    const shard = 2e9 / 4;
    expect(run({ paramOffload: true }).durationS - run({}).durationS).toBeCloseTo(2 * ((2 * shard + shard) / 1e8), 6);
    expect(run({ optimizerOffload: true }).durationS - run({}).durationS).toBeCloseTo((shard + shard) / 1e8, 6);
  });
});
