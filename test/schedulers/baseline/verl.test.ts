import { describe, expect, it } from 'vitest';
import { runVerl } from '../../../harness/schedulers/baseline/verl.js';
import { createRng } from '../../../harness/util/rng.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../fixtures/scenario.js';

describe('verl on a one-GPU iteration worked out by hand', () => {
  // Linear test double: prefill 0.5 + 0.01·tokens; decode 1 + 0.1·batch + 0.001·context;
  // forward 0.2 + 0.002·tokens; train stage F 0.002·tokens, B = 2F; optimizer 0.3; no collectives on 1 GPU.
  // The rollout switch's vLLM sleep/wake and the driver's batch transfers off (worked out below).
  const scenario = testScenario({ schedulerParameters: { verl: { 'vllm-sleep-mode': false, 'driver-transfer-ns-per-position': 0 } } });
  const iteration = iterationOf([
    { prompt: 10, responses: [3], rewardLatencyS: 0.05 },
    { prompt: 20, responses: [1], rewardLatencyS: 0.05 },
  ]);
  const result = runVerl(scenario, iteration, linearCostModel(), createRng(1));

  it('runs the calls in veRL order with the hand-computed durations', () => {
    // generate: prefill 30 tokens = 0.8; B leaves. A decodes at context 11 (1.111) and 12 (1.112): ends 3.023.
    // reward: rule-based, 0.05 + 0.05 on the CPU -> 3.123.
    // old_log_prob, ref, values: one batch of 13 + 21 = 34 tokens each = 0.268 -> 3.391, 3.659, 3.927.
    // update_critic, update_actor: F 0.068 + B 0.136 + optimizer 0.3 = 0.504 each -> 4.431, 4.935.
    const byTask = Object.fromEntries(result.spans.map((s) => [s.task, [s.startS, s.endS]]));
    expect(byTask['generate']![1]).toBeCloseTo(3.023, 12);
    expect(byTask['reward']).toEqual([expect.closeTo(3.023, 12), expect.closeTo(3.123, 12)]);
    expect(byTask['old_log_prob']![1]).toBeCloseTo(3.391, 12);
    expect(byTask['ref']![1]).toBeCloseTo(3.659, 12);
    expect(byTask['values']![1]).toBeCloseTo(3.927, 12);
    expect(byTask['update_critic']![1]).toBeCloseTo(4.431, 12);
    expect(byTask['update_actor']![1]).toBeCloseTo(4.935, 12);
    expect(result.iterationTimeS).toBeCloseTo(4.935, 12);
  });

  it('derives the metrics from the spans and the one-GPU allocation', () => {
    expect(result.samplesPerS).toBeCloseTo(2 / 4.935, 12);
    expect(result.tokensPerS).toBeCloseTo((10 + 3 + 20 + 1) / 4.935, 12);
    expect(result.gpuSecondsAllocated).toBeCloseTo(4.935, 12);
    // Busy: everything but the 0.1 s of CPU reward.
    expect(result.gpuSecondsBusy).toBeCloseTo(4.835, 12);
    expect(result.costUsd).toBeCloseTo((4.935 / 3600) * 3.6, 12);
    expect(result.stagesS).toEqual({
      generation: expect.closeTo(3.023, 12),
      inference: expect.closeTo(0.1 + 3 * 0.268, 12),
      training: expect.closeTo(2 * 0.504, 12),
    });
    expect(result.overheadsS.weightSyncS).toBe(0);
  });
});

describe('verl: the rollout switch, host offload and the single controller, worked out by hand', () => {
  // Linear double as above; host link 1e8 B/s; llama-2-7b's 2e9 weight bytes = 1e9 parameters.
  // Every call is dispatched by the driver: 2 samples × (1000 + 1000) padded positions × 25 ns = 1e-4 s.
  const scenario = testScenario({ schedulerParameters: { verl: { 'param-offload': true, 'ref-param-offload': true, 'optimizer-offload': true } } });
  const iteration = iterationOf([
    { prompt: 10, responses: [3], rewardLatencyS: 0.05 },
    { prompt: 20, responses: [1], rewardLatencyS: 0.05 },
  ]);
  const result = runVerl(scenario, iteration, linearCostModel(), createRng(1));
  const spans = (task: string) => result.spans.filter((s) => s.task === task).map((s) => [s.stage, s.startS, s.endS] as const);
  const endOf = (task: string) => Math.max(...spans(task).map(([, , end]) => end));

  it('switches to rollout: fp32 actor parameters in (40 s), the state dict gathered (0 on one GPU), vLLM woken (20 s), parameters out (40 s)', () => {
    expect(spans('weight-sync')[0]).toEqual(['weight-sync', 0, expect.closeTo(100, 9)]);
    expect(result.spans.find((s) => s.task === 'generate' && s.stage === 'generation')!.endS).toBeCloseTo(103.023, 9);
    // after generation: vLLM's sleep(level=1) offloads its weights (20 s), then the driver collects the batch
    expect(spans('weight-sync')[1]).toEqual(['weight-sync', expect.closeTo(103.023, 9), expect.closeTo(123.023, 9)]);
    expect(spans('generate').find(([stage]) => stage === 'data-transfer')).toEqual(['data-transfer', expect.closeTo(123.023, 9), expect.closeTo(123.0231, 9)]);
  });

  it('loads each call’s offloaded FSDP state from host memory and puts it back after', () => {
    // reward on the CPU: 0.1 s -> 123.1231. old log-prob: dispatch, fp32 parameters in and out (40 s each), forward 0.268.
    expect(endOf('old_log_prob')).toBeCloseTo(123.1231 + 1e-4 + 80.268, 9);
    // ref: bf16 parameters (20 s each way)
    expect(endOf('ref')).toBeCloseTo(203.3912 + 1e-4 + 40.268, 9);
    // values: the critic's fp32 parameters
    expect(endOf('values')).toBeCloseTo(243.6593 + 1e-4 + 80.268, 9);
    // updates: fp32 parameters + Adam's fp32 moments, 12 B per parameter = 120 s each way; F + B + optimizer 0.504
    expect(endOf('update_critic')).toBeCloseTo(323.9274 + 1e-4 + 240.504, 9);
    expect(result.iterationTimeS).toBeCloseTo(564.4315 + 1e-4 + 240.504, 9);
    expect(result.stagesS['model-load']).toBeCloseTo(2 * (40 + 20 + 40 + 120 + 120), 9);
  });

  it('keeps the GPUs idle, not busy, while the driver ships data', () => {
    const transfers = result.spans.filter((s) => s.stage === 'data-transfer');
    expect(transfers.map((s) => s.task)).toEqual(['generate', 'old_log_prob', 'ref', 'values', 'update_critic', 'update_actor']);
    expect(transfers.every((s) => s.gpus === 0 && s.pool === 'driver')).toBe(true);
  });
});

