import { flexFusionInstances } from '../../schedulers/rlhfuse/fused-pipeline/flexfusion-instances.js';
import { fusedLayout } from '../../schedulers/rlhfuse/fused-pipeline/layout.js';
import { searchFusedSchedule } from '../../schedulers/rlhfuse/fused-pipeline/search.js';
import { serialOneFOneBLatency } from '../../schedulers/rlhfuse/fused-pipeline/serial-baseline.js';
import type { Measurer } from '../measure-and-compare.js';
import type { PipelineSearchCase } from '../types.js';

const UNIT = 'FlexFusion time units';

/**
 * The fused-pipeline search (RLHFuse intra-stage fusion) on a FlexFusion instance with a fixed
 * evaluation budget and no time budget, so its result is deterministic: the makespan it reaches,
 * the peak activation memory of that schedule, the greedy's makespan and the lower bound. The
 * search's speed is a timing, measured by the `pipeline-search` bench suite (a `bench` case).
 */
export const pipelineSearchMeasurer: Measurer<PipelineSearchCase> = {
  kind: 'pipeline-search',
  async measure(testCase, { rng }) {
    const instance = flexFusionInstances[testCase.instance]!;
    const layout = fusedLayout(instance.spec);
    const seed = testCase.seed ?? rng.int(0x100000000);
    const result = searchFusedSchedule(layout, { seed, latencyEvaluations: testCase.latencyEvaluations, memoryEvaluations: testCase.memoryEvaluations });
    return {
      figures: [
        { name: 'makespan', unit: UNIT, mode: 'exact', value: result.best.score.makespan },
        { name: 'peak memory', unit: 'activation units', mode: 'exact', value: result.best.score.peakMemory },
        { name: 'greedy makespan', unit: UNIT, mode: 'exact', value: result.greedy.score.makespan },
        { name: 'latency lower bound', unit: UNIT, mode: 'exact', value: result.bounds.lowerBound },
        { name: 'serial 1F1B latency', unit: UNIT, mode: 'exact', value: serialOneFOneBLatency(layout.problem) },
      ],
      notes: [`${instance.name}, seed ${seed}, started from ${result.startedFrom}, stopped by ${result.stoppedBy}`],
    };
  },
};
