import { describe, expect, it } from 'vitest';
import { decodeGpuSeconds, generationGpuSeconds, generationInferenceWindowS, generationTailSharePct, overheadSharePct } from '../../harness/metrics/iteration.js';
import type { IterationResult, SampleLedgerView, Span } from '../../harness/sim/types.js';

const span = (stage: string, startS: number, endS: number, gpus = 8, firstGpu = 0): Span => ({ pool: stage, firstGpu, gpus, task: stage, stage, iteration: 0, startS, endS });

function result(spans: Span[], extra: Partial<IterationResult> = {}): IterationResult {
  return {
    scheduler: 's',
    iteration: 0,
    iterationTimeS: 100,
    prompts: 1,
    samples: 1,
    promptTokens: 1,
    responseTokens: 1,
    samplesPerS: 0.01,
    tokensPerS: 0.02,
    gpuSecondsAllocated: 0,
    gpuSecondsBusy: 0,
    costUsd: 0,
    utilization: 1,
    bubbleRatio: 0,
    stagesS: {},
    tasksS: {},
    overheadsS: { weightSyncS: 0, modelLoadS: 0, kvMigrationS: 0, reallocationS: 0 },
    counters: {},
    spans,
    allocations: [],
    notes: [],
    ...extra,
  };
}

describe('iteration metrics', () => {
  it('generation + inference window: first generation start to the last pre-training span of those stages', () => {
    const spans = [span('weight-sync', 0, 2), span('generation', 2, 50), span('model-load', 50, 52), span('inference', 52, 60), span('training', 60, 90), span('inference', 95, 99)];
    expect(generationInferenceWindowS(spans)).toBe(58);
    expect(generationInferenceWindowS([span('training', 0, 1)])).toBe(0);
  });

  it('generation cost: allocated GPU-seconds up to the end of generation (a decode actor released early pays less)', () => {
    const r = result([span('generation', 0, 40, 2, 0), span('generation', 0, 100, 2, 2), span('training', 100, 150, 16)], {
      allocations: [
        { pool: 'a', firstGpu: 0, gpus: 2, fromS: 0, toS: 40 },
        { pool: 'b', firstGpu: 2, gpus: 2, fromS: 0, toS: 100 },
        { pool: 'learn', firstGpu: 0, gpus: 16, fromS: 100, toS: 150 },
      ],
    });
    expect(generationGpuSeconds(r)).toBe(2 * 40 + 2 * 100);
  });

  it('decode cost: GPU-seconds held by the GPUs that generate, up to the end of generation (RLHFless §3.5 C_Decode = Σ actor time × actor GPUs)', () => {
    // A serverful pool of 16 GPUs of which 6 decode (3 actors × 2) until t = 100: only the 6 count, held until generation ends.
    const serverful = result([span('weight-sync', 0, 1, 16), span('generation', 1, 60, 2, 0), span('generation', 1, 100, 2, 2), span('generation', 1, 80, 2, 4), span('training', 100, 150, 16)], {
      allocations: [{ pool: 'cluster', firstGpu: 0, gpus: 16, fromS: 0, toS: 150 }],
    });
    expect(decodeGpuSeconds(serverful)).toBe(6 * 100);
    // Serverless actors pay from allocation to release; a function that generates nothing (a pre-warmed ref on a released actor's GPUs) is not decode cost, and overlapping allocations count once.
    const serverless = result([span('generation', 0, 40, 2, 0), span('generation', 5, 100, 2, 2), span('training', 100, 150, 16)], {
      allocations: [
        { pool: 'decode/1', firstGpu: 0, gpus: 2, fromS: 0, toS: 40 },
        { pool: 'ref', firstGpu: 0, gpus: 4, fromS: 90, toS: 120 },
        { pool: 'decode/2', firstGpu: 2, gpus: 2, fromS: 3, toS: 100 },
        { pool: 'decode/2-again', firstGpu: 2, gpus: 2, fromS: 50, toS: 100 },
        { pool: 'learner', firstGpu: 0, gpus: 16, fromS: 100, toS: 150 },
      ],
    });
    expect(decodeGpuSeconds(serverless)).toBe(2 * 40 + 2 * 97);
    expect(decodeGpuSeconds(result([span('training', 0, 10, 16)], { allocations: [{ pool: 'c', firstGpu: 0, gpus: 16, fromS: 0, toS: 10 }] }))).toBe(0);
  });

  it('overhead share: GPU-seconds of migration, weight sync, reallocation and loading over the cluster’s', () => {
    const r = result([span('kv-migration', 0, 1, 8), span('weight-sync', 0, 2, 16), span('model-load', 5, 6, 4), span('generation', 0, 100, 16)]);
    expect(overheadSharePct(r, 16)).toBeCloseTo((100 * (8 + 32 + 4)) / 1600, 12);
  });

  it('tail share: the part of generation after 99 % of the samples finished', () => {
    const ends = [...Array.from({ length: 99 }, (_, i) => 10 + i * 0.1), 100];
    const ledger: SampleLedgerView = { samples: 100, phases: () => ['generate'], count: () => 1, startS: () => 0, endS: (_phase, id) => ends[id]! };
    // The 99th sample ends at 10 + 98·0.1 = 19.8; generation spans 0-100.
    expect(generationTailSharePct(result([], { ledger }))).toBeCloseTo(80.2, 10);
    expect(Number.isNaN(generationTailSharePct(result([])))).toBe(true);
  });
});