describe('verl: FSDP workers on several GPUs', () => {
  // 4 GPUs, 4 samples of 100 + 10 tokens, one per forward batch: each forward 0.2 + 0.002·110 = 0.42 s.
  const iteration = iterationOf([10, 10, 10, 10].map((prompt) => ({ prompt, responses: [100] })));
  const run = (verl: Record<string, number | boolean>) =>
    runVerl(
      testScenario({ nodes: 1, gpusPerNode: 4, layout: { tp: 1, pp: 1, dp: 4, microBatchSamples: 1 }, instances: 4, prompts: 4, miniBatchPrompts: 4, schedulerParameters: { verl: { 'driver-transfer-ns-per-position': 0, ...verl } } }),
      iteration,
      linearCostModel(),
      createRng(1),
    );
  const duration = (result: ReturnType<typeof runVerl>, task: string) => result.tasksS[task]!;

  it('all-gathers the parameters for every forward batch over the shard group (fsdp_size), partly hidden by prefetching', () => {
    // full sharding: 0.5 × all-reduce of 2 GB over 4 = 0.5 × 2·3/4·2 s = 1.5 s; shard groups of 2: 0.5 × 2·1/2·2 = 1 s
    expect(duration(run({}), 'old_log_prob')).toBeCloseTo(0.42 + 1.5, 9);
    expect(duration(run({ 'fsdp-size': 2 }), 'old_log_prob')).toBeCloseTo(0.42 + 1, 9);
    // overlap 0.5 hides 0.75 s of the 1.5 s, but only 0.42 s of compute is there to hide it
    expect(duration(run({ 'fsdp-communication-overlap': 0.5 }), 'old_log_prob')).toBeCloseTo(1.5, 9);
  });

  it('splits each forward batch over a Ulysses group: half the tokens per GPU, two data ranks of two samples', () => {
    const result = run({ 'ulysses-sp': 2 });
    const replicas = result.spans.filter((s) => s.task === 'old_log_prob' && s.stage === 'inference');
    expect(replicas.map((s) => s.gpus)).toEqual([2, 2]);
    // per GPU 55 of a batch's 110 tokens: 0.2 + 0.11 = 0.31 s; all-to-all: llama-2-7b sends, per layer and token,
    // (2·32 + 2·32)·128·2 B / 2 GPUs × 1/2 = 8,192 B; 32 layers × 110 tokens at 1 GB/s; gather 1.5 s; two batches
    const allToAllS = (32 * 8192 * 110) / 1e9;
    expect(duration(result, 'old_log_prob')).toBeCloseTo(2 * (0.31 + allToAllS + 1.5), 9);
  });
});

describe('verl: the settings recorded runs differ in', () => {
  // Linear double: forward 0.2 + 0.002·tokens per batch, train F 0.002·tokens + B 2F per micro-batch, optimizer 0.3.
  const iteration = iterationOf([
    { prompt: 10, responses: [3] },
    { prompt: 20, responses: [1] },
  ]);
  const run = (verl: Record<string, number | boolean>) =>
    runVerl(testScenario({ schedulerParameters: { verl: { 'vllm-sleep-mode': false, 'driver-transfer-ns-per-position': 0, ...verl } } }), iteration, linearCostModel(), createRng(1));
  const packed = run({});

  it('without remove-padding, every forward and update runs on the padded length (max prompt + max response), generation unchanged', () => {
    const padded = run({ 'remove-padding': false });
    // one forward batch of 2 × 2000 padded tokens: 0.2 + 0.002·4000 = 8.2 s (packed: 34 tokens, 0.268 s)
    expect(packed.tasksS['old_log_prob']).toBeCloseTo(0.268, 12);
    expect(padded.tasksS['old_log_prob']).toBeCloseTo(8.2, 12);
    expect(padded.tasksS['ref']).toBeCloseTo(8.2, 12);
    // update: F 0.002·4000 = 8 + B 16 + optimizer 0.3
    expect(padded.tasksS['update_actor']).toBeCloseTo(24.3, 12);
    expect(padded.tasksS['generate']).toBeCloseTo(packed.tasksS['generate']!, 12);
  });

  it('skips the reference forward without a KL term, and offloads the reference only under its own switch', () => {
    expect(run({ 'reference-policy': false }).tasksS['ref']).toBeUndefined();
    // llama-2-7b bf16 reference parameters: 2e9 B at 1e8 B/s = 20 s each way
    expect(run({ 'ref-param-offload': true }).tasksS['ref']).toBeCloseTo(40.268, 9);
    expect(run({ 'param-offload': true }).tasksS['ref']).toBeCloseTo(0.268, 12);
  });
});
