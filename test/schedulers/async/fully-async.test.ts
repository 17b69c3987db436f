import { describe, expect, it } from 'vitest';
import { asyncPools } from '../../../harness/schedulers/async/pools.js';
import { runFullyAsync } from '../../../harness/schedulers/async/fully-async.js';
import { runOneStepOff } from '../../../harness/schedulers/async/one-step-off.js';
import { asyncWeightSyncS } from '../../../harness/schedulers/async/weight-sync.js';
import { verlWorkerSettings } from '../../../harness/schedulers/baseline/verl-workers.js';
import { runVerl } from '../../../harness/schedulers/baseline/verl.js';
import { IterationContext } from '../../../harness/schedulers/iteration-context.js';
import { checkSpans } from '../../../harness/sim/invariants.js';
import { createRng } from '../../../harness/util/rng.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../fixtures/scenario.js';
import { oneStepOffParameterSet } from '../../../harness/schedulers/async/one-step-off.js';
import { twoGpuScenario } from './fixtures.js';

describe('fully-async with staleness 0, one update per version: the on-policy pipeline', () => {
  // Linear double: prefill 0.5 + 0.01·tokens, decode 1 + 0.1·batch + 0.001·context; forward 0.2 + 0.002·tokens;
  // update F 0.002·tokens, B 2F, optimizer 0.3. One prompt of 10 tokens, one response of 3.
  // After the warm-up version's sync the rollouter generates the prompt: prefill 0.6 (first token),
  // decodes at context 11 and 12: 1.111 + 1.112 -> 2.823. The trainer waits for it, then
  // ref 0.2 + 0.026 = 0.226 and update 0.026 + 0.052 + 0.3 = 0.378 (no old-log-prob: the rollout's are used),
  // then the weight sync. Step = 2.823 + 0.604 + sync.
  const scenario = twoGpuScenario({ 'fully-async': { 'staleness-threshold': 0, 'trigger-parameter-sync-step': 1 } });
  const iteration = iterationOf([{ prompt: 10, responses: [3] }]);
  const cost = linearCostModel();
  const result = runFullyAsync(scenario, iteration, cost, createRng(1));
  const ctx = new IterationContext('t', scenario, iteration, cost, createRng(1));
  const pools = asyncPools(scenario, { rolloutGpus: 0, trainerGpus: 0 }, (k) => k);
  const syncS = asyncWeightSyncS(ctx, pools, verlWorkerSettings(oneStepOffParameterSet.resolve(scenario)), 'checkpoint-engine').durationS;

  it('is generation, then training, then the sync, in sequence', () => {
    expect(syncS).toBeGreaterThan(0);
    expect(result.iterationTimeS).toBeCloseTo(2.823 + 0.604 + syncS, 9);
    expect(result.counters['trainer_wait_s']).toBeCloseTo(2.823, 9);
    expect(result.counters['policy_lag_0_samples']).toBe(1);
    expect(result.counters['stale_samples_frac']).toBe(0);
  });

  it('splits the two GPUs into one rollout server and one trainer GPU', () => {
    expect(pools.rollout).toEqual({ name: 'rollouter', firstGpu: 0, gpus: 1 });
    expect(pools.trainer).toEqual({ name: 'trainer', firstGpu: 1, gpus: 1 });
    expect(result.gpuSecondsAllocated).toBeCloseTo(2 * result.iterationTimeS, 9);
    expect(checkSpans(result.spans, 2)).toEqual([]);
  });
});

describe('one-step-off equals its own definition: step = max(0, gen_k − train_{k−1}) + sync + train_k', () => {
  const cost = linearCostModel();
  it('generation-bound: the trainer waits for the batch (wait_prev_gen)', () => {
    // gen 2.823 (above); train = old_log_prob 0.226 + ref 0.226 + update 0.378 = 0.83 (previous batch = this one).
    const scenario = twoGpuScenario();
    const result = runOneStepOff(scenario, iterationOf([{ prompt: 10, responses: [3] }]), cost, createRng(1));
    const sync = result.counters['weight_sync_s']!;
    expect(result.iterationTimeS).toBeCloseTo(2.823 - 0.83 + sync + 0.83, 9);
    expect(result.counters['trainer_wait_s']).toBeCloseTo(2.823 - 0.83, 9);
    expect(result.counters['policy_lag_1_samples']).toBe(1);
  });
  it('training-bound: no wait, the step is the sync and the training', () => {
    // prompt 1000, response 1: gen = prefill 0.5 + 10 = 10.5. Train on 1001 tokens: forwards 2.202 each, update 2.002 + 4.004 + 0.3 = 6.306 -> 10.71.
    const scenario = twoGpuScenario();
    const result = runOneStepOff(scenario, iterationOf([{ prompt: 1000, responses: [1] }]), cost, createRng(1));
    expect(result.counters['trainer_wait_s']).toBe(0);
    expect(result.iterationTimeS).toBeCloseTo(result.counters['weight_sync_s']! + 10.71, 9);
  });
});

