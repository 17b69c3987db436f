import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BenchSuite } from '../../harness/bench/types.js';
import { gpuById, modelById } from '../../harness/cost/catalog/index.js';
import { loadDefaultCalibration } from '../../harness/cost/index.js';
import { createRooflineCostModel } from '../../harness/cost/roofline/model.js';
import { scenarioIterations } from '../../harness/scenario/batches.js';
import { scenarioCostModel } from '../../harness/scenario/cost-model.js';
import { loadScenario } from '../../harness/scenario/loader.js';
import { benchMeasurer } from '../../harness/nightly/kinds/bench.js';
import { costModelMeasurer } from '../../harness/nightly/kinds/cost-model.js';
import { DEFAULT_DEPENDENCIES } from '../../harness/nightly/kinds/dependencies.js';
import { pipelineSearchMeasurer } from '../../harness/nightly/kinds/pipeline-search.js';
import { simFigureMeasurer } from '../../harness/nightly/kinds/sim-figure.js';
import { traceStatsMeasurer } from '../../harness/nightly/kinds/trace-stats.js';
import { loadSuite } from '../../harness/nightly/suite.js';
import type { BenchCase, CostModelCase, PipelineSearchCase, SimFigureCase, TraceStatsCase } from '../../harness/nightly/types.js';
import { findScheduler } from '../../harness/schedulers/index.js';
import { flexFusionLayout } from '../../harness/schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { searchFusedSchedule } from '../../harness/schedulers/rlhfuse/fused-pipeline/search.js';
import { summarizeResults } from '../../harness/run/summary.js';
import { replayIterations } from '../run/fixtures/replay.js';
import { readWorkload } from '../../harness/traces/read.js';
import { lengthStats } from '../../harness/traces/stats.js';
import { createRng } from '../../harness/util/rng.js';

const SUITE = fileURLToPath(new URL('./fixtures/small-suite.json', import.meta.url));

