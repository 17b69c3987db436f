import { describe, expect, it } from 'vitest';
import { summarizeIteration, unionLengthS } from '../../harness/sim/metrics.js';
import type { Span } from '../../harness/sim/types.js';

const span = (task: string, stage: string, firstGpu: number, gpus: number, startS: number, endS: number, idleS?: number): Span => ({
  pool: 'p',
  firstGpu,
  gpus,
  task,
  stage,
  iteration: 0,
  startS,
  endS,
  ...(idleS !== undefined ? { idleS } : {}),
});

describe('unionLengthS', () => {
  it('merges overlapping and touching intervals', () => {
    expect(unionLengthS([])).toBe(0);
    expect(unionLengthS([[0, 2], [1, 3], [5, 6], [6, 7]])).toBe(5);
  });
});

describe('summarizeIteration', () => {
  it('derives every metric from spans and allocations', () => {
    const spans = [span('generate', 'generation', 0, 4, 0, 10), span('ref', 'inference', 0, 2, 10, 12), span('values', 'inference', 2, 2, 11, 14), span('update', 'training', 0, 4, 14, 20, 1.5)];
    const result = summarizeIteration({
      scheduler: 's',
      iteration: 7,
      prompts: 2,
      samples: 4,
      promptTokens: 100,
      responseTokens: 300,
      spans,
      allocations: [{ pool: 'c', firstGpu: 0, gpus: 4, fromS: 0, toS: 20 }],
      priceUsdPerGpuHour: 3.6,
      counters: { b: 2, a: 1 },
    });
    expect(result.iterationTimeS).toBe(20);
    expect(result.samplesPerS).toBe(0.2);
    expect(result.tokensPerS).toBe(20);
    expect(result.gpuSecondsAllocated).toBe(80);
    expect(result.gpuSecondsBusy).toBe(40 + 4 + 6 + 24);
    expect(result.costUsd).toBeCloseTo(0.08, 12);
    expect(result.bubbleRatio).toBeCloseTo(6 / 74, 12);
    expect(result.utilization).toBeCloseTo((74 - 6) / 80, 12);
    expect(result.stagesS).toEqual({ generation: 10, inference: 4, training: 6 });
    expect(result.tasksS).toEqual({ generate: 10, ref: 2, update: 6, values: 3 });
    expect(Object.keys(result.counters)).toEqual(['a', 'b']);
    expect(result.overheadsS).toEqual({ weightSyncS: 0, modelLoadS: 0, kvMigrationS: 0, reallocationS: 0 });
  });
});
