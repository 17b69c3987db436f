import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { IterationReplayer, prepareExperiment } from '../../run/experiment.js';
import { loadScenario, parseScenarioObject } from '../../scenario/loader.js';
import type { Scenario } from '../../scenario/scenario.js';
import { schedulers } from '../../schedulers/index.js';
import { generateWorkload } from '../../traces/generate/generate-workload.js';
import { parseLengthModel } from '../../traces/generate/length-model.js';
import type { WorkloadIteration } from '../../traces/types.js';
import { projectRoot } from '../../util/shared-data.js';
import type { BenchFigure, BenchOptions, BenchSuite } from '../types.js';

/**
 * The simulator's own speed. (1) One iteration of 512 prompts × 8 samples, max response 2048, on
 * the RLHFuse 256-GPU scenario, per scheduler (goal ≤ 50 ms). (2) Growth: one iteration from 10 k
 * to 1 M samples with the cluster scaled alongside (100 samples per GPU, 1 M on 9,984 GPUs) —
 * seconds per size, the log-log slope (1 = linear) and the largest case (goal ≤ 10 s).
 * Lengths come from the project's generator fitted to the PolyTrace DAPO recording
 * (traces/fitted/polytrace-dapo-32b.json), capped at 2048.
 */
const BASE_SCENARIO = join(projectRoot, 'harness', 'scenario', 'scenarios', 'rlhfuse-65b-33b.json');
const LENGTH_MODEL = join(projectRoot, 'traces', 'fitted', 'polytrace-dapo-32b.json');
const SAMPLES_PER_PROMPT = 8;
const SAMPLES_PER_GPU = 100;

async function workloadOf(prompts: number, seed: number): Promise<WorkloadIteration> {
  const model = parseLengthModel(await readFile(LENGTH_MODEL, 'utf8'), LENGTH_MODEL);
  const workload = generateWorkload(model, { seed, iterations: 1, promptsPerIteration: prompts, samplesPerPrompt: SAMPLES_PER_PROMPT, maxResponseTokens: 2048, parametersName: 'traces/fitted/polytrace-dapo-32b.json' });
  return workload.iterations[0]!;
}

