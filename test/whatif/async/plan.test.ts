import { describe, expect, it } from 'vitest';
import { prepareExperiment } from '../../../harness/run/experiment.js';
import type { Scenario } from '../../../harness/scenario/scenario.js';
import { buildAsyncWhatIfPlan, inheritedParameters, runParameters, splitRules, type AsyncWhatIfPlanInput } from '../../../harness/whatif/async/plan.js';
import { withOverrides } from '../../../harness/scenario/patch.js';
import { testScenario } from '../../schedulers/fixtures/scenario.js';

/** 16 GPUs, generation TP 2, FSDP with Ulysses 4; the co-located veRL settings the asynchronous runs inherit. */
function scenario(): Scenario {
  return testScenario({
    kind: 'grpo',
    nodes: 2,
    gpusPerNode: 8,
    generationTp: 2,
    instances: 8,
    prompts: 8,
    miniBatchPrompts: 4,
    layout: { tp: 1, pp: 1, dp: 16, microBatchSamples: 1 },
    schedulerParameters: { verl: { 'ulysses-sp': 4, 'param-offload': true, 'fsdp-size': 2, 'vllm-sleep-mode': true }, 'fully-async': { 'prompts-in-flight-per-server': 8 } },
  });
}

async function plan(overrides: Partial<AsyncWhatIfPlanInput> = {}) {
  const s = scenario();
  const { cost } = await prepareExperiment({ scenario: s, workload: { kind: 'iterations', iterations: [] }, schedulers: [], seed: 1 });
  return buildAsyncWhatIfPlan({
    scenarioPath: 's.json',
    tracePath: 't.jsonl',
    scenario: s,
    cost,
    baseline: 'verl',
    gpus: [16],
    splits: { count: 3 },
    grid: { schedulers: ['one-step-off', 'fully-async'], staleness: [0, 0.5], requireBatches: [1], trigger: [4], partialRollout: [true] },
    seed: 7,
    keepTraceBatches: false,
    scenarioSha256: 'a',
    traceSha256: 'b',
    ...overrides,
  });
}

describe('inheritedParameters', () => {
  it("takes the co-located run's settings the asynchronous scheduler also reads", () => {
    expect(inheritedParameters(scenario(), 'verl', 'fully-async')).toEqual({ 'fsdp-size': 2, 'param-offload': true, 'ulysses-sp': 4, 'vllm-sleep-mode': true });
  });
});

describe('runParameters', () => {
  it("is inherited, then the scenario's own, then the configuration's, then the split", () => {
    const s = scenario();
    const split = { totalGpus: 16, rolloutGpus: 4, trainerGpus: 12, requestedShares: [] };
    expect(runParameters(s, { 'ulysses-sp': 4, 'prompts-in-flight-per-server': 1 }, split, { scheduler: 'fully-async', stalenessThreshold: 0.5, requireBatches: 1, triggerParameterSyncStep: 4, partialRollout: false })).toEqual({
      'ulysses-sp': 4,
      'prompts-in-flight-per-server': 8,
      'staleness-threshold': 0.5,
      'require-batches': 1,
      'trigger-parameter-sync-step': 4,
      'partial-rollout': false,
      'rollout-gpus': 4,
      'trainer-gpus': 12,
    });
  });
});

describe('splitRules', () => {
  it('is the generation TP on the rollout side, the replicas and the Ulysses group on the trainer side', () => {
    const s = scenario();
    expect(splitRules(s, ['fully-async'], (name) => withOverrides(s, { [name]: { 'ulysses-sp': 4 } }))).toEqual({ rolloutUnit: 2, trainerUnit: 4 });
  });
});

describe('buildAsyncWhatIfPlan', () => {
  it('rounds 3 shares of 16 GPUs to steps of 4 (lcm of TP 2 and Ulysses 4) and runs one case per split after the baseline', async () => {
    const p = await plan();
    // 16 / 4, 16 / 2, 48 / 4 GPUs = 1, 2, 3 steps of 4.
    expect(p.cases.map((c) => c.id)).toEqual(['co-located', 'g0016/r0004', 'g0016/r0008', 'g0016/r0012']);
    expect(p.cases[0]!.runs).toEqual([{ id: 'co-located', scheduler: 'verl', parameters: {} }]);
    expect(p.cases[1]!.runs.map((r) => r.id)).toEqual([
      'g0016/r0004/one-step-off',
      'g0016/r0004/fully-async/staleness=0/require=1/trigger=4/partial=true',
      'g0016/r0004/fully-async/staleness=0.5/require=1/trigger=4/partial=true',
    ]);
    expect(p.cases[1]!.runs[2]!.parameters).toEqual({ 'fsdp-size': 2, 'param-offload': true, 'ulysses-sp': 4, 'vllm-sleep-mode': true, 'prompts-in-flight-per-server': 8, 'staleness-threshold': 0.5, 'require-batches': 1, 'trigger-parameter-sync-step': 4, 'partial-rollout': true, 'rollout-gpus': 4, 'trainer-gpus': 12 });
    expect(p.cases.every((c) => c.replaySeed === 7 && c.scenario === 's.json' && c.trace === 't.jsonl')).toBe(true);
    expect(p.config.points).toHaveLength(9);
    expect(p.config.points.every((point) => point.problem === undefined)).toBe(true);
  });

  it('keeps splits given as GPUs as they are and lists those a side cannot hold, with the reason, without a case', async () => {
    const p = await plan({ splits: { rolloutGpus: [3, 6, 8, 16] } });
    expect(p.config.points.filter((point) => point.config.scheduler === 'one-step-off').map((point) => [point.split.rolloutGpus, point.problem ?? 'ok'])).toEqual([
      [3, '3 rollout GPUs are not a whole number of rollout servers of generation TP 2'],
      [6, "10 trainer GPUs are not a multiple of 4 (a training replica's TP × PP × CP GPUs and the Ulysses group)"],
      [8, 'ok'],
      [16, '16 rollout GPUs leave no GPU of the 16 to the trainer'],
    ]);
    expect(p.cases.map((c) => c.id)).toEqual(['co-located', 'g0016/r0008']);
  });

  it('plans a smaller total of GPUs than the co-located run too', async () => {
    const p = await plan({ gpus: [8, 16], splits: { count: 1 } });
    expect(p.config.points.map((point) => [point.split.totalGpus, point.split.rolloutGpus, point.split.trainerGpus])).toEqual([
      [8, 4, 4],
      [8, 4, 4],
      [8, 4, 4],
      [16, 8, 8],
      [16, 8, 8],
      [16, 8, 8],
    ]);
  });
});
