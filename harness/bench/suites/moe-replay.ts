import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { scenarioCostModel } from '../../scenario/cost-model.js';
import { loadScenario } from '../../scenario/loader.js';
import { findScheduler } from '../../schedulers/index.js';
import { generateWorkload } from '../../traces/generate/generate-workload.js';
import { parseLengthModel } from '../../traces/generate/length-model.js';
import { createRng } from '../../util/rng.js';
import { projectRoot } from '../../util/shared-data.js';
import type { BenchFigure, BenchOptions, BenchSuite } from '../types.js';

/**
 * A MoE run replayed (issue 15's goal: under 5 s): Qwen3-30B-A3B, GRPO, 512 prompts × 16 samples,
 * max response 8,192, on 128 H20 with Megatron EP 8 through the co-located Megatron scheduler —
 * the scenario loaded, its cost model built and one step simulated, timed together. Lengths come
 * from the project's generator fitted to the PolyTrace DAPO recording, capped at 8,192.
 */
const SCENARIO = join(projectRoot, 'harness', 'scenario', 'scenarios', 'qwen3-30b-a3b-grpo-megatron-ep8.json');
const LENGTH_MODEL = join(projectRoot, 'traces', 'fitted', 'polytrace-dapo-32b.json');

export const moeReplaySuite: BenchSuite = {
  name: 'moe-replay',
  description: 'One step of a MoE run: Qwen3-30B-A3B GRPO, 512 × 16 samples, 128 H20, Megatron EP 8, scheduler megatron-colocated (goal < 5 s, scenario load included)',
  async run(options: BenchOptions): Promise<readonly BenchFigure[]> {
    const model = parseLengthModel(await readFile(LENGTH_MODEL, 'utf8'), LENGTH_MODEL);
    const prompts = options.quick ? 64 : 512;
    const workload = generateWorkload(model, { seed: 1, iterations: 1, promptsPerIteration: prompts, samplesPerPrompt: 16, maxResponseTokens: 8192, parametersName: 'traces/fitted/polytrace-dapo-32b.json' });
    const iteration = workload.iterations[0]!;
    const scheduler = findScheduler('megatron-colocated')!;
    let iterationTimeS = 0;
    const replay = async () => {
      const scenario = await loadScenario(SCENARIO);
      const cost = await scenarioCostModel(scenario);
      iterationTimeS = scheduler.run(scenario, iteration, cost, createRng(1)).iterationTimeS;
    };
    const bench = new Bench({ retainSamples: true, time: options.quick ? 100 : 2000, iterations: options.quick ? 2 : 5, warmupIterations: 1 });
    bench.add('replay', replay);
    await bench.run();
    const result = bench.tasks[0]!.result;
    if (!result || result.state !== 'completed') throw new Error('moe-replay bench: the replay did not complete');
    const seconds = result.latency.mean / 1000;
    return [
      {
        name: `replay Qwen3-30B-A3B GRPO ${prompts}x16 samples, 128 H20, Megatron EP8 (megatron-colocated)`,
        value: seconds,
        unit: 's',
        better: 'lower',
        samples: (result.latency.samples ?? []).map((ms) => ms / 1000),
        goal: { value: 5, met: seconds < 5, note: 'issue 15: a MoE run replays in under 5 s' },
        note: `simulated step ${iterationTimeS.toFixed(1)} s`,
      },
    ];
  },
};
