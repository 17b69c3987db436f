import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareExperiment, runExperiment } from '../../harness/run/experiment.js';
import type { IterationResult } from '../../harness/sim/types.js';
import { readWorkload } from '../../harness/traces/read.js';
import { projectRoot } from '../../harness/util/shared-data.js';
import { InputError } from '../../harness/util/input-error.js';
import { schedulers } from '../../harness/schedulers/index.js';
import { iterationRecord, summarizeResults } from '../../harness/run/summary.js';
import { replayIterations } from './fixtures/replay.js';
import { compareStageTimings, summarizeStageComparison } from '../../harness/schedulers/stage-timing-comparison.js';
import { linearCostModel } from '../sim/fixtures/linear-cost.js';
import { iterationOf, testScenario } from '../schedulers/fixtures/scenario.js';

describe('replayIterations', () => {
  const scenario = testScenario({ nodes: 1, gpusPerNode: 4, layout: { tp: 1, pp: 1, dp: 2, microBatchSamples: 1 }, instances: 2, prompts: 4, miniBatchPrompts: 2, model: 'qwen2.5-0.5b-instruct' });
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

describe('runExperiment', () => {
  const trace = join(projectRoot, 'traces', 'examples', 'default.jsonl');
  // 6 iterations × 96 prompts re-cut into batches of 50: 11 iterations, the last 26 prompts dropped.
  const scenario = testScenario({ nodes: 1, gpusPerNode: 4, layout: { tp: 1, pp: 1, dp: 2, microBatchSamples: 4 }, instances: 2, prompts: 50, miniBatchPrompts: 25, maxResponseTokens: 4096, maxPromptTokens: 4096 });
  const chosen = schedulers.filter((s) => ['verl', 'rlhfless'].includes(s.name));
  const collect = async (workload: Parameters<typeof runExperiment>[0]['workload']) => {
    const results: { scheduler: string; iteration: number; index: number; record: string }[] = [];
    const outcome = await runExperiment({ scenario, workload, schedulers: chosen, seed: 3, createCostModel: () => linearCostModel() }, {
      result: (result, progress) => void results.push({ scheduler: result.scheduler, iteration: result.iteration, index: progress.index, record: JSON.stringify(iterationRecord(result)) }),
    });
    return { results, outcome };
  };

  it('streams a trace file and gives exactly what the same workload in memory gives, iteration by iteration', async () => {
    const streamed = await collect({ kind: 'trace', path: trace });
    const inMemory = await collect({ kind: 'workload', workload: await readWorkload(trace) });
    expect(streamed.outcome.iterations).toBe(11);
    expect(streamed.results.map((r) => `${r.scheduler}@${r.iteration}`).slice(0, 4)).toEqual(['verl@0', 'rlhfless@0', 'verl@1', 'rlhfless@1']);
    expect(streamed.results).toEqual(inMemory.results);
    expect(streamed.outcome.batchNotes).toEqual(["trace groups (6 iterations of 96 prompts) re-cut into iterations of the scenario's 50 prompts", 'the last 26 prompts of the trace do not fill a batch and are not replayed']);
    expect(streamed.outcome.summaries).toEqual(inMemory.outcome.summaries);
  });

  it('keeps running means equal to the means of every result', async () => {
    const all: IterationResult[] = [];
    const outcome = await runExperiment({ scenario, workload: { kind: 'trace', path: trace, batching: { iterations: 4 } }, schedulers: chosen, seed: 3, createCostModel: () => linearCostModel() }, { result: (r) => void all.push(r) });
    expect(outcome.iterations).toBe(4);
    expect(outcome.summaries).toEqual(summarizeResults(all));
  });

  it('drops a scheduler allowed to fail and runs the others; any other failure ends the run', async () => {
    const failing = { ...chosen[0]!, name: 'failing', run: () => { throw new InputError({ file: '(test)', message: 'cannot run this' }); } };
    const spec = { scenario, workload: { kind: 'trace' as const, path: trace, batching: { iterations: 2 } }, schedulers: [failing, chosen[1]!], seed: 3, createCostModel: () => linearCostModel() };
    const dropped: string[] = [];
    const outcome = await runExperiment({ ...spec, mayFail: (name) => name === 'failing' }, { dropped: (name) => void dropped.push(name) });
    expect(dropped).toEqual(['failing']);
    expect(outcome.summaries.map((s) => s.scheduler)).toEqual(['rlhfless']);
    await expect(runExperiment(spec)).rejects.toThrow('cannot run this');
  });

  it('builds the scenario’s cost model with the run’s cost assumptions on top', async () => {
    const run = await prepareExperiment({ scenario: { ...scenario, cluster: { ...scenario.cluster, gpu: 'h100-sxm' } }, workload: { kind: 'iterations', iterations: [] }, schedulers: chosen, seed: 1, costAssumptions: { engineOverheadScale: 2 } });
    expect(run.cost.description).toContain('× 2');
    expect(run.iterations).toBe(0);
  });
});