describe('zero-length tails and instant training: asynchrony gives nothing', () => {
  // Every response equally long, training and syncs free: the step is generation, and splitting the
  // GPUs only takes servers away from it.
  const cost = linearCostModel({ forwardBaseS: 0, forwardPerTokenS: 0, optimizerStepS: 0, gradientSyncS: 0, bytesPerS: 1e18, hostBytesPerS: 1e18 });
  const iteration = iterationOf(Array.from({ length: 4 }, () => ({ prompt: 10, responses: [50] })));
  const scenario = twoGpuScenario({ 'fully-async': { 'trigger-parameter-sync-step': 4, 'staleness-threshold': 0.5 } }, { prompts: 4, miniBatchPrompts: 1 });
  const colocated = runVerl(scenario, iteration, cost, createRng(1)).iterationTimeS;
  it.each([
    ['one-step-off', runOneStepOff],
    ['fully-async', runFullyAsync],
  ] as const)('%s is no faster than the co-located step', (_, run) => {
    const result = run(scenario, iteration, cost, createRng(1));
    expect(result.iterationTimeS).toBeGreaterThanOrEqual(colocated - 1e-9);
  });
});

/** Four rollout servers and four trainer GPUs; 64 prompts × 4 responses; every 8th prompt's first response is the tail. */
function tailScenario(parameters: Record<string, number | boolean>) {
  return testScenario({
    kind: 'grpo',
    nodes: 1,
    gpusPerNode: 8,
    instances: 8,
    prompts: 64,
    miniBatchPrompts: 4,
    samplesPerPrompt: 4,
    maxConcurrentSequences: 256,
    maxResponseTokens: 100_000,
    maxPromptTokens: 100_000,
    layout: { tp: 1, pp: 1, dp: 4, microBatchSamples: 1000 },
    schedulerParameters: { 'fully-async': { 'driver-transfer-ns-per-position': 0, 'rollout-gpus': 4, 'require-batches': 1, 'trigger-parameter-sync-step': 16, 'prompts-in-flight-per-server': 4, ...parameters } },
  });
}
const tailCost = linearCostModel({ bytesPerS: 1e12, prefillBaseS: 0.01, prefillPerTokenS: 1e-4, decodeBaseS: 0.02, decodePerSequenceS: 0.0005, decodePerContextTokenS: 1e-6, forwardBaseS: 0.05, forwardPerTokenS: 2e-5, optimizerStepS: 0.1 });
const tailIteration = (tail: number) => iterationOf(Array.from({ length: 64 }, (_, i) => ({ prompt: 100, responses: [i % 8 === 3 ? tail : 200, 200, 200, 200] })));
const stepS = (tail: number, parameters: Record<string, number | boolean>) => runFullyAsync(tailScenario(parameters), tailIteration(tail), tailCost, createRng(1));

describe('partial rollout: the longer the tail, the more it gains', () => {
  const gain = (tail: number) => stepS(tail, { 'staleness-threshold': 0.5, 'partial-rollout': false }).iterationTimeS / stepS(tail, { 'staleness-threshold': 0.5, 'partial-rollout': true }).iterationTimeS;
  it('gains nothing without a tail, more with a longer one', () => {
    const none = gain(200);
    const long = gain(1000);
    const longer = gain(4000);
    expect(Math.abs(none - 1)).toBeLessThan(0.02);
    expect(long).toBeGreaterThan(1.2);
    expect(longer).toBeGreaterThan(long + 0.5);
  });
  it('interrupts responses only with partial rollout, and resumes them by prefilling again', () => {
    const partial = stepS(1000, { 'staleness-threshold': 0.5, 'partial-rollout': true });
    const waiting = stepS(1000, { 'staleness-threshold': 0.5, 'partial-rollout': false });
    expect(partial.counters['interrupted_sequences']).toBeGreaterThan(0);
    expect(partial.counters['window_recomputed_tokens']).toBeGreaterThan(0);
    expect(waiting.counters['interrupted_sequences'] ?? 0).toBe(0);
    expect(waiting.counters['sync_wait_s']).toBeGreaterThan(partial.counters['sync_wait_s']!);
  });
});

describe('staleness: more is faster until it saturates (partial rollout, long tail)', () => {
  const times = [0, 0.25, 0.5, 1, 2].map((s) => stepS(1000, { 'staleness-threshold': s, 'partial-rollout': true }));
  it('never gets slower, gains at first, then stops moving', () => {
    for (let i = 1; i < times.length; i++) expect(times[i]!.iterationTimeS).toBeLessThanOrEqual(times[i - 1]!.iterationTimeS + 1e-9);
    expect(times[0]!.iterationTimeS / times[1]!.iterationTimeS).toBeGreaterThan(1.2);
    expect(times[4]!.iterationTimeS).toBeCloseTo(times[3]!.iterationTimeS, 6);
  });
  it('trains staler samples as the threshold grows', () => {
    expect(times[0]!.counters['policy_lag_mean_versions']).toBe(0);
    expect(times[2]!.counters['policy_lag_mean_versions']).toBeGreaterThan(0);
  });
  it('is deterministic', () => {
    expect(JSON.stringify(stepS(1000, { 'staleness-threshold': 0.5 }))).toBe(JSON.stringify(stepS(1000, { 'staleness-threshold': 0.5 })));
  });
});
