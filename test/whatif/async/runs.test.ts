import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CaseOutcome } from '../../../harness/jobs/cases.js';
import { runExperiment } from '../../../harness/run/experiment.js';
import { loadRunInputs } from '../../../harness/run/inputs.js';
import { withOverrides } from '../../../harness/scenario/patch.js';
import type { Scenario } from '../../../harness/scenario/scenario.js';
import { findScheduler } from '../../../harness/schedulers/index.js';
import type { IterationResult } from '../../../harness/sim/types.js';
import type { WorkloadIteration } from '../../../harness/traces/types.js';
import { projectRoot } from '../../../harness/util/shared-data.js';
import { buildAsyncWhatIfPlan, WHATIF_ASYNC_KIND, type AsyncRunsCase } from '../../../harness/whatif/async/plan.js';
import { summarizeAsyncWhatIf } from '../../../harness/whatif/async/report.js';
import { replayRuns, runAsyncCase, runFigures, type AsyncRunsResult } from '../../../harness/whatif/async/runs.js';
import { linearCostModel } from '../../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../../schedulers/fixtures/scenario.js';

const SCENARIO = 'test/whatif/async/fixtures/dapo-7b-8gpu.json';
const TRACE = 'traces/examples/default.jsonl';

describe('a what-if run is the runner’s replay of its scheduler under its parameters', () => {
  const parameters = { 'rollout-gpus': 4, 'trainer-gpus': 4, 'staleness-threshold': 0.3, 'ulysses-sp': 4, 'fsdp-size': 2 };
  const testCase: AsyncRunsCase = {
    id: 'g0008/r0004',
    kind: WHATIF_ASYNC_KIND,
    scenario: SCENARIO,
    trace: TRACE,
    iterations: 2,
    keepTraceBatches: false,
    replaySeed: 3,
    bandSchedulers: ['verl', 'one-step-off', 'fully-async'],
    runs: [
      { id: 'osa', scheduler: 'one-step-off', parameters: { 'rollout-gpus': 4, 'trainer-gpus': 4 } },
      { id: 'fa', scheduler: 'fully-async', parameters },
    ],
  };

  it('gives the numbers a direct replay of the same scheduler, parameters, trace and seed gives', async () => {
    const result = await runAsyncCase(testCase, { baseDir: projectRoot });
    for (const run of testCase.runs) {
      // What `replay --scenario … --trace … --scheduler <s> --iterations 2 --seed 3` does: the trace streamed and cut by the runner.
      const inputs = await loadRunInputs({ scenario: join(projectRoot, SCENARIO), trace: join(projectRoot, TRACE), batching: { iterations: 2 } });
      const direct: IterationResult[] = [];
      await runExperiment({ ...inputs, scenario: withOverrides(inputs.scenario, { [run.scheduler]: run.parameters }), schedulers: [findScheduler(run.scheduler)!], seed: 3 }, { result: (r) => void direct.push(r) });
      const got = result.runs.find((r) => r.id === run.id)!;
      expect(got.status).toBe('ok');
      if (got.status !== 'ok') continue;
      expect(direct).toHaveLength(2);
      expect(got.figures).toEqual(runFigures(direct));
      expect(got.figures.iterationTimesS).toEqual(direct.map((r) => r.iterationTimeS));
      expect(got.figures.costUsd).toBe((direct[0]!.costUsd + direct[1]!.costUsd) / 2);
      expect(got.figures.counters.stale_samples_frac).toBe((direct[0]!.counters['stale_samples_frac']! + direct[1]!.counters['stale_samples_frac']!) / 2);
    }
  });

  it('lists a run its scheduler refuses with the reason instead of failing the case', async () => {
    const refused = await runAsyncCase({ ...testCase, runs: [{ id: 'bad', scheduler: 'fully-async', parameters: { 'rollout-gpus': 6, 'trainer-gpus': 2 } }] }, { baseDir: projectRoot });
    expect(refused.runs).toEqual([{ id: 'bad', scheduler: 'fully-async', status: 'infeasible', reason: 'is not a multiple of generation.tp 4: every rollout server holds 4 GPUs' }]);
  });
});

describe('runFigures', () => {
  it('takes means over the iterations and keeps only the counters the scheduler set', () => {
    const results = [
      { iterationTimeS: 10, samples: 40, samplesPerS: 4, gpuSecondsAllocated: 80, costUsd: 1, counters: { stale_samples_frac: 0.5, other: 9 } },
      { iterationTimeS: 20, samples: 40, samplesPerS: 2, gpuSecondsAllocated: 160, costUsd: 2, counters: { stale_samples_frac: 0.25 } },
    ] as unknown as IterationResult[];
    expect(runFigures(results)).toEqual({ iterations: 2, iterationTimesS: [10, 20], stepTimeS: 15, samples: 40, samplesPerS: 3, gpuSecondsAllocated: 120, costUsd: 1.5, counters: { stale_samples_frac: 0.375 } });
  });
});