/** The RLHFuse scenario with the cluster, batch and layouts scaled to `gpus` GPUs (a multiple of 64). */
function scaledScenario(base: Scenario, gpus: number, prompts: number): Scenario {
  const { file: _file, ...rest } = base;
  return parseScenarioObject({
    ...rest,
    name: `${base.name}-scaled-${gpus}`,
    cluster: { ...base.cluster, nodes: gpus / base.cluster.gpusPerNode },
    batch: { prompts, miniBatchPrompts: Math.max(1, Math.round(prompts / 8)) },
    generation: { ...base.generation, instances: gpus / base.generation.tp },
    layout: {
      actorTrain: { ...base.layout!.actorTrain, dp: gpus / 64 },
      criticTrain: { ...base.layout!.criticTrain!, dp: gpus / 32 },
      ref: { ...base.layout!.ref, dp: gpus / 8 },
      reward: { ...base.layout!.reward!, dp: gpus / 4 },
      criticInference: { ...base.layout!.criticInference!, dp: gpus / 4 },
    },
    schedulerParameters: {},
    provenance: Object.fromEntries(Object.entries(base.provenance).filter(([path]) => !path.startsWith('schedulerParameters'))),
  });
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export const engineBenchSuite: BenchSuite = {
  name: 'engine',
  description: 'Simulation engine: one iteration per scheduler (512 × 8 samples, 256 GPUs), and growth from 10 k to 1 M samples',
  async run(options: BenchOptions): Promise<readonly BenchFigure[]> {
    const figures: BenchFigure[] = [];
    const base = await loadScenario(BASE_SCENARIO);
    // The runner builds the cost model as every run does; each timed call is one step of its replay loop.
    const { cost } = await prepareExperiment({ scenario: base, workload: { kind: 'iterations', iterations: [] }, schedulers, seed: 1 });
    const step = (scenario: Scenario, entry: (typeof schedulers)[number], iteration: WorkloadIteration, seed: number) => new IterationReplayer(scenario, [entry], cost, seed).step(iteration);

    // (1) The paper-sized iteration, repeated with tinybench.
    const paper = await workloadOf(512, 1);
    const bench = new Bench({ retainSamples: true, time: options.quick ? 200 : 2000, iterations: options.quick ? 3 : 20, warmupIterations: options.quick ? 1 : 3 });
    for (const entry of schedulers) bench.add(entry.name, () => void step(base, entry, paper, 1));
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (!result || result.state !== 'completed') throw new Error(`engine bench: ${task.name} did not complete`);
      const samples = [...(result.latency.samples ?? [])];
      const value = result.latency.mean;
      figures.push({
        name: `iteration 512x8 samples, 256 GPUs: ${task.name}`,
        value,
        unit: 'ms',
        better: 'lower',
        samples,
        goal: { value: 50, met: value <= 50 },
      });
    }
    // CPU time of the same runs: steadier than wall time on a shared machine.
    for (const entry of schedulers) {
      const runs = options.quick ? 3 : 20;
      const before = process.cpuUsage();
      for (let i = 0; i < runs; i++) step(base, entry, paper, 1);
      const used = process.cpuUsage(before);
      figures.push({ name: `iteration 512x8 samples, 256 GPUs, CPU time: ${entry.name}`, value: (used.user + used.system) / 1000 / runs, unit: 'ms', better: 'lower' });
    }

    // (2) Growth with the cluster scaled alongside the batch.
    const sizes = options.quick ? [10_000, 30_000] : [10_000, 30_000, 100_000, 300_000, 1_000_000];
    const secondsBy = new Map<string, number[]>();
    for (const samples of sizes) {
      const prompts = samples / SAMPLES_PER_PROMPT;
      const gpus = Math.max(64, Math.round(samples / SAMPLES_PER_GPU / 64) * 64);
      const scenario = scaledScenario(base, gpus, prompts);
      const iteration = await workloadOf(prompts, 2);
      for (const entry of schedulers) {
        const repeats = samples <= 30_000 && !options.quick ? 3 : 1;
        const times: number[] = [];
        const cpuTimes: number[] = [];
        for (let r = 0; r < repeats; r++) {
          const t0 = performance.now();
          const cpu0 = process.cpuUsage();
          step(scenario, entry, iteration, samples);
          times.push((performance.now() - t0) / 1000);
          const cpu = process.cpuUsage(cpu0);
          cpuTimes.push((cpu.user + cpu.system) / 1e6);
        }
        const seconds = Math.min(...times);
        (secondsBy.get(entry.name) ?? secondsBy.set(entry.name, []).get(entry.name)!).push(seconds);
        const largest = samples === sizes[sizes.length - 1] && !options.quick;
        figures.push({
          name: `iteration ${samples} samples, ${gpus} GPUs: ${entry.name}`,
          value: seconds,
          unit: 's',
          better: 'lower',
          samples: times,
          ...(largest ? { goal: { value: 10, met: seconds <= 10, note: 'largest growth case' } } : {}),
          note: `CPU ${Math.min(...cpuTimes).toFixed(3)} s`,
        });
      }
    }
    for (const [name, seconds] of secondsBy) {
      const slope = Math.log(seconds[seconds.length - 1]! / seconds[0]!) / Math.log(sizes[sizes.length - 1]! / sizes[0]!);
      figures.push({ name: `growth exponent ${sizes[0]}..${sizes[sizes.length - 1]} samples: ${name}`, value: slope, unit: 'log-log slope', better: 'lower', note: '1 = linear in samples' });
    }
    figures.push({
      name: 'growth: mean seconds per 1k samples at the largest size',
      value: mean([...secondsBy.values()].map((s) => s[s.length - 1]!)) / (sizes[sizes.length - 1]! / 1000),
      unit: 's',
      better: 'lower',
    });
    return figures;
  },
};
