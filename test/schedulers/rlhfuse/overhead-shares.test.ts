import { describe, expect, it } from 'vitest';
import { withOverheadShares } from '../../../harness/schedulers/rlhfuse/overhead-shares.js';
import { summarizeIteration } from '../../../harness/sim/metrics.js';
import type { Span } from '../../../harness/sim/types.js';

const span = (stage: string, firstGpu: number, gpus: number, startS: number, endS: number): Span => ({ pool: 'p', firstGpu, gpus, task: stage, stage, iteration: 0, startS, endS });

describe('withOverheadShares', () => {
  it("adds each overhead's GPU-seconds over the cluster's, and the wall share of any overhead, in percent", () => {
    const spans = [
      span('weight-sync', 0, 4, 0, 1), // 4 GPU-s
      span('generation', 0, 4, 1, 10),
      span('kv-migration', 2, 2, 6, 7), // 2 GPU-s, overlaps generation elsewhere
      span('reallocation', 2, 2, 7, 8), // 2 GPU-s
      span('model-load', 0, 2, 10, 11), // 2 GPU-s
      span('training', 0, 4, 11, 20),
    ];
    const result = summarizeIteration({ scheduler: 'x', iteration: 0, prompts: 1, samples: 1, promptTokens: 1, responseTokens: 1, spans, allocations: [], priceUsdPerGpuHour: 1, counters: { z: 1 } });
    const { counters } = withOverheadShares(result, 4); // 4 GPUs × 20 s = 80 GPU-s
    expect(counters).toEqual({
      kv_migration_share_pct: 2.5,
      model_load_share_pct: 2.5,
      overhead_share_pct: 12.5,
      overhead_wall_share_pct: 20, // [0,1] ∪ [6,8] ∪ [10,11] = 4 s of 20
      weight_redistribution_share_pct: 7.5,
      z: 1,
    });
    expect(Object.keys(counters)).toEqual([...Object.keys(counters)].sort());
  });
});