/** The whole what-if on a 4-GPU node with the linear cost double: plan, every case through replayRuns, the report. */
async function whatIfWithCost(scenario: Scenario, iterations: readonly WorkloadIteration[], cost: ReturnType<typeof linearCostModel>, staleness: number[]) {
  const plan = buildAsyncWhatIfPlan({
    scenarioPath: 'test.json',
    tracePath: 'trace.jsonl',
    scenario,
    cost,
    baseline: 'verl',
    gpus: [4],
    splits: { count: 3 },
    grid: { schedulers: ['one-step-off', 'fully-async'], staleness, requireBatches: [1], trigger: [2], partialRollout: [true] },
    seed: 1,
    keepTraceBatches: false,
    scenarioSha256: '',
    traceSha256: '',
  });
  const outcomes: CaseOutcome<AsyncRunsResult>[] = [];
  for (const c of plan.cases) {
    const replayed = await replayRuns({ scenario, iterations, notes: [], runs: c.runs, seed: 1, bandSchedulers: c.bandSchedulers, createCostModel: () => cost });
    outcomes.push({ id: c.id, kind: c.kind, status: 'ok', result: { costModel: replayed.costModel, inputNotes: [], runs: replayed.runs } });
  }
  return summarizeAsyncWhatIf(plan, outcomes);
}

function fourGpuScenario(): Scenario {
  return testScenario({
    kind: 'grpo',
    nodes: 1,
    gpusPerNode: 4,
    instances: 4,
    prompts: 8,
    miniBatchPrompts: 2,
    samplesPerPrompt: 1,
    maxConcurrentSequences: 64,
    maxResponseTokens: 100_000,
    maxPromptTokens: 100_000,
    layout: { tp: 1, pp: 1, dp: 4, microBatchSamples: 1000 },
    schedulerParameters: { verl: { 'driver-transfer-ns-per-position': 0, 'vllm-sleep-mode': false } },
  });
}

describe('the mechanism: zero-length tails and instant training leave asynchrony nothing to gain', () => {
  // Every response equally long; forwards, updates and weight syncs free: the step is generation,
  // and every split takes rollout servers away from it.
  const cost = linearCostModel({ forwardBaseS: 0, forwardPerTokenS: 0, optimizerStepS: 0, gradientSyncS: 0, bytesPerS: 1e18, hostBytesPerS: 1e18 });
  const iterations = [0, 1].map((it) => iterationOf(Array.from({ length: 8 }, () => ({ prompt: 10, responses: [50] })), it));

  it('finds no split and no configuration faster than the co-located run, and only the co-located run on the frontier', async () => {
    const report = await whatIfWithCost(fourGpuScenario(), iterations, cost, [0, 0.5]);
    const ran = report.points.filter((p) => p.status === 'ok');
    expect(ran.map((p) => `${p.rolloutGpus}:${p.config}`)).toEqual(['1:one-step-off', '1:fully-async, staleness 0', '1:fully-async, staleness 0.5', '2:one-step-off', '2:fully-async, staleness 0', '2:fully-async, staleness 0.5']);
    // Llama-2 7B's fp32 parameters, gradients and Adam state on one trainer GPU: 16 bytes × 6.7 B > 80 GB.
    expect(report.points.filter((p) => p.status === 'infeasible').map((p) => [p.rolloutGpus, p.reason!.slice(0, 66)])).toEqual([
      [3, 'actorTrain on 1 trainer GPUs holds 104.2 GiB of training state per'],
      [3, 'actorTrain on 1 trainer GPUs holds 104.2 GiB of training state per'],
      [3, 'actorTrain on 1 trainer GPUs holds 104.2 GiB of training state per'],
    ]);
    for (const p of ran) expect(p.speedupX!, p.id).toBeLessThanOrEqual(1 + 1e-9);
    expect(report.frontier.map((f) => f.id)).toEqual(['co-located']);
  });
});

describe('the mechanism: a long tail is where a staleness budget pays', () => {
  // The same node with the linear double's training costs; one response in eight is 40 × the others.
  // Co-located, every step waits for its long response. A rollouter allowed to run ahead (staleness
  // 0.5, partial rollout) decodes the long responses of several steps side by side while the
  // trainer trains the short ones; without a staleness budget (0) it cannot run ahead.
  const cost = linearCostModel();
  const iterations = [0, 1].map((it) => iterationOf(Array.from({ length: 8 }, (_, g) => ({ prompt: 10, responses: [g === 0 ? 2000 : 50] })), it));

  it('finds the fastest run with a staleness budget, and none faster without one', async () => {
    const report = await whatIfWithCost(fourGpuScenario(), iterations, cost, [0, 0.5]);
    const fastest = report.frontier[0]!;
    expect(fastest.id).toMatch(/\/fully-async\/staleness=0\.5\//);
    expect(fastest.speedupX).toBeGreaterThan(1.5);
    const onPolicy = report.points.filter((p) => p.status === 'ok' && p.stalenessThreshold === 0);
    expect(onPolicy).toHaveLength(2);
    for (const p of onPolicy) expect(p.speedupX!, p.id).toBeLessThan(1);
  });
});
