import { Bench } from 'tinybench';
import { gpuById, modelById } from '../../cost/catalog/index.js';
import { fitCalibration } from '../../cost/calibration/fit.js';
import { readProfileInputs } from '../../cost/calibration/inputs.js';
import { classifyProfiles } from '../../cost/calibration/profile-rows.js';
import { loadDefaultCalibration } from '../../cost/index.js';
import { createProfileCostModel } from '../../cost/profile/model.js';
import { createRooflineCostModel } from '../../cost/roofline/model.js';
import type { ReplicaCost } from '../../cost/types.js';
import { hasSharedData, projectRoot, sharedDataPath } from '../../util/shared-data.js';
import type { BenchFigure, BenchOptions, BenchSuite } from '../types.js';

/**
 * Cost-model speed: how many decode-step estimates a scheduler's inner loop gets per second
 * (goal ≥ 5 million on one core), for the calibrated roofline and the profile-interpolating
 * model, the closed-form multi-step sum, and how long calibration on the public profiles takes.
 */

const CALLS_PER_ITERATION = 100_000;
const DECODE_GOAL_PER_S = 5e6;

/** A scheduler-like query stream: batch changes every call (defeats the per-batch memo), context grows. */
function decodeLoop(replica: ReplicaCost): () => void {
  let sink = 0;
  return () => {
    let context = 1000;
    for (let i = 0; i < CALLS_PER_ITERATION; i++) {
      const batch = 1 + (i % 61);
      context += batch;
      sink += replica.decodeStepS(batch, context);
    }
    if (sink < 0) throw new Error('unreachable: times are positive');
  };
}

function runsLoop(replica: ReplicaCost): () => void {
  let sink = 0;
  return () => {
    for (let i = 0; i < CALLS_PER_ITERATION; i++) sink += replica.decodeStepsS(1 + (i % 61), 1000 + i, 1000);
    if (sink < 0) throw new Error('unreachable: times are positive');
  };
}

export const costModelBenchSuite: BenchSuite = {
  name: 'cost-model',
  description: 'Cost-model lookups per second (decode step, 1,000-step runs) and calibration time on the public profiles',
  async run(options: BenchOptions): Promise<readonly BenchFigure[]> {
    const calibration = await loadDefaultCalibration();
    const gpu = gpuById('h100-sxm');
    const model = modelById('llama-2-70b');
    const layout = { tp: 4, pp: 1 };
    const roofline = createRooflineCostModel(gpu, calibration).replica(model, layout);
    const splitwise = sharedDataPath('splitwise-sim', 'perf_model.csv');
    const inputs = hasSharedData('splitwise-sim') ? await readProfileInputs([splitwise], { cwd: projectRoot }) : undefined;
    const profiled = inputs ? createProfileCostModel(gpu, inputs.profiles, calibration).replica(model, layout) : undefined;

    const bench = new Bench({ iterations: options.quick ? 3 : 20, warmupIterations: 2, time: 0, retainSamples: true });
    bench.add('roofline decodeStepS', decodeLoop(roofline));
    bench.add('roofline decodeStepsS (1,000 steps)', runsLoop(roofline));
    if (profiled) bench.add('profile-interpolated decodeStepS', decodeLoop(profiled));
    await bench.run();

    const figures: BenchFigure[] = [];
    for (const task of bench.tasks) {
      const result = task.result;
      if (!result || result.state !== 'completed') throw new Error(`cost-model benchmark '${task.name}' did not complete`);
      const perCallS = (ms: number) => CALLS_PER_ITERATION / (ms / 1000);
      const samples = [...(result.latency.samples ?? [])].map(perCallS);
      const value = perCallS(result.latency.mean);
      const isGoal = task.name !== 'roofline decodeStepsS (1,000 steps)';
      figures.push({
        name: `${task.name} estimates`,
        value,
        unit: 'ops/s',
        better: 'higher',
        samples,
        ...(isGoal ? { goal: { value: DECODE_GOAL_PER_S, met: value >= DECODE_GOAL_PER_S, note: 'issue 3: ≥ 5 million decode-step estimates/s on one core' } } : {}),
        note: `Llama-2-70B, TP 4, H100, batch varying 1–61 every call`,
      });
    }

    if (inputs) {
      const everything = await readProfileInputs([sharedDataPath('vidur'), splitwise], { cwd: projectRoot });
      const rows = classifyProfiles(everything.profiles).rows;
      const runs = options.quick ? 1 : 3;
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        fitCalibration(rows, { sourceLabel: everything.label });
        times.push((performance.now() - started) / 1000);
      }
      figures.push({
        name: `calibration fit (${rows.length} profile rows)`,
        value: times.reduce((a, b) => a + b, 0) / times.length,
        unit: 's',
        better: 'lower',
        samples: times,
        note: 'fitCalibration on every Vidur and SplitwiseSim row (reading the CSVs not included)',
      });
    }
    return figures;
  },
};
