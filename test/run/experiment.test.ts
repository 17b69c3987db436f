import { describe, expect, it } from 'vitest';
import { schedulers } from '../../harness/schedulers/index.js';
import { iterationRecord, summarizeResults } from '../../harness/run/summary.js';
import { replayIterations } from './fixtures/replay.js';
import { compareStageTimings, summarizeStageComparison } from '../../harness/schedulers/stage-timing-comparison.js';
import { linearCostModel } from '../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../schedulers/fixtures/scenario.js';

describe('replayIterations', () => {
  const scenario = testScenario({ nodes: 1, gpusPerNode: 4, layout: { tp: 1, pp: 1, dp: 2, microBatchSamples: 1 }, instances: 2, prompts: 4, miniBatchPrompts: 2 });
  const iterations = [0, 1].map((it) => iterationOf([{ prompt: 10, responses: [20 + it] }, { prompt: 12, responses: [3] }, { prompt: 8, responses: [9] }, { prompt: 30, responses: [40] }], it));

  it('runs every scheduler on every iteration, each with its own stream, so adding one changes no other', () => {
    const two = replayIterations(scenario, iterations, schedulers.slice(0, 2), linearCostModel(), 9);
    const all = replayIterations(scenario, iterations, schedulers, linearCostModel(), 9);
    expect(two.map((r) => `${r.scheduler}@${r.iteration}`)).toEqual(['deepspeed-chat@0', 'realhf@0', 'deepspeed-chat@1', 'realhf@1']);
    const pick = (list: typeof all, name: string, it: number) => JSON.stringify(iterationRecord(list.find((r) => r.scheduler === name && r.iteration === it)!));
    expect(pick(all, 'realhf', 1)).toBe(pick(two, 'realhf', 1));
  });

  it('summarises each scheduler by the mean of its iterations', () => {
    const results = replayIterations(scenario, iterations, schedulers.slice(2, 3), linearCostModel(), 1);
    const [summary] = summarizeResults(results);
    expect(summary!.scheduler).toBe('verl');
    expect(summary!.iterations).toBe(2);
    expect(summary!.iterationTimeS).toBeCloseTo((results[0]!.iterationTimeS + results[1]!.iterationTimeS) / 2, 12);
    expect(summary!.stages['generation']).toBeCloseTo((results[0]!.stagesS['generation']! + results[1]!.stagesS['generation']!) / 2, 12);
  });
});

describe('stage-timing comparison', () => {
  it('maps veRL stage names to simulated tasks and reports the error', () => {
    // The vLLM sleep/wake and the driver's batch transfers off: the hand-computed 3.023 s of generation.
    const scenario = testScenario({ schedulerParameters: { verl: { 'vllm-sleep-mode': false, 'driver-transfer-ns-per-position': 0 } } });
    const [result] = replayIterations(scenario, [iterationOf([{ prompt: 10, responses: [3] }, { prompt: 20, responses: [1] }])], schedulers.filter((s) => s.name === 'verl'), linearCostModel(), 1);
    const rows = compareStageTimings([{ iteration: 5, stagesS: { gen: 6.046, ref: 0.268, adv: 0.1 }, stepS: 4.835, metrics: {} }], [result!]);
    const gen = rows.find((r) => r.stage === 'gen')!;
    expect(gen.simulatedS).toBeCloseTo(3.023, 12);
    expect(gen.errorPct).toBeCloseTo(-50, 9);
    expect(rows.find((r) => r.stage === 'ref')!.errorPct).toBeCloseTo(0, 9);
    expect(rows.find((r) => r.stage === 'adv')!.simulatedS).toBeUndefined();
    expect(rows.find((r) => r.stage === 'step')!.errorPct).toBeCloseTo(0, 9);
    const summary = summarizeStageComparison(rows);
    expect(summary.map((s) => s.stage)).toEqual(['adv', 'gen', 'ref', 'step']);
    expect(summary.find((s) => s.stage === 'gen')!.meanAbsErrorPct).toBeCloseTo(50, 9);
  });
});