describe('nightly case kinds measure what the harness computes', async () => {
  const suite = await loadSuite(SUITE);
  const spec = <T>(id: string) => ({ ...suite.cases.find((c) => c.id === id)!, baselines: {} }) as unknown as T;
  const context = { rng: createRng(9), attempt: 0, baseDir: suite.dir };

  it('cost-model: each query is the roofline model’s estimate', async () => {
    const measured = await costModelMeasurer(DEFAULT_DEPENDENCIES).measure(spec<CostModelCase>('cost/h100-7b'), context);
    const replica = createRooflineCostModel(gpuById('h100-sxm'), await loadDefaultCalibration()).replica(modelById('llama-2-7b'), { tp: 1, pp: 1 });
    expect(measured.figures).toEqual([
      { name: 'decode step b64 ctx32k', mode: 'exact', value: replica.decodeStepS(64, 32768), unit: 's' },
      { name: 'train stage forward 8x1024', mode: 'exact', value: replica.trainStageForwardS(8192, 8), unit: 's' },
      { name: 'train stage backward 8x1024', mode: 'exact', value: replica.trainStageBackwardS(8192, 8), unit: 's' },
      { name: 'kv capacity', mode: 'exact', value: replica.kvCapacityTokens(0.9), unit: 'tokens' },
    ]);
  });

  it('trace-stats: the statistics `traces stats` prints', async () => {
    const measured = await traceStatsMeasurer.measure(spec<TraceStatsCase>('traces/default'), context);
    const stats = lengthStats(await readWorkload(join(suite.dir, '../../../traces/examples/default.jsonl'))).total;
    expect(measured.figures).toEqual([
      { name: 'groups', unit: 'prompts', mode: 'exact', value: stats.groups },
      { name: 'samples', unit: 'responses', mode: 'exact', value: stats.samples },
      { name: 'responseTokens.mean', unit: 'tokens', mode: 'exact', value: stats.responseTokens.mean },
      { name: 'responseTokens.p99', unit: 'tokens', mode: 'exact', value: stats.responseTokens.p99 },
    ]);
    expect(stats.groups).toBe(576);
  });

  it('sim-figure: the replay of one scheduler, as `replay --seed` computes it', async () => {
    const testCase = spec<SimFigureCase>('sim/gen512/verl');
    const measured = await simFigureMeasurer(DEFAULT_DEPENDENCIES).measure(testCase, context);
    const scenario = await loadScenario(join(suite.dir, testCase.scenario));
    const { iterations } = scenarioIterations(await readWorkload(join(suite.dir, testCase.trace)), scenario, { iterations: 1 });
    const summary = summarizeResults(replayIterations(scenario, iterations, [findScheduler('verl')!], await scenarioCostModel(scenario), 1))[0]!;
    expect(measured.figures).toEqual([
      { name: 'iterationTimeS', unit: 's', mode: 'exact', value: summary.iterationTimeS },
      { name: 'costUsd', unit: 'USD', mode: 'exact', value: summary.costUsd },
      { name: 'stages.training', unit: 's', mode: 'exact', value: summary.stages.training },
    ]);
    expect(measured.notes[0]).toMatch(/^replay seed 1; 1 iteration\(s\); cost model: roofline on h800/);
  });

  it('sim-figure: an unknown stage is a clear error', async () => {
    const testCase = { ...spec<SimFigureCase>('sim/gen512/verl'), metrics: ['stages.teleport'] };
    await expect(simFigureMeasurer(DEFAULT_DEPENDENCIES).measure(testCase, context)).rejects.toThrow("field 'metrics' value 'stages.teleport': verl has no stage 'teleport'; its stages: ");
  });

  it('pipeline-search: the search result for the case seed, with its budget', async () => {
    const measured = await pipelineSearchMeasurer.measure(spec<PipelineSearchCase>('pipeline/exp2'), context);
    const seed = createRng(9).int(0x100000000);
    const result = searchFusedSchedule(flexFusionLayout(2), { seed, latencyEvaluations: 2000, memoryEvaluations: 500 });
    expect(measured.figures.slice(0, 2)).toEqual([
      { name: 'makespan', unit: 'FlexFusion time units', mode: 'exact', value: result.best.score.makespan },
      { name: 'peak memory', unit: 'activation units', mode: 'exact', value: result.best.score.peakMemory },
    ]);
    expect(measured.notes[0]).toContain(`seed ${seed}`);
  });

  describe('bench (on a synthetic suite: nothing is timed)', () => {
    let runs = 0;
    const fake: BenchSuite = {
      name: 'fake',
      description: 'synthetic figures',
      async run() {
        runs++;
        return [
          { name: 'loop', value: 0, unit: 'ms', better: 'lower', samples: [runs, runs + 0.5] },
          { name: 'rss', value: 100 + runs, unit: 'MB', better: 'lower' },
        ];
      },
    };
    const benchCase = { id: 'bench/fake', kind: 'bench', suite: 'fake', quick: true, repeats: 3 } as unknown as BenchCase;

    it('pools every repeat’s samples (or values) into timing figures with their median', async () => {
      runs = 0;
      const measured = await benchMeasurer([fake]).measure(benchCase, context);
      expect(measured.figures).toEqual([
        { name: 'loop', unit: 'ms', mode: 'timing', better: 'lower', value: 2.25, samples: [1, 1.5, 2, 2.5, 3, 3.5] },
        { name: 'rss', unit: 'MB', mode: 'timing', better: 'lower', value: 102, samples: [101, 102, 103] },
      ]);
      expect(benchMeasurer([fake]).exclusive).toBe(true);
    });

    it('names a requested figure the suite does not report', async () => {
      await expect(benchMeasurer([fake]).measure({ ...benchCase, figures: ['loop', 'speed'] } as BenchCase, context)).rejects.toThrow("field 'figures' value 'speed': not reported by bench suite 'fake' with quick: true; it reports: loop; rss");
    });
  });
});
