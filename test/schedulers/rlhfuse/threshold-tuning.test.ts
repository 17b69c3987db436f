import { describe, expect, it } from 'vitest';
import { modelById } from '../../../harness/cost/index.js';
import { flatBatchLimit } from '../../../harness/schedulers/rlhfuse/flat-batch-limit.js';
import { thresholdGrid, tuningIterationIndex } from '../../../harness/schedulers/rlhfuse/threshold-tuning.js';
import { iterationOf } from '../fixtures/scenario.js';
import { dapoIterations, generationInferenceS, run, testbed, withParameters } from './fixtures/testbed.js';

describe('thresholdGrid', () => {
  it('runs from 0 to the whole batch in steps', () => {
    expect(thresholdGrid(0.1)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(thresholdGrid(0.025)).toHaveLength(41);
  });
});

describe('tuningIterationIndex', async () => {
  const { scenario } = await testbed();
  const lengths = (base: number) => iterationOf(Array.from({ length: 50 }, (_, i) => ({ prompt: 10, responses: [base + i] })));
  it('keeps the first tuning until the lengths drift by more than the KS threshold, then re-tunes on the drifted iteration', () => {
    expect(tuningIterationIndex(scenario, [lengths(100), lengths(102), lengths(1000), lengths(1001)], 0.1)).toBe(2);
    // 100..149 vs 102..151: KS 2/50 = 0.04 < 0.1 — no re-tune; with 0 every change re-tunes.
    expect(tuningIterationIndex(scenario, [lengths(100), lengths(102)], 0.1)).toBe(0);
    expect(tuningIterationIndex(scenario, [lengths(100), lengths(102)], 0)).toBe(1);
    expect(tuningIterationIndex(scenario, [lengths(100), lengths(100)], 0)).toBe(0);
  });
});

describe('the migration threshold each iteration runs with', async () => {
  const { scenario, cost } = await testbed();
  const [first, second] = dapoIterations({ cap: 2048, prompts: 512, samples: 1, iterations: 2 });
  const thresholdOf = (result: ReturnType<typeof run>) => result.counters.migration_threshold;

  it('is the scenario’s when it sets one', () => {
    const result = run('rlhfuse-inter', withParameters(scenario, 'rlhfuse-inter', { 'migration-threshold': 0.3 }), second!, cost, [first!]);
    expect(thresholdOf(result)).toBe(0.3);
    expect(result.notes).toContain('migration threshold 30.0 % (fixed by the scenario)');
  });

  it('comes from the first-iteration rule when there is no history: half-capacity from the flat-batch limit, or the paper’s optimum', () => {
    const gen = scenario.generation;
    const result = run('rlhfuse-inter', scenario, first!, cost);
    // ⌊32 / 2⌋ instances × the flat-batch limit at half the caps (1280 tokens), over the batch's 512 samples.
    const flat = flatBatchLimit(cost.replica(modelById(scenario.models.actor), { tp: gen.tp, pp: 1 }), (scenario.lengths.maxPromptTokens + scenario.lengths.maxResponseTokens) / 2, 0.25, gen.maxConcurrentSequences);
    expect(thresholdOf(result)).toBeCloseTo(Math.min(1, (Math.floor(gen.instances / 2) * flat) / 512), 12);
    const paper = run('rlhfuse-inter', withParameters(scenario, 'rlhfuse-inter', { 'first-iteration-threshold': 'paper-optimum' }), first!, cost);
    expect(thresholdOf(paper)).toBe(0.2);
  });

  it('is tuned on the previous iteration by simulating the very stage the scheduler runs', () => {
    const tuned = run('rlhfuse-inter', scenario, second!, cost, [first!]);
    const threshold = thresholdOf(tuned)!;
    expect(tuned.notes.some((n) => n.includes("tuned by offline simulation of iteration 0's lengths over 41 candidates"))).toBe(true);
    // Replaying the previous iteration at each candidate threshold: the tuned one is (one of) the fastest.
    const stageS = (t: number) => {
      const result = run('rlhfuse-inter', withParameters(scenario, 'rlhfuse-inter', { 'migration-threshold': t }), first!, cost);
      const weightSync = result.spans.find((s) => s.stage === 'weight-sync')!;
      return generationInferenceS(result) - weightSync.endS;
    };
    const chosen = stageS(threshold);
    for (const t of thresholdGrid(0.025)) expect(chosen).toBeLessThanOrEqual(stageS(t) + 1e-9);
  });
});
